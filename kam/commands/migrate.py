"""``python -m kam migrate``: bring the database to the current schema."""

from __future__ import annotations

import argparse

from kam.core import db, migrate


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="bring the database to the current schema")
    p.add_argument("--database", metavar="URL", help="database URL (default: configured)")


def run(args: argparse.Namespace) -> int:
    eng = db.engine(args.database)
    migrate.upgrade(eng)
    print(f"database at revision {migrate.current_revision(eng)}: {eng.url.render_as_string()}")
    return 0
