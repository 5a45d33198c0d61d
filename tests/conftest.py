"""Shared fixtures: real databases (SQLite always, PostgreSQL when reachable), sessions."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import Engine

from kam import demo
from kam.core import clock, db, migrate
from tests.dbs import PostgresTemplate, SqliteTemplate, postgres_reachable

ON_CI = bool(os.environ.get("CI"))


def pytest_configure(config: pytest.Config) -> None:
    # One "today" for the whole run, its workers and the servers it starts, even across
    # midnight: the machine's date unless KAM_TODAY already names the day to test.
    os.environ.setdefault(clock.ENV, clock.today().isoformat())
    _compile_stale_catalogs()


def _compile_stale_catalogs() -> None:
    # `make setup` compiles the .mo files; a .po edited since (or pytest run without make)
    # would otherwise test yesterday's translations.
    for po in (Path(__file__).resolve().parents[1] / "kam" / "locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parts[-3])
            partial = mo.with_suffix(f".{os.getpid()}.tmp")  # xdist workers may race here
            with partial.open("wb") as target:
                write_mo(target, catalog)
            partial.replace(mo)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgresql_template() -> Iterator[PostgresTemplate]:
    why = postgres_reachable()
    if why:
        # CI has a PostgreSQL server: there a missing one is a failure, not a skip.
        if ON_CI:
            pytest.fail(why)
        pytest.skip(why)
    template = PostgresTemplate()
    yield template
    template.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh migrated database URL, once on SQLite and once on PostgreSQL."""
    template = request.getfixturevalue(f"{request.param}_template")
    url = template.new(tmp_path)
    yield url
    template.drop(url)


@pytest.fixture
def sqlite_url(sqlite_template: SqliteTemplate, tmp_path) -> Iterator[str]:
    """A fresh migrated SQLite database URL."""
    url = sqlite_template.new(tmp_path)
    yield url
    sqlite_template.drop(url)


@pytest.fixture
def engine(db_url: str) -> Engine:
    """The Engine of a fresh migrated database (SQLite and PostgreSQL)."""
    return db.engine(db_url)


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Engine:
    """The Engine of a fresh migrated SQLite database."""
    return db.engine(sqlite_url)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database with a small demo company, history up to today (shared, read-only)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    url = f"sqlite:///{path}"
    eng = db.engine(url)
    migrate.upgrade(eng)
    with db.writing(eng) as s:
        demo.load(s, today=clock.today(), lines=60_000)
    return url
