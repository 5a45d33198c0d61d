"""``python -m kam demo``: fill an empty database with the demo wholesaler."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from kam import demo
from kam.core import clock, config, db, migrate
from kam.core import formatting as fmt
from kam.core.i18n import t


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="load the demo company into an empty database")
    p.add_argument("--lines", type=int, default=demo.DEFAULT_LINES, help="sales lines to generate")
    p.add_argument("--seed", type=int, default=7, help="random seed (same seed, same company)")
    p.add_argument(
        "--today", type=dt.date.fromisoformat, help="the last day of history (YYYY-MM-DD)"
    )
    p.add_argument(
        "--if-empty", action="store_true", help="do nothing (exit 0) when the database has data"
    )
    p.add_argument("--database", metavar="URL", help="database URL (default: configured)")
    p.add_argument(
        "--language",
        type=_language,
        metavar="{" + ",".join(demo.LANGUAGES) + "}",
        help="language of the names and texts (default: the deployment's language, else en)",
    )


def _language(value: str) -> str:
    """``value`` as one of the demo's languages (``ru``, ``RU``, ``ru-RU`` all name Russian)."""
    code = value.replace("_", "-").split("-")[0].strip().lower()
    if code not in demo.LANGUAGES:
        expected = " or ".join(demo.LANGUAGES)
        raise argparse.ArgumentTypeError(f"expected {expected}, not {value!r}")
    return code


def _default_language() -> str:
    """The deployment's language when the demo has it, else English."""
    try:
        return _language(config.settings().language)
    except argparse.ArgumentTypeError:
        return "en"


def run(args: argparse.Namespace) -> int:
    eng = db.engine(args.database)
    migrate.upgrade(eng)
    with db.reading(eng) as s:
        empty = demo.is_empty(s)
    if not empty:
        if args.if_empty:
            print(t("database already has data; demo not loaded"))
            return 0
        print(t("error: the database already has data; the demo loads only into an empty one"),
              file=sys.stderr)  # fmt: skip
        return 2
    language = args.language or _default_language()
    started = time.perf_counter()
    try:
        with db.writing(eng) as s:
            summary = demo.load(
                s,
                today=args.today or clock.today(),
                lines=args.lines,
                seed=args.seed,
                language=language,
            )
    except ValueError as exc:
        print(t("error: {problem}", problem=exc), file=sys.stderr)
        return 2
    took = time.perf_counter() - started
    counts = {k: fmt.number(getattr(summary, k)) for k in (
        "managers", "clients", "products", "sales_lines", "invoices", "payments", "plans",
        "visits", "claims", "notes",
    )}  # fmt: skip
    print(t(
        "demo loaded in {seconds} s ({language}): {managers} managers, {clients} clients, "
        "{products} products, {sales_lines} sales lines, {invoices} invoices, {payments} "
        "payments, {plans} plans, {visits} visits and calls, {claims} claims, {notes} "
        "competitor notes", seconds=fmt.number(took, 1), language=language, **counts,
    ))  # fmt: skip
    return 0
