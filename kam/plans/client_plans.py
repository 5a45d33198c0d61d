"""Per-client plans against the fact, and the clients behind a manager's figures in a period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from sqlalchemy import func, select
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

    plan = the client's monthly plans in the period summed; fact = that client's revenue
    credited to the plan's manager, cut at ``as_of``; sorted by plan, largest first.
    """
    start, end = sales.span(period, as_of)
    query = (
        select(
            Client.id,  # = Plan.client_id, never NULL here
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
        .group_by(Client.id, Plan.manager_id, Client.code, Client.name, Manager.code)
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
        facts = {(c, m): to_cent(v) for c, m, v in session.execute(fact_q)}
    rows = []
    for cid, mid, code, name, mcode, target in planned:
        plan, fact = to_cent(target), facts.get((cid, mid), ZERO)
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
