"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from kam.core import db, migrate
from kam.core.models import Base


def test_upgrade_from_empty_matches_models(engine):
    # The fixture's database was migrated from empty (via the template); check it again here
    # so the test also proves a second upgrade is a no-op.
    migrate.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert migrate.current_revision(engine) is not None


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    """A database with no schema at all."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    template = request.getfixturevalue("postgresql_template")
    url = template.empty()
    yield url
    template.drop(url)


def test_empty_database_upgrades_to_the_models(empty_url):
    eng = db.engine(empty_url)
    assert migrate.current_revision(eng) is None
    migrate.upgrade(eng)
    with eng.connect() as conn:
        assert conn.execute(text("SELECT version FROM data_version WHERE id = 1")).scalar() == 0
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    eng.dispose()


def test_two_processes_migrating_at_once_both_succeed(empty_url):
    # Several server processes start together on a new database: they must take turns.
    import subprocess
    import sys

    script = f"from kam.core import db, migrate; migrate.upgrade(db.engine({empty_url!r}))"
    procs = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    assert migrate.current_revision(db.engine(empty_url)) is not None
    db.engine(empty_url).dispose()


def test_an_upgrade_from_empty_is_one_transaction(empty_url):
    # One commit for all eight steps: a second process waits for the whole upgrade, then finds
    # the head. A commit per step let it in between and it ran a step again (CI, 2 Dec).
    from sqlalchemy import event

    eng = db.engine(empty_url)
    commits = []
    event.listen(eng, "commit", lambda conn: commits.append(1))
    migrate.upgrade(eng)
    assert len(commits) == 1
    eng.dispose()


def test_sqlite_connection_settings(sqlite_engine):
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
