"""Returns and refusals from the monthly rollup: by reason, the returns rate per client or
category, and the clients who returned the most."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import pandas as pd
from sqlalchemy import Select, case, func, literal, select
from sqlalchemy.orm import Session

from kam.core.access import Viewer
from kam.core.models import Client, SalesMonth
from kam.core.money import HALF_CENT, to_cent
from kam.core.periods import Period
from kam.sales import spans
from kam.sales.figures import only_visible, percent_of

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False


def _gross_sales(
    session: Session,
    *,
    viewer: Viewer,
    period: Period,
    manager_id: int | None,
    client_id: int | None,
) -> Decimal:
    rows = spans.category_rows(period.start, period.end, client_id=client_id)
    query = select(func.sum(rows.c.amount)).where(rows.c.kind == "sale")
    if manager_id is not None:
        query = query.where(rows.c.manager_id == manager_id)
    return to_cent(
        session.execute(only_visible(query, viewer=viewer, client_id=rows.c.client_id)).scalar()
    )


def _filtered(query: Select, manager_id: int | None, client_id: int | None) -> Select:
    if manager_id is not None:
        query = query.where(SalesMonth.manager_id == manager_id)
    if client_id is not None:
        query = query.where(SalesMonth.client_id == client_id)
    return query


def returns_by_reason(
    session: Session,
    *,
    viewer: Viewer,
    period: Period,
    manager_id: int | None = None,
    client_id: int | None = None,
) -> pd.DataFrame:
    """Returns and refusals in the days of ``period`` by reason: reason, kind, amount, lines,
    share_of_gross_pct.

    amount is negative like the lines; the share is −amount over the gross sales of the same scope.
    """
    span = spans.category_rows(period.start, period.end, client_id=client_id)
    query = (
        select(span.c.reason, span.c.kind, func.sum(span.c.amount), func.sum(span.c.lines))
        .where(span.c.kind != "sale")
        .group_by(span.c.reason, span.c.kind)
    )
    if manager_id is not None:
        query = query.where(span.c.manager_id == manager_id)
    query = only_visible(query, viewer=viewer, client_id=span.c.client_id)
    gross = _gross_sales(
        session, viewer=viewer, period=period, manager_id=manager_id, client_id=client_id
    )
    rows = sorted(
        (
            (reason, kind, to_cent(amount), int(lines))
            for reason, kind, amount, lines in session.execute(query)
        ),
        key=lambda r: (r[2], r[0], r[1]),
    )
    return pd.DataFrame(
        [(*r, percent_of(-r[2], gross)) for r in rows],
        columns=["reason", "kind", "amount", "lines", "share_of_gross_pct"],
    )


def returns_rates(
    session: Session,
    *,
    viewer: Viewer,
    period: Period,
    by: Literal["client", "category"],
    manager_id: int | None = None,
    client_id: int | None = None,
) -> pd.DataFrame:
    """Returns rate per client or category in whole months: key, gross, returns, refusals, returns_rate_pct.

    key is the client code or the category; returns_rate_pct = −(returns + refusals) / gross × 100.
    """
    amount = SalesMonth.amount
    key = Client.code if by == "client" else SalesMonth.category
    query = (
        select(
            key,
            func.sum(case((SalesMonth.kind == "sale", amount), else_=literal(0))),
            func.sum(case((SalesMonth.kind == "return", amount), else_=literal(0))),
            func.sum(case((SalesMonth.kind == "refusal", amount), else_=literal(0))),
        )
        .join(Client, Client.id == SalesMonth.client_id)
        .where(SalesMonth.month.between(period.start, period.end))
        .group_by(key)
        .order_by(key)
    )
    query = only_visible(
        _filtered(query, manager_id, client_id), viewer=viewer, client_id=SalesMonth.client_id
    )
    rows = [(k, to_cent(g), to_cent(r), to_cent(f)) for k, g, r, f in session.execute(query)]
    return pd.DataFrame(
        [(k, g, r, f, percent_of(-(r + f), g)) for k, g, r, f in rows],
        columns=["key", "gross", "returns", "refusals", "returns_rate_pct"],
    )


def returns_by_client(
    session: Session,
    *,
    viewer: Viewer,
    period: Period,
    manager_id: int | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Clients with returns or refusals in the whole months of ``period``, largest returned amount
    first: client_id, client_code, client_name, gross, returns, refusals, returns_rate_pct.

    returns and refusals are negative like the lines; the rate is −(returns + refusals) / gross × 100
    (empty when the client bought nothing in the period). ``manager_id`` = lines credited to him.
    """
    amount = SalesMonth.amount
    returned = func.sum(case((SalesMonth.kind != "sale", amount), else_=literal(0)))
    query = (
        select(
            Client.id,
            Client.code,
            Client.name,
            func.sum(case((SalesMonth.kind == "sale", amount), else_=literal(0))),
            func.sum(case((SalesMonth.kind == "return", amount), else_=literal(0))),
            func.sum(case((SalesMonth.kind == "refusal", amount), else_=literal(0))),
        )
        .join(Client, Client.id == SalesMonth.client_id)
        .where(SalesMonth.month.between(period.start, period.end))
        .group_by(Client.id, Client.code, Client.name)
        .having(returned < -HALF_CENT)
        .order_by(returned, Client.code)
    )
    if limit is not None:
        query = query.limit(limit)
    query = only_visible(
        _filtered(query, manager_id, None), viewer=viewer, client_id=SalesMonth.client_id
    )
    rows = [
        (cid, code, name, to_cent(g), to_cent(r), to_cent(f))
        for cid, code, name, g, r, f in session.execute(query)
    ]
    return pd.DataFrame(
        [(*row, percent_of(-(row[4] + row[5]), row[3])) for row in rows],
        columns=[
            "client_id",
            "client_code",
            "client_name",
            "gross",
            "returns",
            "refusals",
            "returns_rate_pct",
        ],
    )
