"""Real test databases: a migrated SQLite file or PostgreSQL database per test, from a template."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from kam.core import config, db, migrate

POSTGRES_URL = os.environ.get(
    "KAM_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def postgres_reachable() -> str | None:
    """None when the test PostgreSQL server answers, else why not."""
    try:
        with psycopg.connect(_libpq(POSTGRES_URL), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL at {POSTGRES_URL} is not reachable: {exc}"


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _admin_execute(sql: str) -> None:
    with psycopg.connect(_libpq(POSTGRES_URL), autocommit=True) as conn:
        conn.execute(sql)


class SqliteTemplate:
    """A migrated SQLite file copied for each test: migrating once is much faster."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.db"
        eng = db.engine(f"sqlite:///{self.path}")
        migrate.upgrade(eng)
        with eng.connect() as conn:  # fold the WAL into the file before copying it
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        eng.dispose()

    def new(self, folder: Path) -> str:
        target = folder / f"kam-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        db.engine(url).dispose()


class PostgresTemplate:
    """A migrated PostgreSQL database cloned (CREATE DATABASE … TEMPLATE) for each test."""

    def __init__(self) -> None:
        self.name = f"kam_tpl_{uuid.uuid4().hex[:8]}"
        _admin_execute(f'CREATE DATABASE "{self.name}"')
        eng = db.engine(self._url(self.name))
        migrate.upgrade(eng)
        eng.dispose()

    def _url(self, name: str) -> str:
        return config.normalise_url(
            make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        )

    def new(self, _folder: Path) -> str:
        name = f"kam_t_{uuid.uuid4().hex[:10]}"
        _admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        return self._url(name)

    def drop(self, url: str) -> None:
        db.engine(url).dispose()
        _admin_execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def empty(self) -> str:
        """A brand-new empty database (no schema at all), dropped with ``drop``."""
        name = f"kam_e_{uuid.uuid4().hex[:10]}"
        _admin_execute(f'CREATE DATABASE "{name}"')
        return self._url(name)

    def close(self) -> None:
        _admin_execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
