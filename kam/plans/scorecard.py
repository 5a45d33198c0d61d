"""The plan scorecard: plan vs fact per manager and metric, with forecast, gap and last year,
over the working-day calendar of the period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from kam import sales
from kam.core.access import SYSTEM, Viewer
from kam.core.models import PLAN_METRICS, Manager, Plan
from kam.core.money import CENT, to_cent
from kam.core.periods import Period, working_days
from kam.core.team import TEAM, is_team
from kam.plans.forecast import Forecaster

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False

SCORECARD_COLUMNS = [
    "manager_id",
    "manager_code",
    "metric",
    "plan",
    "fact",
    "fulfilment_pct",
    "forecast",
    "forecast_low",
    "forecast_high",
    "forecast_pct",
    "gap",
    "required_daily_rate",
    "still_needed",
    "last_year_fact",
]


@dataclass(frozen=True)
class Calendar:
    """Working days of a period as seen on the as-of day."""

    total: int  # working days in the period
    elapsed: int  # from the first day up to and including the as-of day
    remaining: int  # after the as-of day


def calendar(period: Period, as_of: dt.date | None = None) -> Calendar:
    """Working days in the period, elapsed by ``as_of`` (all when None) and remaining."""
    total = working_days(period.start, period.end)
    elapsed = total if as_of is None else working_days(period.start, min(as_of, period.end))
    return Calendar(total=total, elapsed=elapsed, remaining=total - elapsed)


def plan_targets(
    session: Session, *, viewer: Viewer, period: Period
) -> dict[tuple[int, str], Decimal]:
    """Manager-level plans of the period: revenue and new clients summed over its months,
    active clients the largest monthly plan."""
    target = case(
        (Plan.metric == "active_clients", func.max(Plan.target)), else_=func.sum(Plan.target)
    )
    query = (
        select(Plan.manager_id, Plan.metric, target)
        .where(
            Plan.client_id.is_(None),
            Plan.period.between(period.start, period.end),
            sales.manager_scope(viewer, Plan.manager_id),
        )
        .group_by(Plan.manager_id, Plan.metric)
    )
    return {(mid, metric): to_cent(value) for mid, metric, value in session.execute(query)}


def _facts(
    session: Session, viewer: Viewer, start: dt.date, end: dt.date
) -> dict[str, dict[int, Decimal]]:
    if end < start:
        return {metric: {} for metric in PLAN_METRICS}
    return {
        "revenue": sales.revenue_by_manager(session, viewer=viewer, start=start, end=end),
        "active_clients": {
            k: Decimal(v)
            for k, v in sales.active_clients_by_manager(
                session, viewer=viewer, start=start, end=end
            ).items()
        },
        "new_clients": {
            k: Decimal(v)
            for k, v in sales.new_clients_by_manager(
                session, viewer=viewer, start=start, end=end
            ).items()
        },
    }


def _team_active(session: Session, viewer: Viewer, start: dt.date, end: dt.date) -> Decimal:
    if end < start:
        return Decimal(0)
    return Decimal(sales.team_active_clients(session, viewer=viewer, start=start, end=end))


def _row(
    manager_id: int | None,
    code: str | None,
    metric: str,
    plan: Decimal | None,
    fact: Decimal,
    last_year: Decimal,
    cal: Calendar,
    forecaster: Forecaster,
) -> tuple:
    predicted = forecaster.forecast(manager_id, metric, fact)
    forecast = predicted.value
    gap = None if plan is None else plan - fact
    # A plan already met needs no more daily sales: the rate is 0, never negative.
    rate = None if gap is None or cal.remaining == 0 else max(gap, Decimal(0)) / cal.remaining
    # Clients come whole: a count still to go, not a fraction of a client a day.
    needed = None if gap is None or metric == "revenue" else max(gap, Decimal(0))
    if metric != "revenue":
        rate = None
    return (
        manager_id,
        code,
        metric,
        plan,
        fact,
        None if not plan else float(fact / plan * 100),
        forecast.quantize(CENT),
        predicted.low.quantize(CENT),
        predicted.high.quantize(CENT),
        None if not plan else float(forecast / plan * 100),
        gap,
        None if rate is None else rate.quantize(CENT),
        None if needed is None else needed.quantize(CENT),
        last_year,
    )


def scorecard(
    session: Session,
    *,
    viewer: Viewer,
    period: Period,
    as_of: dt.date | None = None,
    manager_id: int | None = None,
    forecaster: Forecaster | None = None,
) -> pd.DataFrame:
    """Plan vs fact per manager and metric (columns SCORECARD_COLUMNS), cut at ``as_of``
    (``forecaster``: one already built for the same viewer, period and day, to reuse).

    Lists active KAMs and every manager with a plan or a fact (a KAM: only his or her own);
    team rows (``kam.core.team``) follow when no manager is chosen.
    """
    start, end = sales.span(period, as_of)
    ly_start, ly_end = sales.last_year_span(period, as_of)
    cal = calendar(period, as_of)
    plans = plan_targets(session, viewer=viewer, period=period)
    facts = _facts(session, viewer, start, end)
    last = _facts(session, viewer, ly_start, ly_end)
    forecaster = forecaster or Forecaster(
        session, viewer=viewer, period=period, as_of=as_of, elapsed=cal.elapsed, total=cal.total
    )

    wanted = {mid for mid, _ in plans} | {m for f in facts.values() for m in f}
    query = (
        select(Manager.id, Manager.code)
        .where(
            or_(and_(Manager.role == "kam", Manager.active.is_(True)), Manager.id.in_(wanted)),
            sales.manager_scope(viewer, Manager.id),
        )
        .order_by(Manager.code)
    )
    if manager_id is not None:
        query = query.where(Manager.id == manager_id)
    managers = session.execute(query).all()

    zero = Decimal(0)
    rows = [
        _row(
            mid,
            code,
            metric,
            plans.get((mid, metric)),
            facts[metric].get(mid, zero),
            last[metric].get(mid, zero),
            cal,
            forecaster,
        )
        for mid, code in managers
        for metric in PLAN_METRICS
    ]
    if viewer.sees_all and manager_id is None:
        for metric in PLAN_METRICS:
            team_plans = [v for (_, m), v in plans.items() if m == metric]
            if metric == "active_clients":
                # The same client active with two managers is one client for the team.
                fact = _team_active(session, viewer, start, end)
                last_year = _team_active(session, viewer, ly_start, ly_end)
            else:
                fact = sum(facts[metric].values(), zero)
                last_year = sum(last[metric].values(), zero)
            plan = sum(team_plans, zero) if team_plans else None
            rows.append(_row(None, TEAM, metric, plan, fact, last_year, cal, forecaster))
    elif manager_id is None:
        # A KAM sees the team's totals beside his or her own rows, never other managers' rows.
        team = scorecard(session, viewer=SYSTEM, period=period, as_of=as_of)
        rows.extend(team[is_team(team)].itertuples(index=False, name=None))
    return pd.DataFrame(rows, columns=SCORECARD_COLUMNS)
