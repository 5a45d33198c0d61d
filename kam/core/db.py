"""The one Engine per process, and the sessions callers open on it.

On SQLite: WAL, foreign keys, a busy timeout, and ``BEGIN IMMEDIATE`` for writes — a deferred
transaction that reads and then writes fails with "database is locked" under concurrent
writers, whatever the busy timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session

from kam.core import config

SQLITE_BUSY_TIMEOUT_MS = 15_000
_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def engine(url: str | None = None) -> Engine:
    """The process-wide Engine for ``url`` (default: the configured database)."""
    resolved = config.database_url(url)
    with _lock:
        eng = _engines.get(resolved)
        if eng is None:
            eng = _engines[resolved] = _create(resolved)
        return eng


def dispose_all() -> None:
    """Close every pooled connection (tests and forked workers)."""
    with _lock:
        for eng in _engines.values():
            eng.dispose()
        _engines.clear()


def _create(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _create_sqlite(url)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _create_sqlite(url: str) -> Engine:
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    eng = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(eng, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        # Hand transaction control to SQLAlchemy so "begin" below decides DEFERRED/IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(eng, "begin")
    def _on_begin(conn):  # noqa: ANN001
        immediate = conn.get_execution_options().get("kam_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return eng


def is_sqlite(eng_or_session: Engine | Session) -> bool:
    """True when the bound database is SQLite."""
    bind = eng_or_session.get_bind() if isinstance(eng_or_session, Session) else eng_or_session
    return bind.dialect.name == "sqlite"


def analyze(session: Session, tables: Iterable[Any]) -> None:
    """Fresh planner statistics, on PostgreSQL, for ``tables`` (names or models) a bulk load
    just filled, in the caller's transaction."""
    # Without them PostgreSQL plans a table of millions of fresh rows as a few rows: nested
    # loops that ran for minutes on Client 360. Autovacuum comes late or, on some servers, never.
    # SQLite's planner has done well without statistics, and stays so.
    if is_sqlite(session):
        return
    for table in tables:
        name = table if isinstance(table, str) else getattr(table, "__tablename__", None)
        name = name or table.name  # a Table, not a model
        session.execute(text(f'ANALYZE "{name}"'))  # our own table names: identifiers can't bind


@contextmanager
def reading(eng: Engine | None = None) -> Iterator[Session]:
    """A session in a read transaction; closed on exit."""
    with Session(eng or engine()) as session, session.begin():
        yield session


@contextmanager
def writing(eng: Engine | None = None) -> Iterator[Session]:
    """A session in a write transaction (``BEGIN IMMEDIATE`` on SQLite); commits on success."""
    bound = (eng or engine()).execution_options(kam_write=True)
    with Session(bound, expire_on_commit=False) as session, session.begin():
        yield session


def ping(eng: Engine | None = None) -> None:
    """Raise when the database cannot be reached."""
    with (eng or engine()).connect() as conn:
        conn.execute(text("SELECT 1"))
