"""Sales by category, kind and reason over any span of days: the rollup's whole months, and the
lines of a month the span only cuts — so a span such as the last 12 months
(``kam.core.periods.last_12_months``) means the same days here as on every other page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, Subquery, false, func, literal, select, union_all

from kam.core.models import Product, SalesLine, SalesMonth
from kam.core.periods import add_months

COLUMNS = ("client_id", "manager_id", "category", "kind", "reason", "amount", "lines")


def whole_months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first days of the first and the last month lying wholly in start..end (None: none)."""
    first = start if start.day == 1 else add_months(start.replace(day=1), 1)
    after_end = end + dt.timedelta(days=1)
    last = add_months(after_end.replace(day=1), -1)
    return (first, last) if first <= last else None


def _cut_days(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    months = whole_months(start, end)
    if months is None:
        return [(start, end)] if start <= end else []
    first, last = months
    spans = []
    if start < first:
        spans.append((start, first - dt.timedelta(days=1)))
    after_last = add_months(last, 1)
    if after_last <= end:
        spans.append((after_last, end))
    return spans


def category_rows(start: dt.date, end: dt.date, *, client_id: int | None = None) -> Subquery:
    """Rows (COLUMNS) whose sums are the sales of start..end: amounts and line counts per client,
    credited manager, category ('' when none), kind and reason ('' when none)."""
    parts: list[Select] = []
    months = whole_months(start, end)
    if months is not None:
        whole = select(
            SalesMonth.client_id, SalesMonth.manager_id, SalesMonth.category, SalesMonth.kind,
            SalesMonth.reason, SalesMonth.amount, SalesMonth.lines,
        ).where(SalesMonth.month.between(*months))  # fmt: skip
        if client_id is not None:
            whole = whole.where(SalesMonth.client_id == client_id)
        parts.append(whole)
    for first, last in _cut_days(start, end):
        cut = (
            select(
                SalesLine.client_id,
                SalesLine.manager_id,
                func.coalesce(Product.category, "").label("category"),
                SalesLine.kind,
                func.coalesce(SalesLine.reason, "").label("reason"),
                SalesLine.amount,
                literal(1).label("lines"),
            )  # fmt: skip
            .select_from(SalesLine)
            .outerjoin(Product, Product.id == SalesLine.product_id)
            .where(SalesLine.doc_date.between(first, last))
        )
        if client_id is not None:
            cut = cut.where(SalesLine.client_id == client_id)
        parts.append(cut)
    if not parts:  # an empty span: no rows, the same columns
        parts.append(select(*(literal(None).label(c) for c in COLUMNS)).where(false()))
    query = parts[0] if len(parts) == 1 else union_all(*parts)
    return query.subquery("span_sales")
