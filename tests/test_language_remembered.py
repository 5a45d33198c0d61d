"""A signed-in manager's language choice is saved and greets him or her in the next session."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kam.core import db, i18n
from kam.core.models import AuditLog, Manager
from tests import factories as f
from tests.test_sign_in import app

IRINA = {"is_logged_in": True, "email": "irina@example.com", "name": "Irina"}


@pytest.fixture
def database(sqlite_url: str) -> str:
    with db.writing(db.engine(sqlite_url)) as s:
        f.manager(s, "H1", role="head", name="Viktor", email="viktor@example.com")
        irina = f.manager(s, "K1", name="Irina", email="irina@example.com")
        f.client(s, "C1", irina, name="ООО «Ромашка»")
    return sqlite_url


def saved(url: str) -> tuple[str | None, list[tuple[dict, dict]]]:
    with db.reading(db.engine(url)) as s:
        language = s.scalar(select(Manager.language).where(Manager.code == "K1"))
        changes = s.execute(
            select(AuditLog.before, AuditLog.after).where(AuditLog.entity == "manager")
        ).all()
        return language, [tuple(c) for c in changes]


def test_the_switch_saves_the_choice_and_the_next_session_starts_in_it(monkeypatch, database):
    try:
        first = app(monkeypatch, database, user=IRINA)
        assert first.button_group(key="language_switch").value == "en"
        first.button_group(key="language_switch").set_value("ru").run()
        assert saved(database) == ("ru", [({"language": None}, {"language": "ru"})])

        later = app(monkeypatch, database, user=IRINA)  # a new session: nothing in it yet
        assert later.button_group(key="language_switch").value == "ru"
        assert "Язык" in [later.button_group(key="language_switch").label]
    finally:
        i18n.set_language("en")


def test_open_mode_keeps_the_choice_for_the_session_only(monkeypatch, database):
    try:
        at = app(monkeypatch, database, user=None, auth=False)
        at.button_group(key="language_switch").set_value("ru").run()
        assert not at.exception
        assert saved(database) == (None, [])
    finally:
        i18n.set_language("en")
