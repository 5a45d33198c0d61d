"""The plan scorecard: plan vs fact per manager and metric, with forecast, gap and last year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from kam import sales
from kam.core.access import SYSTEM, Viewer
from kam.core.models import PLAN_METRICS, Client, Manager, Plan, SalesDay
from kam.core.periods import Period, is_working_day, parse, same_day_year_before, working_days
from kam.core.team import TEAM, is_team

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
    "forecast_pct",
    "gap",
    "required_daily_rate",
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
    return {(mid, metric): sales.money(value) for mid, metric, value in session.execute(query)}


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
    code: str,
    metric: str,
    plan: Decimal | None,
    fact: Decimal,
    last_year: Decimal,
    cal: Calendar,
) -> tuple:
    # A forecast needs at least one elapsed working day to extrapolate from.
    forecast = None if cal.elapsed == 0 else fact / cal.elapsed * cal.total
    gap = None if plan is None else plan - fact
    # A plan already met needs no more daily sales: the rate is 0, never negative.
    rate = None if gap is None or cal.remaining == 0 else max(gap, Decimal(0)) / cal.remaining
    return (
        manager_id,
        code,
        metric,
        plan,
        fact,
        None if not plan else float(fact / plan * 100),
        None if forecast is None else forecast.quantize(sales.CENT),
        None if forecast is None or not plan else float(forecast / plan * 100),
        gap,
        None if rate is None else rate.quantize(sales.CENT),
        last_year,
    )


def scorecard(
    session: Session,
    *,
    viewer: Viewer,
    period: Period,
    as_of: dt.date | None = None,
    manager_id: int | None = None,
) -> pd.DataFrame:
    """Plan vs fact per manager and metric (columns SCORECARD_COLUMNS), cut at ``as_of``.

    Lists active KAMs and every manager with a plan or a fact (a KAM: only his or her own);
    team rows (``kam.core.team``) follow when no manager is chosen.
    """
    start, end = sales.span(period, as_of)
    ly_start, ly_end = sales.last_year_span(period, as_of)
    cal = calendar(period, as_of)
    plans = plan_targets(session, viewer=viewer, period=period)
    facts = _facts(session, viewer, start, end)
    last = _facts(session, viewer, ly_start, ly_end)

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
            rows.append(_row(None, TEAM, metric, plan, fact, last_year, cal))
    elif manager_id is None:
        # A KAM sees the team's totals beside his or her own rows, never other managers' rows.
        team = scorecard(session, viewer=SYSTEM, period=period, as_of=as_of)
        rows.extend(team[is_team(team)].itertuples(index=False, name=None))
    return pd.DataFrame(rows, columns=SCORECARD_COLUMNS)


# --- The plan fulfilment page: period choice, pacing, the clients behind a manager's figure ---

PERIOD_KINDS = ("month", "quarter", "year")
PACING_COLUMNS = ["day", "fact", "plan", "last_year"]
CLIENT_PLAN_COLUMNS = [
    "client_id",
    "client_code",
    "client_name",
    "manager_code",
    "plan",
    "fact",
    "fulfilment_pct",
    "gap",
]
CLIENTS_BEHIND_COLUMNS = [
    "client_id",
    "client_code",
    "client_name",
    "revenue",
    "active",
    "new",
    "plan",
    "fulfilment_pct",
]


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
        return parse(f"{day.year}-{day.month:02d}")
    if kind == "quarter":
        return parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    return parse(str(day.year))


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
        return {sales.as_date(d): sales.money(v) for d, v in session.execute(query)}

    now = daily(period.start, min(as_of, period.end))
    then = daily(before.start, before.end)
    targets = plan_targets(session, viewer=viewer, period=period)
    wanted = [v for (mid, m), v in targets.items() if m == "revenue" and manager_id in (None, mid)]
    plan = sum(wanted, sales.ZERO) if wanted else None
    total = calendar(period).total

    rows, fact, ly, ly_day, worked = [], sales.ZERO, sales.ZERO, before.start, 0
    day = period.start
    while day <= period.end:
        fact += now.get(day, sales.ZERO)
        worked += is_working_day(day)
        # Last year runs up to the same day a year earlier; the last day takes the whole period.
        ly_to = before.end if day == period.end else same_day_year_before(day)
        while ly_day <= ly_to:
            ly += then.get(ly_day, sales.ZERO)
            ly_day += dt.timedelta(days=1)
        planned = (
            None if plan is None or total == 0 else (plan * worked / total).quantize(sales.CENT)
        )
        rows.append((day, fact if day <= as_of else None, planned, ly))
        day += dt.timedelta(days=1)
    return pd.DataFrame(rows, columns=PACING_COLUMNS)


def client_plans(
    session: Session,
    *,
    viewer: Viewer,
    period: Period,
    as_of: dt.date | None = None,
    manager_id: int | None = None,
) -> pd.DataFrame:
    """Per-client revenue plans of the period against the fact (columns CLIENT_PLAN_COLUMNS).

    plan = the client's monthly plans in the period summed; fact = that client's revenue
    credited to the plan's manager, cut at ``as_of``; sorted by plan, largest first.
    """
    start, end = sales.span(period, as_of)
    query = (
        select(
            Plan.client_id,
            Plan.manager_id,
            Client.code,
            Client.name,
            Manager.code,
            func.sum(Plan.target),
        )
        .join(Client, Client.id == Plan.client_id)
        .join(Manager, Manager.id == Plan.manager_id)
        .where(
            Plan.client_id.is_not(None),
            Plan.metric == "revenue",
            Plan.period.between(period.start, period.end),
            sales.manager_scope(viewer, Plan.manager_id),
            viewer.client_condition(),
        )
        .group_by(Plan.client_id, Plan.manager_id, Client.code, Client.name, Manager.code)
    )
    if manager_id is not None:
        query = query.where(Plan.manager_id == manager_id)
    planned = session.execute(query).all()
    facts: dict[tuple[int, int], Decimal] = {}
    if planned and end >= start:
        fact_q = (
            select(SalesDay.client_id, SalesDay.manager_id, func.sum(SalesDay.net))
            .where(
                SalesDay.day.between(start, end),
                SalesDay.client_id.in_({cid for cid, *_ in planned}),
            )
            .group_by(SalesDay.client_id, SalesDay.manager_id)
        )
        facts = {(c, m): sales.money(v) for c, m, v in session.execute(fact_q)}
    rows = []
    for cid, mid, code, name, mcode, target in planned:
        plan, fact = sales.money(target), facts.get((cid, mid), sales.ZERO)
        pct = None if not plan else float(fact / plan * 100)
        rows.append((cid, code, name, mcode, plan, fact, pct, plan - fact))
    rows.sort(key=lambda r: (-r[4], r[1]))
    return pd.DataFrame(rows, columns=CLIENT_PLAN_COLUMNS)


def clients_behind(
    session: Session,
    *,
    viewer: Viewer,
    period: Period,
    as_of: dt.date,
    manager_id: int,
) -> pd.DataFrame:
    """The clients behind a manager's figures in the period (columns CLIENTS_BEHIND_COLUMNS).

    revenue credited to the manager (kam.sales.figures.revenue_by_client), active = revenue above 0,
    new = first purchase in the period credited to the manager, and the client's plan if any;
    largest revenue first.
    """
    start, end = sales.span(period, as_of)
    revenue = (
        {}
        if end < start
        else sales.revenue_by_client(
            session, viewer=viewer, start=start, end=end, manager_id=manager_id
        )
    )
    new = (
        set()
        if end < start
        else set(
            sales.new_clients(session, viewer=viewer, start=start, end=end, manager_id=manager_id)[
                "client_id"
            ]
        )
    )
    planned = client_plans(
        session, viewer=viewer, period=period, as_of=as_of, manager_id=manager_id
    ).set_index("client_id")
    ids = set(revenue) | new | set(planned.index)
    names = {
        cid: (code, name)
        for cid, code, name in session.execute(
            select(Client.id, Client.code, Client.name).where(Client.id.in_(ids))
        )
    }
    rows = []
    for cid in ids:
        value = revenue.get(cid, sales.ZERO)
        plan = planned["plan"].get(cid)
        rows.append(
            (
                cid,
                *names[cid],
                value,
                value >= sales.CENT,
                cid in new,
                plan,
                None if not plan else float(value / plan * 100),
            )
        )
    rows.sort(key=lambda r: (-r[3], r[1]))
    return pd.DataFrame(rows, columns=CLIENTS_BEHIND_COLUMNS)
