"""Sales over time from the rollups: monthly sales per client, a client's sales history against
last year, and a client's category mix."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import CompoundSelect, Select, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from kam.core.access import Viewer
from kam.core.models import Client, SalesDay, SalesMonth
from kam.core.money import ZERO, to_cent
from kam.core.periods import Period, add_months, same_day_year_before
from kam.core.sqlfn import month_start
from kam.sales import spans
from kam.sales.figures import only_visible, percent_of

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False


def _month_amounts(start: dt.date, end: dt.date) -> Select | CompoundSelect:
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
            (cid, code, as_date(month), to_cent(g), to_cent(r), to_cent(n))
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


def category_mix(
    session: Session, *, viewer: Viewer, client_id: int, period: Period
) -> pd.DataFrame:
    """A client's sales by category in the days of ``period``: category, gross, returns, net,
    share_pct.

    share_pct is the category's share of the client's net sales; '' is "no category".
    """
    span = spans.category_rows(period.start, period.end, client_id=client_id)
    is_sale = span.c.kind == "sale"
    query = select(
        span.c.category,
        func.sum(case((is_sale, span.c.amount), else_=literal(0))),
        func.sum(case((is_sale, literal(0)), else_=span.c.amount)),
        func.sum(span.c.amount),
    ).group_by(span.c.category)
    query = only_visible(query, viewer=viewer, client_id=span.c.client_id)
    rows = [(cat, to_cent(g), to_cent(r), to_cent(n)) for cat, g, r, n in session.execute(query)]
    total = sum((n for *_, n in rows), ZERO)
    rows.sort(key=lambda r: (-r[3], r[0]))
    return pd.DataFrame(
        [(*r, percent_of(r[3], total)) for r in rows],
        columns=["category", "gross", "returns", "net", "share_pct"],
    )
