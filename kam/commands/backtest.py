"""``python -m kam backtest``: replay the plan forecasts of the last 12 whole months, report how
they and the run-rate did, and store the bands that give the forecasts their ranges."""

from __future__ import annotations

import argparse
import datetime as dt
import re

from kam.commands.actor import cli_actor
from kam.core import audit, clock, db
from kam.core.i18n import t
from kam.plans import replay

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backtest", help=t("replay the plan forecasts of the last 12 months"))
    p.add_argument(
        "--as-of", dest="as_of", metavar="YYYY-MM-DD", help=t("the day (default: today)")
    )
    p.add_argument("--database", metavar="URL", help=t("database URL (default: configured)"))


def run(args: argparse.Namespace) -> int:
    if args.as_of is not None and not _ISO_DATE.match(args.as_of):
        problem = t("bad date {text}: expected YYYY-MM-DD", text=repr(args.as_of))
        print(t("kam backtest: {problem}", problem=problem))
        return 2
    today = clock.today() if args.as_of is None else dt.date.fromisoformat(args.as_of)
    with db.writing(db.engine(args.database)) as session:
        replayed = replay.refresh(session, today=today)
        audit.record(
            session, actor=cli_actor(), entity="forecast_band", entity_id=None, action="learn",
            after={"learned_on": today, "months": replay.MONTHS},
        )  # fmt: skip
    shown = replayed[replayed["day"].isin(replay.SHOWN_DAYS)]
    table = replay.summary(replay.out_of_sample(shown))
    days = ", ".join(map(str, replay.SHOWN_DAYS))
    print(t("Back-test of the last {months} whole months before {day}, as of working days "
            "{days}; MAPE in %, range = share of actuals inside the range learned from the other "
            "months.", months=replay.MONTHS, day=today.isoformat(), days=days))  # fmt: skip
    print(table.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    return 0
