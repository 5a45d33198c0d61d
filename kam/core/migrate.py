"""Bring a database to the current schema with Alembic (run at start-up, by make run and the CLI)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from kam.core import db

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config(eng: Engine) -> Config:
    """An Alembic config bound to ``eng``; no alembic.ini needed."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's config is a ConfigParser: "%" starts an interpolation there, and a password
    # with "@" or "%" in it is percent-encoded in the URL (p%40ss), so double every "%".
    url = eng.url.render_as_string(hide_password=False)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["engine"] = eng
    return cfg


def upgrade(eng: Engine | None = None, revision: str = "head") -> None:
    """Upgrade the database to ``revision``; safe to call from several processes at once."""
    eng = eng or db.engine()
    command.upgrade(alembic_config(eng), revision)


def current_revision(eng: Engine | None = None) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with (eng or db.engine()).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
