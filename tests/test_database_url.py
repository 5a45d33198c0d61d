"""A database URL with a percent-encoded password works in migrations, commands and the app."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import make_url

from kam.__main__ import main
from kam.core import db, migrate
from tests import dbs
from tests.apptest import run_app
from tests.test_import_loading import CLIENTS, MANAGERS, write

pytestmark = pytest.mark.skipif(
    dbs.postgres_reachable() is not None, reason="PostgreSQL is not reachable"
)


def _head() -> str | None:
    """The newest migration: the revision a migrated database is at."""
    return ScriptDirectory(str(migrate.MIGRATIONS)).get_current_head()


@pytest.fixture
def encoded_url() -> Iterator[str]:
    """An empty database owned by a role whose password is ``p@ss``, as ``p%40ss`` in the URL.

    The test server trusts local connections whatever the password: this proves the URL is
    parsed and handed on unmangled, not that the password is checked.
    """
    name = f"kam_pct_{uuid.uuid4().hex[:8]}"
    dbs._admin_execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD 'p@ss'")
    dbs._admin_execute(f'CREATE DATABASE "{name}" OWNER "{name}"')
    url = f"postgresql://{name}:p%40ss@127.0.0.1:5432/{name}"
    try:
        yield url
    finally:
        db.dispose_all()
        dbs._admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        dbs._admin_execute(f'DROP ROLE IF EXISTS "{name}"')


@pytest.fixture
def engine_passwords(monkeypatch) -> list[str | None]:
    """The password of every URL an Engine is created with, as SQLAlchemy reads it."""
    seen: list[str | None] = []
    original = db.create_engine

    def spy(url, **kwargs):  # noqa: ANN001, ANN003
        seen.append(make_url(url).password)
        return original(url, **kwargs)

    monkeypatch.setattr(db, "create_engine", spy)
    return seen


def test_migrate_takes_the_encoded_password(encoded_url, engine_passwords, capsys):
    assert main(["migrate", "--database", encoded_url]) == 0
    assert engine_passwords == ["p@ss"]
    user = make_url(encoded_url).username
    head = _head()
    assert capsys.readouterr().out == (
        f"database at revision {head}: postgresql+psycopg://{user}:***@127.0.0.1:5432/{user}\n"
    )
    # Alembic reads its URL back through ConfigParser: the "%" must survive its interpolation.
    cfg = migrate.alembic_config(db.engine(encoded_url))
    assert make_url(cfg.get_main_option("sqlalchemy.url")).password == "p@ss"


def test_every_command_takes_the_encoded_password(encoded_url, tmp_path, capsys):
    assert main(["migrate", "--database", encoded_url]) == 0
    write(tmp_path, "managers.csv", MANAGERS)
    write(tmp_path, "clients.csv", CLIENTS)
    assert main(["import", str(tmp_path), "--database", encoded_url]) == 0
    assert main(["demo", "--if-empty", "--database", encoded_url]) == 0  # it has data: no-op
    capsys.readouterr()
    assert main(["report", "clients", "--database", encoded_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[:3] for line in lines] == [
        ["client_code", "name", "manager_code"], ["C1", "Alpha", "M1"], ["C2", "Beta", "M2"],
    ]  # fmt: skip


def test_the_app_migrates_and_opens_with_the_encoded_password(
    monkeypatch, encoded_url, engine_passwords
):
    at = run_app(monkeypatch, encoded_url)
    assert [e.value for e in at.error] == []
    assert set(engine_passwords) == {"p@ss"}
    assert migrate.current_revision(db.engine(encoded_url)) == _head()
