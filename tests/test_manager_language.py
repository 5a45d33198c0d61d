"""A signed-in manager's own UI language, remembered in the database (kam.portfolio.managers)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from kam.core import db
from kam.core.access import Viewer
from kam.core.models import Manager
from kam.core.validation import ValidationError
from kam.portfolio import managers
from tests.team import audit_rows, data_version, team


@pytest.fixture
def tm(engine):
    built = team(engine)
    with db.writing(engine) as s:
        s.execute(update(Manager).where(Manager.id == built.k1).values(email="irina@example.com"))
    return built


def choose(engine, viewer, actor, language):
    with db.writing(engine) as s:
        return managers.set_own_language(s, viewer=viewer, actor=actor, language=language)


def saved(engine) -> str | None:
    with db.reading(engine) as s:
        found = managers.own_language(s, email="  IRINA@example.com ")
        return None if found is None else found[1]


def test_nothing_is_saved_until_the_person_chooses(engine, tm):
    with db.reading(engine) as s:
        assert managers.own_language(s, email="irina@example.com") == (tm.k1, None)
        assert managers.own_language(s, email="nobody@example.com") is None


def test_a_choice_is_saved_with_an_audit_row_and_a_new_data_version(engine, tm):
    before = data_version(engine)
    assert choose(engine, tm.k1_viewer, tm.k1_actor, "ru") == "ru"
    assert saved(engine) == "ru"
    assert data_version(engine) == before + 1
    (row,) = audit_rows(engine, "manager")
    assert (row.entity_id, row.action, row.actor_id) == (str(tm.k1), "update", tm.k1)
    assert (row.before, row.after) == ({"language": None}, {"language": "ru"})
    with db.reading(engine) as s:
        assert s.get(Manager, tm.k1).version == 1  # an administrator's edit meets no conflict


def test_choosing_the_same_language_again_records_nothing(engine, tm):
    choose(engine, tm.k1_viewer, tm.k1_actor, "ru")
    version = data_version(engine)
    choose(engine, tm.k1_viewer, tm.k1_actor, "ru")
    assert data_version(engine) == version
    assert len(audit_rows(engine, "manager")) == 1


def test_a_language_without_a_catalog_is_refused_and_nothing_saved(engine, tm):
    with pytest.raises(ValidationError) as err:
        choose(engine, tm.k1_viewer, tm.k1_actor, "de")
    assert list(err.value.problems) == ["language"]
    assert saved(engine) is None
    assert audit_rows(engine, "manager") == []


def test_only_a_manager_has_a_language(engine, tm):
    with pytest.raises(PermissionError):
        choose(engine, Viewer(name="cli", role="system"), tm.k1_actor, "ru")


def test_an_inactive_manager_has_no_saved_language(engine, tm):
    choose(engine, tm.k1_viewer, tm.k1_actor, "en")
    with db.writing(engine) as s:
        s.execute(update(Manager).where(Manager.id == tm.k1).values(active=False))
    with db.reading(engine) as s:
        assert managers.own_language(s, email="irina@example.com") is None
