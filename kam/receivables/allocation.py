"""Payments allocated to invoices (docs/METRICS.md, "Receivables"), in SQL on any number of
as-of days at once, and which money paid which invoice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

import pandas as pd
from sqlalchemy import (
    CTE,
    ColumnElement,
    CompoundSelect,
    Select,
    SQLColumnExpression,
    Subquery,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from kam import sales
from kam.core.access import Viewer
from kam.core.models import Invoice, Payment
from kam.core.money import HALF_CENT, to_cent
from kam.receivables.days import as_of_days

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False

NIL = literal(0)  # a zero in SQL; kam.core.money.ZERO is the Decimal one


def _clamp(value, low, high):  # noqa: ANN001, ANN202 - SQL expressions
    return case((value < low, low), (value > high, high), else_=value)


class Allocation(NamedTuple):
    """The allocation as CTEs; every row of ``invoices`` and ``pool`` is of one day (``as_of``)."""

    days: CTE  # as_of, year_from, sales_from (kam.receivables.days)
    named: CTE  # each payment naming an invoice of its client, and the part of it paying it
    invoices: CTE  # per day and client, the remainders of invoices not yet settled, laid end to end
    pool: CTE  # per day and client, the pool's money laid end to end


def allocate(
    days: Sequence[dt.date], *, viewer: Viewer, client_id: int | None = None
) -> Allocation:
    """The allocation on each of ``days`` (one day for a point-in-time figure), of the clients
    the viewer sees or of one client."""
    # A payment naming an invoice pays it first; the rest of that money and every unnamed payment
    # form the client's pool, which fills the remaining invoice amounts oldest first; what is
    # left is a credit balance. Pool money and remainders are laid end to end per day and client
    # (running sums), so that every figure is a range or an overlap of ranges, never a loop.
    last = max(days)
    ends = as_of_days(days)

    def scoped(query: Select, client: SQLColumnExpression[int]) -> Select:
        if client_id is not None:
            query = query.where(client == client_id)
        return sales.only_visible(query, viewer=viewer, client_id=client)

    # What a payment pays on the invoice it names does not depend on the day: the payments naming
    # an invoice pay it in payment order, and those up to a day are the first of them. So it is
    # worked out once, not per day. Documents after the last day never count; they are dropped
    # after the join, so that SQLite joins by invoice, not by the client's payments by date.
    before = (
        func.sum(Payment.amount).over(
            partition_by=Invoice.id,
            order_by=(Payment.payment_date, Payment.payment_no),
            rows=(None, 0),
        )
        - Payment.amount
    )
    named_q = scoped(
        select(
            Payment.id.label("payment_id"), Payment.client_id, Payment.payment_no,
            Payment.payment_date, Payment.amount, Invoice.id.label("invoice_id"),
            Invoice.invoice_no, Invoice.invoice_date, Invoice.due_date,
            Invoice.amount.label("invoice_amount"), before.label("before"),
        )
        .join(
            Invoice, and_(Invoice.id == Payment.invoice_id, Invoice.client_id == Payment.client_id)
        ),
        Payment.client_id,
    ).subquery()  # fmt: skip
    completes = named_q.c.before + named_q.c.amount >= named_q.c.invoice_amount - HALF_CENT
    with_paid = (
        select(
            named_q,
            _clamp(named_q.c.invoice_amount - named_q.c.before, NIL, named_q.c.amount).label(
                "paid"
            ),
            # The day this payment completes its invoice: from then on the invoice's remainder is 0.
            case(
                (
                    completes,
                    case(
                        (named_q.c.payment_date > named_q.c.invoice_date, named_q.c.payment_date),
                        else_=named_q.c.invoice_date,
                    ),
                )
            ).label("settles_on"),
        )
        .where(named_q.c.payment_date <= last, named_q.c.invoice_date <= last)
        .subquery()
    )
    named = select(
        with_paid,
        func.min(with_paid.c.settles_on)
        .over(partition_by=with_paid.c.invoice_id)
        .label("settled_on"),  # the day the invoice is settled by named money, if it is
    ).cte("named_paid")

    # An invoice whose remainder is 0 on a day takes no room in that day's ranges, so only
    # invoices not yet settled by named money are laid end to end: the ledger is not repeated
    # whole for every day.
    def unsettled(settled_on: ColumnElement[dt.date]) -> ColumnElement[bool]:
        return or_(settled_on.is_(None), settled_on > ends.c.as_of)

    settled = (
        select(named.c.invoice_id, func.min(named.c.settled_on).label("settled_on"))
        .group_by(named.c.invoice_id)
        .subquery()
    )
    open_inv = scoped(
        select(
            ends.c.as_of, Invoice.id, Invoice.client_id, Invoice.invoice_no,
            Invoice.invoice_date, Invoice.due_date, Invoice.amount,
        )
        .join(ends, Invoice.invoice_date <= ends.c.as_of)
        .outerjoin(settled, settled.c.invoice_id == Invoice.id)
        .where(Invoice.invoice_date <= last, unsettled(settled.c.settled_on)),
        Invoice.client_id,
    ).subquery()  # fmt: skip
    # Named money per day of the invoices still open, from the named payments alone: joining the
    # open invoices instead tempts PostgreSQL into nested loops when its statistics are stale.
    named_by_day = (
        select(ends.c.as_of, named.c.invoice_id, func.sum(named.c.paid).label("paid"))
        .join(
            ends,
            and_(
                named.c.payment_date <= ends.c.as_of,
                named.c.invoice_date <= ends.c.as_of,
                unsettled(named.c.settled_on),
            ),
        )
        .group_by(ends.c.as_of, named.c.invoice_id)
        .subquery()
    )
    rem_q = (
        select(
            open_inv.c.as_of,
            open_inv.c.id.label("invoice_id"),
            open_inv.c.client_id,
            open_inv.c.invoice_no,
            open_inv.c.invoice_date,
            open_inv.c.due_date,
            open_inv.c.amount,
            (open_inv.c.amount - func.coalesce(named_by_day.c.paid, NIL)).label("remainder"),
        )
        .select_from(open_inv)
        .outerjoin(
            named_by_day,
            and_(
                named_by_day.c.as_of == open_inv.c.as_of,
                named_by_day.c.invoice_id == open_inv.c.id,
            ),
        )
        .subquery()
    )
    inv_day = (rem_q.c.as_of, rem_q.c.client_id)
    inv_order = (rem_q.c.due_date, rem_q.c.invoice_date, rem_q.c.invoice_no)
    invoices = select(
        rem_q,
        func.sum(rem_q.c.remainder)
        .over(partition_by=inv_day, order_by=inv_order, rows=(None, 0))
        .label("range_end"),
        # its place in the day's ranges, to find it again without an overlap join (pieces)
        func.row_number().over(partition_by=inv_day, order_by=inv_order).label("ord"),
    ).cte("invoice_ranges")

    # The pool of a day: payments naming no invoice of their client; payments naming an invoice
    # dated after the day; and the excess of named payments whose invoice exists by the day.
    never_named = scoped(
        select(
            ends.c.as_of, Payment.client_id, Payment.payment_no, Payment.payment_date,
            Payment.amount.label("money"),
        )
        .join(ends, Payment.payment_date <= ends.c.as_of)
        .outerjoin(named, named.c.payment_id == Payment.id)
        .where(named.c.payment_id.is_(None)),
        Payment.client_id,
    )  # fmt: skip
    named_later = select(
        ends.c.as_of, named.c.client_id, named.c.payment_no, named.c.payment_date,
        named.c.amount.label("money"),
    ).join(
        ends, and_(named.c.payment_date <= ends.c.as_of, named.c.invoice_date > ends.c.as_of)
    )  # fmt: skip
    excess_q = select(named).where(named.c.amount - named.c.paid > HALF_CENT).subquery()
    excess = select(
        ends.c.as_of, excess_q.c.client_id, excess_q.c.payment_no, excess_q.c.payment_date,
        (excess_q.c.amount - excess_q.c.paid).label("money"),
    ).join(
        ends,
        and_(excess_q.c.payment_date <= ends.c.as_of, excess_q.c.invoice_date <= ends.c.as_of),
    )  # fmt: skip
    items = union_all(never_named, named_later, excess).subquery()
    pool_day = (items.c.as_of, items.c.client_id)
    pay_order = (items.c.payment_date, items.c.payment_no)
    pool = select(
        items,
        func.sum(items.c.money)
        .over(partition_by=pool_day, order_by=pay_order, rows=(None, 0))
        .label("range_end"),
        func.row_number().over(partition_by=pool_day, order_by=pay_order).label("ord"),
    ).cte("pool_ranges")
    return Allocation(ends, named, invoices, pool)


def balances(alloc: Allocation) -> Subquery:
    """Per day and client: outstanding (remainders less pool) and credit (pool less remainders),
    whichever is positive; the other is 0."""
    inv, pool = alloc.invoices, alloc.pool
    parts = union_all(
        select(inv.c.as_of, inv.c.client_id, inv.c.remainder.label("balance")),
        select(pool.c.as_of, pool.c.client_id, (-pool.c.money).label("balance")),
    ).subquery()
    balance = func.sum(parts.c.balance)
    return (
        select(
            parts.c.as_of,
            parts.c.client_id,
            case((balance > 0, balance), else_=NIL).label("outstanding"),
            case((balance < 0, -balance), else_=NIL).label("credit"),
        )
        .group_by(parts.c.as_of, parts.c.client_id)
        .subquery("balances")
    )


def open_items(alloc: Allocation) -> CTE:
    """Per day, the invoices not settled by named money with what stays ``unpaid`` after the pool:
    as_of, invoice_id, client_id, invoice_no, invoice_date, due_date, amount, unpaid."""
    inv, pool = alloc.invoices, alloc.pool
    totals = (
        select(pool.c.as_of, pool.c.client_id, func.sum(pool.c.money).label("pool"))
        .group_by(pool.c.as_of, pool.c.client_id)
        .subquery()
    )
    start = inv.c.range_end - inv.c.remainder
    from_pool = _clamp(func.coalesce(totals.c.pool, NIL) - start, NIL, inv.c.remainder)
    return (
        select(
            inv.c.as_of,
            inv.c.invoice_id,
            inv.c.client_id,
            inv.c.invoice_no,
            inv.c.invoice_date,
            inv.c.due_date,
            inv.c.amount,
            (inv.c.remainder - from_pool).label("unpaid"),
        )
        .select_from(inv)
        .outerjoin(
            totals, and_(totals.c.as_of == inv.c.as_of, totals.c.client_id == inv.c.client_id)
        )
        .cte("open_items")
    )


def pieces(alloc: Allocation, *, last_year: bool = False) -> CompoundSelect:
    """Which money paid which invoice on each day: as_of, client_id, payment_no, payment_date,
    invoice_no, due_date, amount; with ``last_year`` only money paid from ``year_from`` on."""
    days, named, inv, pool = alloc
    on_day = [
        named.c.paid > HALF_CENT,
        named.c.invoice_date <= days.c.as_of,
        named.c.payment_date <= days.c.as_of,
    ]
    if last_year:
        on_day.append(named.c.payment_date >= days.c.year_from)
    named_pieces = (
        select(
            days.c.as_of, named.c.client_id, named.c.payment_no, named.c.payment_date,
            named.c.invoice_no, named.c.due_date, named.c.paid.label("amount"),
        )
        .select_from(named)
        .join(days, and_(*on_day))
    )  # fmt: skip
    # A pool piece is where a payment's range of the pool overlaps an invoice's range of remainders.
    pairs = _overlapping(pool, inv)
    p_start = pool.c.range_end - pool.c.money
    i_start = inv.c.range_end - inv.c.remainder
    lo = case((p_start > i_start, p_start), else_=i_start)
    hi = case((pool.c.range_end < inv.c.range_end, pool.c.range_end), else_=inv.c.range_end)
    pool_pieces = (
        select(
            pool.c.as_of, pool.c.client_id, pool.c.payment_no, pool.c.payment_date,
            inv.c.invoice_no, inv.c.due_date, (hi - lo).label("amount"),
        )
        .select_from(pairs)
        .join(
            pool,
            and_(
                pool.c.as_of == pairs.c.as_of,
                pool.c.client_id == pairs.c.client_id,
                pool.c.ord == pairs.c.pool_ord,
            ),
        )
        .join(
            inv,
            and_(
                inv.c.as_of == pairs.c.as_of,
                inv.c.client_id == pairs.c.client_id,
                inv.c.ord == pairs.c.invoice_ord,
            ),
        )
        .where(hi - lo > HALF_CENT)
    )  # fmt: skip
    if last_year:
        pool_pieces = pool_pieces.join(
            days, and_(days.c.as_of == pool.c.as_of, pool.c.payment_date >= days.c.year_from)
        )
    return union_all(named_pieces, pool_pieces)


def _overlapping(pool: CTE, inv: CTE) -> Subquery:
    """Per day and client, the (pool_ord, invoice_ord) pairs whose ranges overlap."""
    # Not a join of each pool item with every invoice of its client and day (quadratic, most of
    # the trend's time): the ends of both kinds of range, in one order, each close a stretch
    # shared by one pool item and one invoice, named by how many ends of each kind lie before it.
    ends = union_all(
        select(pool.c.as_of, pool.c.client_id, pool.c.range_end.label("pos"),
               literal(1).label("of_pool")),
        select(inv.c.as_of, inv.c.client_id, inv.c.range_end.label("pos"),
               literal(0).label("of_pool")),
    ).subquery()  # fmt: skip
    day = (ends.c.as_of, ends.c.client_id)
    at = (*day, ends.c.pos)
    # Ends up to and including pos (peers too), less those at pos: the ends strictly before it.
    pool_before = func.sum(ends.c.of_pool).over(partition_by=day, order_by=ends.c.pos) - func.sum(
        ends.c.of_pool
    ).over(partition_by=at)
    all_before = func.count().over(partition_by=day, order_by=ends.c.pos) - func.count().over(
        partition_by=at
    )
    stretch = select(
        ends.c.as_of,
        ends.c.client_id,
        (pool_before + 1).label("pool_ord"),
        (all_before - pool_before + 1).label("invoice_ord"),
    ).subquery()
    return select(stretch).distinct().subquery()


def paid_pieces(
    session: Session, *, viewer: Viewer, as_of: dt.date, client_id: int | None = None
) -> pd.DataFrame:
    """Which money paid which invoice at ``as_of``: client_id, payment_no, payment_date,
    invoice_no, due_date, amount (money left as credit is not a piece)."""
    found = pieces(allocate([as_of], viewer=viewer, client_id=client_id)).subquery()
    query = select(
        found.c.client_id, found.c.payment_no, found.c.payment_date, found.c.invoice_no,
        found.c.due_date, found.c.amount,
    ).order_by(found.c.client_id, found.c.payment_date, found.c.payment_no, found.c.due_date)  # fmt: skip
    return pd.DataFrame(
        [
            (cid, no, sales.as_date(paid_on), inv_no, sales.as_date(due), to_cent(amount))
            for cid, no, paid_on, inv_no, due, amount in session.execute(query)
        ],
        columns=["client_id", "payment_no", "payment_date", "invoice_no", "due_date", "amount"],
    )
