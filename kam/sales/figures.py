"""Sales figures: revenue, active and new clients, monthly history, category mix and returns.

Every figure reads the rollups (sales_day, sales_month, first_sale), never the raw sales lines;
the definitions are in docs/METRICS.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

import pandas as pd
from sqlalchemy import ColumnElement, Select, case, func, literal, select, true, union_all
from sqlalchemy.orm import Session

from kam.core.access import Viewer
from kam.core.models import Client, FirstSale, Manager, SalesDay, SalesMonth
from kam.core.periods import Period, add_months, same_day_year_before
from kam.core.sqlfn import month_start

# Amounts have two decimals, so "greater than 0" is "greater than half a cent": on SQLite the
# sums are floats and 0.1 + 0.2 - 0.3 is not exactly 0.
HALF_CENT = 0.005
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


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


def money(value: Decimal | float | int | None) -> Decimal:
    """A sum from the database as Decimal with two decimals (NULL is 0)."""
    return ZERO if value is None else Decimal(str(value)).quantize(CENT)


def only_visible(query: Select, *, viewer: Viewer, client_id: ColumnElement[int]) -> Select:
    """``query`` restricted to the clients the viewer may see (no extra work for those who see all)."""
    if viewer.sees_all:
        return query
    return query.where(client_id.in_(select(Client.id).where(viewer.client_condition())))


def manager_scope(viewer: Viewer, manager_id: ColumnElement[int]) -> ColumnElement[bool]:
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
    return {mid: money(total) for mid, total in session.execute(query)}


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
    return {cid: money(total) for cid, total in session.execute(query)}


def _month_amounts(start: dt.date, end: dt.date) -> Select:
    """Rows (client_id, manager_id, month, gross, returns, net) covering ``start``..``end``.

    Whole months come from sales_month; a month cut before its last day comes from sales_day,
    which keeps days — so the cut is exact and no query reads the raw lines.
    """
    if start.day != 1:
        raise ValueError(f"a monthly span must start on the first of a month, not {start}")
    is_sale = SalesMonth.kind == "sale"
    last_month = month_start_of(end)
    month_is_whole = add_months(end, 1) - dt.timedelta(days=1) == end
    whole_until = last_month if month_is_whole else add_months(last_month, -1)
    whole = select(
        SalesMonth.client_id,
        SalesMonth.manager_id,
        SalesMonth.month.label("month"),
        case((is_sale, SalesMonth.amount), else_=literal(0)).label("gross"),
        case((is_sale, literal(0)), else_=SalesMonth.amount).label("returns"),
        SalesMonth.amount.label("net"),
    ).where(SalesMonth.month.between(start, whole_until))
    if month_is_whole or end < start:
        return whole
    part = select(
        SalesDay.client_id,
        SalesDay.manager_id,
        month_start(SalesDay.day).label("month"),
        SalesDay.gross.label("gross"),
        SalesDay.returns.label("returns"),
        SalesDay.net.label("net"),
    ).where(SalesDay.day.between(last_month, end))
    return union_all(whole, part)


def month_start_of(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def monthly_sales(
    session: Session,
    *,
    viewer: Viewer,
    start: dt.date,
    end: dt.date,
    manager_id: int | None = None,
    client_id: int | None = None,
) -> pd.DataFrame:
    """Per client and month with any line: client_id, client_code, month, gross, returns, net.

    ``start`` is the first of a month; ``end`` may cut the last month at any day.
    """
    rows = _month_amounts(start, end).subquery()
    query = (
        select(
            rows.c.client_id,
            Client.code.label("client_code"),
            rows.c.month,
            func.sum(rows.c.gross).label("gross"),
            func.sum(rows.c.returns).label("returns"),
            func.sum(rows.c.net).label("net"),
        )
        .join(Client, Client.id == rows.c.client_id)
        .group_by(rows.c.client_id, Client.code, rows.c.month)
        .order_by(Client.code, rows.c.month)
    )
    if manager_id is not None:
        query = query.where(rows.c.manager_id == manager_id)
    if client_id is not None:
        query = query.where(rows.c.client_id == client_id)
    query = only_visible(query, viewer=viewer, client_id=rows.c.client_id)
    frame = pd.DataFrame(
        [
            (cid, code, as_date(month), money(g), money(r), money(n))
            for cid, code, month, g, r, n in session.execute(query)
        ],
        columns=["client_id", "client_code", "month", "gross", "returns", "net"],
    )
    return frame


def as_date(value: dt.date | str) -> dt.date:
    # month_start() over sales_day comes back from SQLite as text; sales_month.month as a date.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def sales_history(
    session: Session, *, viewer: Viewer, client_id: int, as_of: dt.date, months: int = 12
) -> pd.DataFrame:
    """A client's last ``months`` months up to ``as_of``: month, gross, returns, net, net_last_year.

    Every month is listed, empty ones as 0; the current month and its last-year twin are cut at
    the same day unless the month is over.
    """
    first = add_months(as_of, -(months - 1))
    month_over = add_months(as_of, 1) - dt.timedelta(days=1) == as_of
    ly_end = (
        add_months(as_of, -11) - dt.timedelta(days=1) if month_over else same_day_year_before(as_of)
    )
    now = monthly_sales(session, viewer=viewer, start=first, end=as_of, client_id=client_id)
    before = monthly_sales(
        session, viewer=viewer, start=add_months(first, -12), end=ly_end, client_id=client_id
    )
    now_by = {r.month: r for r in now.itertuples()}
    before_by = {r.month: r.net for r in before.itertuples()}
    rows = []
    for i in range(months):
        month = add_months(first, i)
        cur = now_by.get(month)
        rows.append(
            (
                month,
                cur.gross if cur else ZERO,
                cur.returns if cur else ZERO,
                cur.net if cur else ZERO,
                before_by.get(add_months(month, -12), ZERO),
            )
        )
    return pd.DataFrame(rows, columns=["month", "gross", "returns", "net", "net_last_year"])


def _pct(part: Decimal | float, whole: Decimal | float) -> float | None:
    return None if not whole else float(Decimal(str(part)) / Decimal(str(whole)) * 100)


def category_mix(
    session: Session, *, viewer: Viewer, client_id: int, period: Period
) -> pd.DataFrame:
    """A client's sales by category in whole months: category, gross, returns, net, share_pct.

    share_pct is the category's share of the client's net sales; '' is "no category".
    """
    is_sale = SalesMonth.kind == "sale"
    query = (
        select(
            SalesMonth.category,
            func.sum(case((is_sale, SalesMonth.amount), else_=literal(0))),
            func.sum(case((is_sale, literal(0)), else_=SalesMonth.amount)),
            func.sum(SalesMonth.amount),
        )
        .where(
            SalesMonth.client_id == client_id, SalesMonth.month.between(period.start, period.end)
        )
        .group_by(SalesMonth.category)
    )
    query = only_visible(query, viewer=viewer, client_id=SalesMonth.client_id)
    rows = [(cat, money(g), money(r), money(n)) for cat, g, r, n in session.execute(query)]
    total = sum((n for *_, n in rows), ZERO)
    rows.sort(key=lambda r: (-r[3], r[0]))
    return pd.DataFrame(
        [(*r, _pct(r[3], total)) for r in rows],
        columns=["category", "gross", "returns", "net", "share_pct"],
    )


def _gross_sales(
    session: Session,
    *,
    viewer: Viewer,
    period: Period,
    manager_id: int | None,
    client_id: int | None,
) -> Decimal:
    query = select(func.sum(SalesMonth.amount)).where(
        SalesMonth.kind == "sale", SalesMonth.month.between(period.start, period.end)
    )
    query = _filtered(query, manager_id, client_id)
    return money(
        session.execute(only_visible(query, viewer=viewer, client_id=SalesMonth.client_id)).scalar()
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
    """Returns and refusals in whole months by reason: reason, kind, amount, lines, share_of_gross_pct.

    amount is negative like the lines; the share is −amount over the gross sales of the same scope.
    """
    query = (
        select(
            SalesMonth.reason,
            SalesMonth.kind,
            func.sum(SalesMonth.amount),
            func.sum(SalesMonth.lines),
        )
        .where(SalesMonth.kind != "sale", SalesMonth.month.between(period.start, period.end))
        .group_by(SalesMonth.reason, SalesMonth.kind)
    )
    query = only_visible(
        _filtered(query, manager_id, client_id), viewer=viewer, client_id=SalesMonth.client_id
    )
    gross = _gross_sales(
        session, viewer=viewer, period=period, manager_id=manager_id, client_id=client_id
    )
    rows = sorted(
        (
            (reason, kind, money(amount), int(lines))
            for reason, kind, amount, lines in session.execute(query)
        ),
        key=lambda r: (r[2], r[0], r[1]),
    )
    return pd.DataFrame(
        [(*r, _pct(-r[2], gross)) for r in rows],
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
    rows = [(k, money(g), money(r), money(f)) for k, g, r, f in session.execute(query)]
    return pd.DataFrame(
        [(k, g, r, f, _pct(-(r + f), g)) for k, g, r, f in rows],
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
        (cid, code, name, money(g), money(r), money(f))
        for cid, code, name, g, r, f in session.execute(query)
    ]
    return pd.DataFrame(
        [(*row, _pct(-(row[4] + row[5]), row[3])) for row in rows],
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
