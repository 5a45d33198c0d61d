"""``python -m kam receivables-store``: recompute the stored receivables allocation the pages
read (an import of invoices or payments and the demo load do it themselves)."""

from __future__ import annotations

import argparse

from kam.commands.actor import cli_actor
from kam.core import audit, db
from kam.core.i18n import t
from kam.receivables import store


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("receivables-store", help=t("recompute the stored receivables allocation"))
    p.add_argument("--database", metavar="URL", help=t("database URL (default: configured)"))


def run(args: argparse.Namespace) -> int:
    with db.writing(db.engine(args.database)) as session:
        days = store.refresh(session)
        audit.record(
            session, actor=cli_actor(), entity="receivable_store", entity_id=None,
            action="refresh", after={"days": len(days), "last": days[-1] if days else None},
        )  # fmt: skip
    if days:
        print(t("receivables stored for {count} days, the last {day}", count=len(days),
                day=days[-1].isoformat()))  # fmt: skip
    else:
        print(t("no invoices or payments: nothing to store"))
    return 0
