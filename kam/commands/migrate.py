"""``python -m kam migrate``: bring the database to the current schema."""

from __future__ import annotations

import argparse

from kam.core import db, migrate
from kam.core.i18n import t


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help=t("bring the database to the current schema"))
    p.add_argument("--database", metavar="URL", help=t("database URL (default: configured)"))


def run(args: argparse.Namespace) -> int:
    eng = db.engine(args.database)
    migrate.upgrade(eng)
    print(
        t(
            "database at revision {revision}: {url}",
            revision=migrate.current_revision(eng), url=eng.url.render_as_string(),
        )
    )  # fmt: skip
    return 0
