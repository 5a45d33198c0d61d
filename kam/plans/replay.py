"""The back-test: the plan forecasts of the last 12 whole months replayed as of given working
days, scored against what each month came to, and the forecast bands learned from it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from kam.core import periods
from kam.core.access import SYSTEM
from kam.core.team import is_team
from kam.plans import bands
from kam.plans.forecast import Forecaster
from kam.plans.scorecard import calendar, scorecard

MONTHS = 12
SHOWN_DAYS = (1, 5, 10, 15)  # the days the back-test reports
LEARNED_DAYS = (1, 3, 5, 8, 10, 12, 15, 18, 20)  # the days bands are learned for
REPLAY_COLUMNS = ["month", "day", "level", "who", "metric", "fact", "actual", "run_rate",
                  "forecast", "cap"]  # fmt: skip


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


def replay(session: Session, *, today: dt.date, days: tuple[int, ...]) -> pd.DataFrame:
    """One row per month before ``today``, working day, manager (or the team) and metric: the
    fact so far, the actual at month end, the run-rate, the forecast and its cap (REPLAY_COLUMNS)."""
    rows = []
    month = periods.month_of(today)
    for _ in range(MONTHS):
        month = periods.month_of(month.start - dt.timedelta(days=1))
        final = scorecard(session, viewer=SYSTEM, period=month)
        if not (final["fact"] > 0).any():
            continue  # no sale that month (before the company's history): nothing to learn
        actual = {
            (None if t else mid, metric): fact
            for t, mid, metric, fact in zip(
                is_team(final), final["manager_id"], final["metric"], final["fact"], strict=True
            )
        }
        for n in days:
            as_of = nth_working_day(month, n)
            cal = calendar(month, as_of)
            if cal.elapsed < n:
                continue  # a short month (January) has no such working day
            forecaster = Forecaster(
                session, viewer=SYSTEM, period=month, as_of=as_of, elapsed=cal.elapsed,
                total=cal.total,
            )  # fmt: skip
            card = scorecard(
                session, viewer=SYSTEM, period=month, as_of=as_of, forecaster=forecaster
            )
            for team, mid, code, metric, fact in zip(
                is_team(card), card["manager_id"], card["manager_code"], card["metric"],
                card["fact"], strict=True,
            ):  # fmt: skip
                key = None if team else int(mid)
                predicted = forecaster.model(key, metric, fact)
                rate = fact / cal.elapsed * cal.total if cal.elapsed else fact
                rows.append(
                    (month.code, n, "team" if team else "manager", "(team)" if team else code,
                     metric, fact, actual.get((key, metric), Decimal(0)), rate, predicted.value,
                     predicted.cap)
                )  # fmt: skip
    return pd.DataFrame(rows, columns=REPLAY_COLUMNS)


def _learnable(frame: pd.DataFrame) -> list[tuple[str, str, int, float, float]]:
    return list(
        zip(frame["metric"], frame["level"], frame["day"], frame["actual"].astype(float),
            frame["forecast"].astype(float), strict=True)
    )  # fmt: skip


def learn(replayed: pd.DataFrame) -> tuple[dict, dict]:
    """The bands learned from a replay, and how many months each rests on."""
    rows = _learnable(replayed)
    samples: dict[tuple[str, str, int], int] = {}
    for metric, level, day, actual, forecast in rows:
        if bands.error(metric, actual, forecast) is not None:
            samples[(metric, level, day)] = samples.get((metric, level, day), 0) + 1
    return bands.learn(rows), samples


def refresh(session: Session, *, today: dt.date) -> pd.DataFrame:
    """Replay the last 12 whole months, store the bands learned from them (in the caller's
    transaction, whose own audit row says why: an import, the demo, the back-test) and return
    the replay."""
    replayed = replay(session, today=today, days=LEARNED_DAYS)
    learned, samples = learn(replayed)
    bands.store(session, learned, samples, today)
    return replayed


def out_of_sample(replayed: pd.DataFrame) -> pd.DataFrame:
    """The replay with the range each row would have been shown: the bands learned from the
    other months only, so a month never vouches for its own range (columns low, high)."""
    frame = replayed.copy()
    frame["low"] = frame["forecast"].astype(float)
    frame["high"] = frame["forecast"].astype(float)
    for month in frame["month"].unique():
        others = bands.learn(_learnable(frame[frame["month"] != month]))
        for i, r in frame[frame["month"] == month].iterrows():
            band = others.get((r["metric"], r["level"], r["day"]))
            if band is not None:
                low, high = bands.range_of(r["metric"], r["forecast"], r["fact"], r["cap"], band)
                frame.at[i, "low"], frame.at[i, "high"] = float(low), float(high)
    return frame


def summary(scored: pd.DataFrame) -> pd.DataFrame:
    """Per metric, level and day (and over all days): the mean absolute percentage error of the
    run-rate and of the forecast, and the share of actuals inside the range; months with an
    actual of 0 have no percentage error."""
    frame = scored.copy()
    for col in ("actual", "run_rate", "forecast", "low", "high"):
        frame[col] = frame[col].astype(float)
    frame["inside"] = (frame["low"] <= frame["actual"] + 1e-9) & (
        frame["actual"] <= frame["high"] + 1e-9
    )
    known = frame["actual"] > 0
    frame["err_rate"] = ((frame["run_rate"] - frame["actual"]).abs() / frame["actual"] * 100).where(
        known
    )
    frame["err_method"] = (
        (frame["forecast"] - frame["actual"]).abs() / frame["actual"] * 100
    ).where(known)
    out = []
    for keys, part in frame.groupby(["metric", "level", "day"], sort=False):
        out.append((*keys, part["err_rate"].mean(), part["err_method"].mean(),
                    part["inside"].mean() * 100))  # fmt: skip
    for keys, part in frame.groupby(["metric", "level"], sort=False):
        out.append((*keys, "all", part["err_rate"].mean(), part["err_method"].mean(),
                    part["inside"].mean() * 100))  # fmt: skip
    return pd.DataFrame(
        out, columns=["metric", "level", "day", "mape_run_rate", "mape_method", "in_range_pct"]
    )
