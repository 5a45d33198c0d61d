"""Sales figures from the rollups (sales_day, first_sale): spans, visibility, revenue, active
and new clients by manager and client; the definitions are in docs/METRICS.md."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from sqlalchemy import ColumnElement, Select, SQLColumnExpression, func, select, true
from sqlalchemy.orm import Session

from kam.core.access import Viewer
from kam.core.models import Client, FirstSale, Manager, SalesDay
from kam.core.money import HALF_CENT, to_cent
from kam.core.periods import Period, same_day_year_before

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False


def span(period: Period, as_of: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The period's first day and its last day, cut at ``as_of`` when that comes earlier."""
    return period.start, period.end if as_of is None else min(period.end, as_of)


def is_over(period: Period, as_of: dt.date | None) -> bool:
    """True when the period has ended on or before ``as_of`` (or no cut is given)."""
    return as_of is None or as_of >= period.end


def last_year_span(period: Period, as_of: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The same period a year earlier, cut at the same day when the period is not over."""
    before = period.year_before()
    if is_over(period, as_of):
        return before.start, before.end
    assert as_of is not None
    return span(before, same_day_year_before(as_of))


def only_visible(query: Select, *, viewer: Viewer, client_id: SQLColumnExpression[int]) -> Select:
    """``query`` restricted to the clients the viewer may see (no extra work for those who see all)."""
    if viewer.sees_all:
        return query
    return query.where(client_id.in_(select(Client.id).where(viewer.client_condition())))


def manager_scope(viewer: Viewer, manager_id: SQLColumnExpression[int]) -> ColumnElement[bool]:
    """A condition keeping a KAM to his or her own manager-level figures."""
    return true() if viewer.sees_all else manager_id == viewer.manager_id


def revenue_by_manager(
    session: Session, *, viewer: Viewer, start: dt.date, end: dt.date
) -> dict[int, Decimal]:
    """Net sales credited to each manager with doc_date from ``start`` to ``end`` inclusive."""
    query = (
        select(SalesDay.manager_id, func.sum(SalesDay.net))
        .where(SalesDay.day.between(start, end), manager_scope(viewer, SalesDay.manager_id))
        .group_by(SalesDay.manager_id)
    )
    return {mid: to_cent(total) for mid, total in session.execute(query)}


def _net_by_manager_client(start: dt.date, end: dt.date, viewer: Viewer) -> Select:
    return (
        select(SalesDay.manager_id, SalesDay.client_id)
        .where(SalesDay.day.between(start, end), manager_scope(viewer, SalesDay.manager_id))
        .group_by(SalesDay.manager_id, SalesDay.client_id)
        .having(func.sum(SalesDay.net) > HALF_CENT)
    )


def active_clients_by_manager(
    session: Session, *, viewer: Viewer, start: dt.date, end: dt.date
) -> dict[int, int]:
    """Distinct clients whose net sales credited to each manager in the span are above 0."""
    active = _net_by_manager_client(start, end, viewer).subquery()
    query = select(active.c.manager_id, func.count()).group_by(active.c.manager_id)
    return {mid: int(n) for mid, n in session.execute(query)}


def team_active_clients(session: Session, *, viewer: Viewer, start: dt.date, end: dt.date) -> int:
    """Distinct clients whose net sales to the whole (visible) team in the span are above 0."""
    active = (
        select(SalesDay.client_id)
        .where(SalesDay.day.between(start, end), manager_scope(viewer, SalesDay.manager_id))
        .group_by(SalesDay.client_id)
        .having(func.sum(SalesDay.net) > HALF_CENT)
        .subquery()
    )
    return int(session.execute(select(func.count()).select_from(active)).scalar_one())


def new_clients_by_manager(
    session: Session, *, viewer: Viewer, start: dt.date, end: dt.date
) -> dict[int, int]:
    """Clients whose first ever positive sales line falls in the span, per manager on that line."""
    query = (
        select(FirstSale.manager_id, func.count())
        .where(FirstSale.doc_date.between(start, end), manager_scope(viewer, FirstSale.manager_id))
        .group_by(FirstSale.manager_id)
    )
    return {mid: int(n) for mid, n in session.execute(query)}


def new_clients(
    session: Session,
    *,
    viewer: Viewer,
    start: dt.date,
    end: dt.date,
    manager_id: int | None = None,
) -> pd.DataFrame:
    """The new clients of the span: client_id, client_code, manager_code, first_sale_date."""
    query = (
        select(
            Client.id.label("client_id"),
            Client.code.label("client_code"),
            Manager.code.label("manager_code"),
            FirstSale.doc_date.label("first_sale_date"),
        )
        .join(Client, Client.id == FirstSale.client_id)
        .join(Manager, Manager.id == FirstSale.manager_id)
        .where(FirstSale.doc_date.between(start, end))
        .order_by(FirstSale.doc_date, Client.code)
    )
    if manager_id is not None:
        query = query.where(FirstSale.manager_id == manager_id)
    query = only_visible(query, viewer=viewer, client_id=FirstSale.client_id)
    return pd.DataFrame(session.execute(query).all(), columns=list(query.selected_columns.keys()))


def revenue_by_client(
    session: Session,
    *,
    viewer: Viewer,
    start: dt.date,
    end: dt.date,
    manager_id: int | None = None,
) -> dict[int, Decimal]:
    """Net sales per client from ``start`` to ``end``; only lines credited to ``manager_id`` if given."""
    query = (
        select(SalesDay.client_id, func.sum(SalesDay.net))
        .where(SalesDay.day.between(start, end))
        .group_by(SalesDay.client_id)
    )
    if manager_id is not None:
        query = query.where(SalesDay.manager_id == manager_id)
    query = only_visible(query, viewer=viewer, client_id=SalesDay.client_id)
    return {cid: to_cent(total) for cid, total in session.execute(query)}


def percent_of(part: Decimal | float, whole: Decimal | float) -> float | None:
    """``part`` as a percentage of ``whole``; None when ``whole`` is 0."""
    return None if not whole else float(Decimal(str(part)) / Decimal(str(whole)) * 100)
