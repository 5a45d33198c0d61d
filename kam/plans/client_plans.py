"""Per-client plans against the fact, and the clients behind a manager's figures in a period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from kam import sales
from kam.core.access import Viewer
from kam.core.models import Client, Manager, Plan, SalesDay
from kam.core.money import CENT, ZERO, to_cent
from kam.core.periods import Period

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False

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


def client_plans(
    session: Session,
    *,
    viewer: Viewer,
    period: Period,
    as_of: dt.date | None = None,
    manager_id: int | None = None,
) -> pd.DataFrame:
    """Per-client revenue plans of the period against the fact (columns CLIENT_PLAN_COLUMNS).

    One row per client: plan = its monthly plans in the period summed; fact = its revenue
    credited to the managers holding those plans, cut at ``as_of``; largest plan first.
    """
    start, end = sales.span(period, as_of)
    # The client plans in view: a KAM sees only his or her own, ``manager_id`` keeps one manager's.
    held = and_(
        Plan.client_id.is_not(None),
        Plan.metric == "revenue",
        Plan.period.between(period.start, period.end),
        sales.manager_scope(viewer, Plan.manager_id),
    )
    if manager_id is not None:
        held = and_(held, Plan.manager_id == manager_id)
    planned = session.execute(
        select(
            Client.id,  # = Plan.client_id, never NULL here
            Client.code,
            Client.name,
            Manager.code,
            func.min(Plan.period),
            func.sum(Plan.target),
        )
        .join(Client, Client.id == Plan.client_id)
        .join(Manager, Manager.id == Plan.manager_id)
        .where(held, viewer.client_condition())
        .group_by(Client.id, Client.code, Client.name, Manager.code)
        .order_by(Client.id, func.min(Plan.period), Manager.code)
    ).all()
    facts: dict[int, Decimal] = {}
    if planned and end >= start:
        # Summed in one go per client, so a client moved between managers in the period has one
        # fact, never a part of it per plan row. Only lines credited to a manager holding a plan
        # for that client in the period count (the plan is that manager's target on the client).
        holders = select(Plan.client_id, Plan.manager_id).where(held).distinct().subquery()
        fact_q = (
            select(SalesDay.client_id, func.sum(SalesDay.net))
            .join(
                holders,
                and_(
                    holders.c.client_id == SalesDay.client_id,
                    holders.c.manager_id == SalesDay.manager_id,
                ),
            )
            .where(SalesDay.day.between(start, end))
            .group_by(SalesDay.client_id)
        )
        facts = {cid: to_cent(v) for cid, v in session.execute(fact_q)}
    # A few rows per client at most (one per manager holding its plans): merged here.
    merged: dict[int, tuple[str, str, list[str], Decimal]] = {}
    for cid, code, name, mcode, _first, target in planned:
        _, _, codes, total = merged.get(cid, (code, name, [], ZERO))
        merged[cid] = (code, name, [*codes, mcode], total + Decimal(target))
    rows = []
    for cid, (code, name, codes, target) in merged.items():
        plan, fact = to_cent(target), facts.get(cid, ZERO)
        # % from the very two figures shown, both to the cent.
        pct = None if not plan else float(fact / plan * 100)
        rows.append((cid, code, name, ", ".join(codes), plan, fact, pct, plan - fact))
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
        value = revenue.get(cid, ZERO)
        plan = planned["plan"].get(cid)
        rows.append(
            (
                cid,
                *names[cid],
                value,
                value >= CENT,
                cid in new,
                plan,
                None if not plan else float(value / plan * 100),
            )
        )
    rows.sort(key=lambda r: (-r[3], r[1]))
    return pd.DataFrame(rows, columns=CLIENTS_BEHIND_COLUMNS)
