"""``python -m kam report NAME``: a report as CSV, JSON or XLSX, from the same functions as the pages.

Its messages and column headers are in the deployment's language (setting ``language``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from kam import reports
from kam.core import clock, db, periods
from kam.core.access import SYSTEM
from kam.core.i18n import Msg, t, text_of

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def add_parser(sub: argparse._SubParsersAction) -> None:
    names = ", ".join(reports.REPORTS)
    p = sub.add_parser("report", help=t("print or save a report: {names}", names=names))
    p.add_argument("name", metavar="NAME", help=t("one of: {names}", names=names))
    p.add_argument("--period", help=t("YYYY-MM, YYYY-Qn or YYYY (plan, sales)"))
    p.add_argument(
        "--as-of", dest="as_of", metavar="YYYY-MM-DD", help=t("the day (default: today)")
    )
    p.add_argument("--manager", metavar="CODE", help=t("only this manager"))
    p.add_argument("--client", metavar="CODE", help=t("only this client"))
    p.add_argument("--format", default="csv", help=t("csv (default), json or xlsx"))
    p.add_argument(
        "--labels", action="store_true",
        help=t("column headers in words, in the deployment's language (always so in xlsx)"),
    )  # fmt: skip
    p.add_argument("--output", metavar="FILE", help=t("write here instead of standard output"))
    p.add_argument("--database", metavar="URL", help=t("database URL (default: configured)"))


def _as_of(text: str | None) -> dt.date:
    if text is None:
        return clock.today()
    try:
        if not _ISO_DATE.match(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(Msg("bad date {text}: expected YYYY-MM-DD", text=repr(text))) from None


def _check(args: argparse.Namespace) -> None:
    if args.name not in reports.REPORTS:
        raise ValueError(Msg(
            "unknown report {name}: expected one of {names}",
            name=repr(args.name), names=", ".join(reports.REPORTS),
        ))  # fmt: skip
    if args.format not in reports.FORMATS:
        raise ValueError(Msg(
            "unknown format {fmt}: expected one of {formats}",
            fmt=repr(args.format), formats=", ".join(reports.FORMATS),
        ))  # fmt: skip
    if args.format == "xlsx" and not args.output:
        raise ValueError(Msg("xlsx is binary: give --output FILE"))
    if args.period is not None and args.name not in ("plan", "sales"):
        raise ValueError(
            Msg("the {name} report is at --as-of and takes no --period", name=args.name)
        )


def run(args: argparse.Namespace) -> int:
    try:
        _check(args)
        as_of = _as_of(args.as_of)
        period = None if args.period is None else periods.parse(args.period)
        with db.reading(db.engine(args.database)) as session:
            scope = reports.Scope(
                as_of=as_of,
                period=period,
                manager_id=None
                if args.manager is None
                else reports.manager_id(session, args.manager),
                client_id=None if args.client is None else reports.client_id(session, args.client),
            )
            frame = reports.build(args.name, session, viewer=SYSTEM, scope=scope)
    except ValueError as exc:
        print(t("kam report: {problem}", problem=t(text_of(exc))), file=sys.stderr)
        return 2
    if args.labels or args.format == "xlsx":
        frame = reports.labelled(frame)
    if args.output:
        with Path(args.output).open("wb") as out:
            reports.write(frame, args.format, out)
    else:
        sys.stdout.flush()
        reports.write(frame, args.format, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    return 0
