"""The plan fulfilment page's figures: which periods to offer, one metric's scorecard rows with
their comparisons, and the daily pacing of revenue against plan and last year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from kam import sales
from kam.core.access import Viewer
from kam.core.models import SalesDay
from kam.core.money import CENT, ZERO, to_cent
from kam.core.periods import (
    Period,
    is_working_day,
    month_of,
    quarter_of,
    same_day_year_before,
    year_of,
)
from kam.plans.scorecard import calendar, plan_targets

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False

PERIOD_KINDS = ("month", "quarter", "year")
PACING_COLUMNS = ["day", "fact", "plan", "last_year"]


def as_of_for(period: Period, today: dt.date) -> dt.date:
    """The day a period is seen at: today while it runs (or before it starts), else its last day."""
    return min(today, period.end)


def recent_periods(kind: str, today: dt.date, count: int) -> list[Period]:
    """The ``count`` periods of ``kind`` up to the one containing ``today``, newest first."""
    if kind not in PERIOD_KINDS:
        raise ValueError(f"unknown period kind {kind!r}: expected one of {', '.join(PERIOD_KINDS)}")
    current = parse_kind(kind, today)
    out = [current]
    while len(out) < count:
        out.append(parse_kind(kind, out[-1].start - dt.timedelta(days=1)))
    return out


def parse_kind(kind: str, day: dt.date) -> Period:
    """The period of ``kind`` (month, quarter, year) containing ``day``."""
    if kind == "month":
        return month_of(day)
    return quarter_of(day) if kind == "quarter" else year_of(day)


def fulfilment_rows(card: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One metric's scorecard rows plus the signed comparisons a reader scans for:
    forecast_vs_plan_pct = forecast % − 100 (negative: the forecast misses the plan) and
    vs_last_year_pct = fact / last year × 100 − 100 (empty when last year is 0)."""
    rows = card[card["metric"] == metric].reset_index(drop=True)
    rows["forecast_vs_plan_pct"] = [
        None if pct is None or pd.isna(pct) else float(pct) - 100 for pct in rows["forecast_pct"]
    ]
    rows["vs_last_year_pct"] = [
        None if not last else float(fact / last * 100) - 100
        for fact, last in zip(rows["fact"], rows["last_year_fact"], strict=True)
    ]
    return rows


def pacing(
    session: Session,
    *,
    viewer: Viewer,
    period: Period,
    as_of: dt.date,
    manager_id: int | None = None,
) -> pd.DataFrame:
    """Cumulative revenue per day of the period (columns PACING_COLUMNS).

    fact: up to and including ``as_of`` (empty after it); plan: the revenue plan spread evenly
    over the working days (empty without a plan); last_year: cumulative revenue up to the same
    day a year earlier (the period's last day maps to the last day of last year's period).
    """
    scope = sales.manager_scope(viewer, SalesDay.manager_id)
    if manager_id is not None:
        scope = and_(scope, SalesDay.manager_id == manager_id)
    before = period.year_before()

    def daily(start: dt.date, end: dt.date) -> dict[dt.date, Decimal]:
        query = (
            select(SalesDay.day, func.sum(SalesDay.net))
            .where(SalesDay.day.between(start, end), scope)
            .group_by(SalesDay.day)
        )
        return {sales.as_date(d): to_cent(v) for d, v in session.execute(query)}

    now = daily(period.start, min(as_of, period.end))
    then = daily(before.start, before.end)
    targets = plan_targets(session, viewer=viewer, period=period)
    wanted = [v for (mid, m), v in targets.items() if m == "revenue" and manager_id in (None, mid)]
    plan = sum(wanted, ZERO) if wanted else None
    total = calendar(period).total

    rows, fact, ly, ly_day, worked = [], ZERO, ZERO, before.start, 0
    day = period.start
    while day <= period.end:
        fact += now.get(day, ZERO)
        worked += is_working_day(day)
        # Last year runs up to the same day a year earlier; the last day takes the whole period.
        ly_to = before.end if day == period.end else same_day_year_before(day)
        while ly_day <= ly_to:
            ly += then.get(ly_day, ZERO)
            ly_day += dt.timedelta(days=1)
        planned = None if plan is None or total == 0 else (plan * worked / total).quantize(CENT)
        rows.append((day, fact if day <= as_of else None, planned, ly))
        day += dt.timedelta(days=1)
    return pd.DataFrame(rows, columns=PACING_COLUMNS)
