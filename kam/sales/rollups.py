"""Rollup tables over sales lines, rebuilt for the touched clients in the writer's transaction.

Pages read these, never the raw lines; the definitions in docs/METRICS.md still hold exactly
because each rollup row is a plain sum of the lines it stands for.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, and_, case, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from kam.core import db
from kam.core.models import FirstSale, Product, SalesDay, SalesLine, SalesMonth
from kam.core.sqlfn import month_start

_CHUNK = 500


def refresh(session: Session, client_ids: Iterable[int] | None = None) -> None:
    """Rebuild the rollups of ``client_ids`` (all clients when None) from the sales lines."""
    if client_ids is None:
        for table in (SalesDay, SalesMonth, FirstSale):
            session.execute(delete(table))
        _fill(session, None)
    else:
        ids = sorted(set(client_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for table in (SalesDay, SalesMonth, FirstSale):
                session.execute(delete(table).where(table.client_id.in_(chunk)))
            _fill(session, chunk)
    db.analyze(session, (SalesDay, SalesMonth, FirstSale))


def _only(query: Select, chunk: list[int] | None) -> Select:
    return query if chunk is None else query.where(SalesLine.client_id.in_(chunk))


def _fill(session: Session, chunk: list[int] | None) -> None:
    is_sale = SalesLine.kind == "sale"
    zero = literal(0)
    day = _only(
        select(
            SalesLine.doc_date,
            SalesLine.client_id,
            SalesLine.manager_id,
            func.coalesce(func.sum(case((is_sale, SalesLine.amount), else_=zero)), zero),
            func.coalesce(func.sum(case((is_sale, zero), else_=SalesLine.amount)), zero),
            func.sum(SalesLine.amount),
        ).group_by(SalesLine.doc_date, SalesLine.client_id, SalesLine.manager_id),
        chunk,
    )
    session.execute(
        insert(SalesDay).from_select(
            ["day", "client_id", "manager_id", "gross", "returns", "net"], day
        )
    )

    month = month_start(SalesLine.doc_date)
    category = func.coalesce(Product.category, "")
    reason = func.coalesce(SalesLine.reason, "")
    monthly = _only(
        select(
            month,
            SalesLine.client_id,
            SalesLine.manager_id,
            category,
            SalesLine.kind,
            reason,
            func.sum(SalesLine.amount),
            func.coalesce(func.sum(SalesLine.qty), zero),
            func.count(),
        )
        .select_from(SalesLine)
        .outerjoin(Product, Product.id == SalesLine.product_id)
        .group_by(
            month, SalesLine.client_id, SalesLine.manager_id, category, SalesLine.kind, reason
        ),
        chunk,
    )
    session.execute(
        insert(SalesMonth).from_select(
            [
                "month",
                "client_id",
                "manager_id",
                "category",
                "kind",
                "reason",
                "amount",
                "qty",
                "lines",
            ],
            monthly,
        )
    )

    ranked = _only(
        select(
            SalesLine.client_id,
            SalesLine.doc_date,
            SalesLine.doc_no,
            SalesLine.line_no,
            SalesLine.manager_id,
            func.row_number()
            .over(
                partition_by=SalesLine.client_id,
                order_by=(SalesLine.doc_date, SalesLine.doc_no, SalesLine.line_no),
            )
            .label("rn"),
        ).where(SalesLine.amount > 0),
        chunk,
    ).subquery()
    session.execute(
        insert(FirstSale).from_select(
            ["client_id", "doc_date", "doc_no", "line_no", "manager_id"],
            select(
                ranked.c.client_id,
                ranked.c.doc_date,
                ranked.c.doc_no,
                ranked.c.line_no,
                ranked.c.manager_id,
            ).where(and_(ranked.c.rn == 1)),
        )
    )
