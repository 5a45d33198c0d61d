"""``python -m kam backtest``: replay the forecasts of the last 12 whole months as of working days
1, 5, 10 and 15 and compare them, and the run-rate, with what each month came to."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from kam.core import clock, db, periods
from kam.core.access import SYSTEM
from kam.core.team import is_team
from kam.plans import calendar, scorecard

DAYS = (1, 5, 10, 15)
MONTHS = 12
TEAM_KEY = "(team)"  # the team rows have no manager code
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backtest", help="replay the plan forecasts of the last 12 months")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="the day (default: today)")
    p.add_argument("--database", metavar="URL", help="database URL (default: configured)")


def nth_working_day(period: periods.Period, n: int) -> dt.date:
    """The ``n``-th working day of the period (its last day when it has fewer)."""
    day, seen = period.start, 0
    while day <= period.end:
        if periods.is_working_day(day):
            seen += 1
            if seen == n:
                return day
        day += dt.timedelta(days=1)
    return period.end


def _who(frame: pd.DataFrame) -> list[str]:
    return [
        TEAM_KEY if t else c for t, c in zip(is_team(frame), frame["manager_code"], strict=True)
    ]


def replay(session: Session, *, today: dt.date) -> pd.DataFrame:
    """One row per month, working day, manager (or the team) and metric: the actual, the
    run-rate, the forecast and its range."""
    rows = []
    month = periods.month_of(today)
    for _ in range(MONTHS):
        month = periods.month_of(month.start - dt.timedelta(days=1))
        final = scorecard(session, viewer=SYSTEM, period=month)
        final["who"] = _who(final)
        actual = {(r.who, r.metric): r.fact for r in final.itertuples()}
        for n in DAYS:
            as_of = nth_working_day(month, n)
            cal = calendar(month, as_of)
            card = scorecard(session, viewer=SYSTEM, period=month, as_of=as_of)
            card["who"] = _who(card)
            for r in card.itertuples():
                rate = r.fact / cal.elapsed * cal.total if cal.elapsed else r.fact
                rows.append(
                    (month.code, n, r.who, r.metric, actual.get((r.who, r.metric), Decimal(0)),
                     rate, r.forecast, r.forecast_low, r.forecast_high)
                )  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["month", "day", "who", "metric", "actual", "run_rate", "forecast", "low", "high"],
    )


def summary(replayed: pd.DataFrame) -> pd.DataFrame:
    """Per metric and level (the team, managers): MAPE of the run-rate and of the forecast, and
    the share of actuals inside the range; months with an actual of 0 have no percentage error."""
    frame = replayed.copy()
    frame["level"] = ["team" if w == TEAM_KEY else "manager" for w in frame["who"]]
    for col in ("actual", "run_rate", "forecast", "low", "high"):
        frame[col] = frame[col].astype(float)
    frame["inside"] = (frame["low"] <= frame["actual"] + 1e-9) & (
        frame["actual"] <= frame["high"] + 1e-9
    )
    errors = frame[frame["actual"] > 0].copy()
    errors["err_rate"] = (errors["run_rate"] - errors["actual"]).abs() / errors["actual"] * 100
    errors["err_method"] = (errors["forecast"] - errors["actual"]).abs() / errors["actual"] * 100
    out = []
    for keys, part in frame.groupby(["metric", "level", "day"], sort=False):
        err = errors[
            (errors["metric"] == keys[0])
            & (errors["level"] == keys[1])
            & (errors["day"] == keys[2])
        ]
        out.append(
            (*keys, err["err_rate"].mean(), err["err_method"].mean(), part["inside"].mean() * 100)
        )
    for keys, part in frame.groupby(["metric", "level"], sort=False):
        err = errors[(errors["metric"] == keys[0]) & (errors["level"] == keys[1])]
        out.append(
            (
                *keys,
                "all",
                err["err_rate"].mean(),
                err["err_method"].mean(),
                part["inside"].mean() * 100,
            )
        )
    return pd.DataFrame(
        out, columns=["metric", "level", "day", "mape_run_rate", "mape_method", "in_range_pct"]
    )


def run(args: argparse.Namespace) -> int:
    if args.as_of is not None and not _ISO_DATE.match(args.as_of):
        print(f"kam backtest: bad date {args.as_of!r}: expected YYYY-MM-DD")
        return 2
    today = clock.today() if args.as_of is None else dt.date.fromisoformat(args.as_of)
    with db.reading(db.engine(args.database)) as session:
        table = summary(replay(session, today=today))
    print(f"Back-test of the last {MONTHS} whole months before {today.isoformat()}, as of working "
          f"days {', '.join(map(str, DAYS))}; MAPE in %, range = share of actuals inside it.")  # fmt: skip
    print(table.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    return 0
