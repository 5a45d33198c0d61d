"""Collection figures per day and client (outstanding, 90-day revenue, money paid and how late),
and the one formula each of DSO and average days late built on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import pandas as pd
from sqlalchemy import Subquery, func, select, union_all
from sqlalchemy.orm import Session

from kam import sales
from kam.core.access import Viewer
from kam.core.models import Client, SalesDay
from kam.core.money import HALF_CENT, to_cent
from kam.receivables import store
from kam.receivables.allocation import NIL, allocate, balances, pieces
from kam.receivables.days import DSO_DAYS, as_of_days, days_late

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False


def days_sales_outstanding(outstanding: Decimal, revenue: Decimal) -> float | None:
    """DSO = outstanding / the revenue of the DSO_DAYS days up to the day × DSO_DAYS; None when
    that revenue is not positive."""
    return float(outstanding / revenue * DSO_DAYS) if revenue > 0 else None


def average_days_late(late_days: Decimal | float | None, paid: Decimal) -> float | None:
    """Average days late = Σ(amount × days late) / Σ amount of the money paid; None when none was."""
    return float(Decimal(str(late_days or 0)) / paid) if paid else None


def collection_figures(
    session: Session,
    days: Sequence[dt.date],
    *,
    viewer: Viewer,
    client_id: int | None = None,
    outstanding: bool = True,
    revenue: bool = True,
    paid: bool = True,
) -> Subquery:
    """Per day and client: outstanding, revenue_90d, paid_12m and late_days (Σ amount × days
    late of that money); a figure not asked for is 0 (paid_12m and late_days go together).
    Days the store covers read it (``store.covering``); the others are allocated live."""

    def part(day, client, owes=NIL, sold=NIL, money=NIL, late=NIL):  # noqa: ANN001, ANN202
        return (
            day.label("as_of"), client.label("client_id"), owes.label("outstanding"),
            sold.label("revenue"), money.label("paid"), late.label("late"),
        )  # fmt: skip

    covered = store.covering(session, days) if outstanding or paid else {}
    live = [day for day in days if day not in covered]
    alloc = (
        allocate(live, viewer=viewer, client_id=client_id)
        if live and (outstanding or paid)
        else None
    )
    kept_days = store.day_map(covered) if covered else None
    parts = []
    if outstanding:
        owing = [balances(alloc)] if alloc is not None else []
        if kept_days is not None:
            owing.append(store.stored_balances(kept_days, viewer=viewer, client_id=client_id))
        for owed in owing:
            parts.append(select(*part(owed.c.as_of, owed.c.client_id, owes=owed.c.outstanding)))
    if revenue:
        ends = as_of_days(days, name="revenue_days")
        sold = select(*part(ends.c.as_of, SalesDay.client_id, sold=SalesDay.net)).join(
            ends, SalesDay.day.between(ends.c.sales_from, ends.c.as_of)
        )
        if client_id is not None:
            sold = sold.where(SalesDay.client_id == client_id)
        parts.append(sales.only_visible(sold, viewer=viewer, client_id=SalesDay.client_id))
    if paid:
        if alloc is not None:
            found = pieces(alloc, last_year=True).subquery()
            amount = found.c.amount
            late = amount * days_late(found.c.payment_date, found.c.due_date)
            parts.append(select(*part(found.c.as_of, found.c.client_id, money=amount, late=late)))
        if kept_days is not None:
            kept = store.stored_paid(kept_days, viewer=viewer, client_id=client_id).subquery()
            parts.append(
                select(*part(kept.c.as_of, kept.c.client_id, money=kept.c.paid,
                             late=kept.c.late_days))
            )  # fmt: skip
    rows = union_all(*parts).subquery()
    return (
        select(
            rows.c.as_of,
            rows.c.client_id,
            func.sum(rows.c.outstanding).label("outstanding"),
            func.sum(rows.c.revenue).label("revenue_90d"),
            func.sum(rows.c.paid).label("paid_12m"),
            func.sum(rows.c.late).label("late_days"),
        )
        .group_by(rows.c.as_of, rows.c.client_id)
        .subquery("collection_figures")
    )


def payment_discipline(
    session: Session,
    *,
    viewer: Viewer,
    as_of: dt.date,
    manager_id: int | None = None,
    client_id: int | None = None,
) -> pd.DataFrame:
    """Amount-weighted average days late per client over the 12 months up to ``as_of``:
    client_id, client_code, paid, avg_days_late."""
    fig = collection_figures(
        session, [as_of], viewer=viewer, client_id=client_id, outstanding=False, revenue=False
    )
    query = (
        select(Client.id, Client.code, fig.c.paid_12m, fig.c.late_days)
        .join(Client, Client.id == fig.c.client_id)
        .where(fig.c.paid_12m > HALF_CENT)
        .order_by(Client.code)
    )
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    rows = []
    for cid, code, paid, late in session.execute(query):
        paid = to_cent(paid)
        rows.append((cid, code, paid, average_days_late(late, paid)))
    return pd.DataFrame(rows, columns=["client_id", "client_code", "paid", "avg_days_late"])


def dso(
    session: Session,
    *,
    viewer: Viewer,
    as_of: dt.date,
    manager_id: int | None = None,
    client_id: int | None = None,
) -> float | None:
    """Days sales outstanding at ``as_of`` over the clients seen (of ``manager_id``, or one
    client): ``days_sales_outstanding`` of their outstanding and revenue."""
    fig = collection_figures(session, [as_of], viewer=viewer, client_id=client_id, paid=False)
    query = select(func.sum(fig.c.outstanding), func.sum(fig.c.revenue_90d)).join(
        Client, Client.id == fig.c.client_id
    )
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    outstanding, revenue = session.execute(query).one()
    return days_sales_outstanding(to_cent(outstanding), to_cent(revenue))
