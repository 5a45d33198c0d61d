"""Receivables as of a day: payments allocated to invoices, ageing, over-limit, discipline, DSO.

The allocation (docs/METRICS.md) runs in SQL with running sums per client: a payment naming an
invoice pays it first; the rest of that money and every unnamed payment form the client's pool,
which fills the remaining invoice amounts oldest first; what is left is a credit balance.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from sqlalchemy import CTE, Date, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from kam import sales
from kam.core.access import Viewer
from kam.core.models import Client, Invoice, Manager, Payment, SalesDay
from kam.core.periods import add_months, same_day_year_before
from kam.core.sqlfn import days_between
from kam.core.team import TEAM

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False

BUCKETS = ("not_due", "d1_30", "d31_60", "d61_90", "d90_plus")
CLIENT_COLUMNS = [
    "client_id",
    "client_code",
    "manager_code",
    "outstanding",
    *BUCKETS,
    "overdue",
    "credit_balance",
    "credit_limit",
    "credit_use_pct",
    "over_limit",
    "manager_id",
]
MANAGER_COLUMNS = [
    "manager_id",
    "manager_code",
    "outstanding",
    *BUCKETS,
    "overdue",
    "credit_balance",
    "over_limit_clients",
]
ZERO = literal(0)


def _clamp(value, low, high):  # noqa: ANN001, ANN202 - SQL expressions
    return case((value < low, low), (value > high, high), else_=value)


def _allocation(as_of: dt.date, viewer: Viewer, client_id: int | None) -> tuple[CTE, CTE, CTE]:
    """Three CTEs as of ``as_of``: invoice remainders with running ranges, pool items with
    running ranges, and named pieces (money a payment paid on the invoice it names)."""
    inv_q = select(
        Invoice.id, Invoice.client_id, Invoice.invoice_no, Invoice.invoice_date,
        Invoice.due_date, Invoice.amount,
    ).where(Invoice.invoice_date <= as_of)  # fmt: skip
    pay_q = select(
        Payment.id, Payment.client_id, Payment.payment_no, Payment.payment_date,
        Payment.amount, Payment.invoice_id,
    ).where(Payment.payment_date <= as_of)  # fmt: skip
    if client_id is not None:
        inv_q = inv_q.where(Invoice.client_id == client_id)
        pay_q = pay_q.where(Payment.client_id == client_id)
    inv = sales.only_visible(inv_q, viewer=viewer, client_id=Invoice.client_id).cte("inv")
    pay = sales.only_visible(pay_q, viewer=viewer, client_id=Payment.client_id).cte("pay")

    # A payment names an invoice only if that invoice is the same client's and dated by D;
    # otherwise its money is unnamed.
    named_q = (
        select(
            pay.c.id.label("payment_id"),
            pay.c.client_id,
            pay.c.payment_no,
            pay.c.payment_date,
            pay.c.amount,
            inv.c.id.label("invoice_id"),
            inv.c.due_date,
            inv.c.amount.label("invoice_amount"),
            (
                func.sum(pay.c.amount).over(
                    partition_by=inv.c.id,
                    order_by=(pay.c.payment_date, pay.c.payment_no),
                    rows=(None, 0),
                )
                - pay.c.amount
            ).label("before"),
        )
        .select_from(pay)
        .join(inv, and_(inv.c.id == pay.c.invoice_id, inv.c.client_id == pay.c.client_id))
        .subquery()
    )
    # The first invoice-amount's worth of the payments naming an invoice pays it, in payment order.
    portion = _clamp(named_q.c.invoice_amount - named_q.c.before, ZERO, named_q.c.amount)
    named = select(
        named_q.c.payment_id,
        named_q.c.client_id,
        named_q.c.payment_no,
        named_q.c.payment_date,
        named_q.c.amount,
        named_q.c.invoice_id,
        named_q.c.due_date,
        portion.label("paid"),
    ).cte("named_paid")

    named_total = (
        select(named.c.invoice_id, func.sum(named.c.paid).label("paid"))
        .group_by(named.c.invoice_id)
        .subquery()
    )
    rem_q = (
        select(
            inv.c.id.label("invoice_id"),
            inv.c.client_id,
            inv.c.invoice_no,
            inv.c.invoice_date,
            inv.c.due_date,
            inv.c.amount,
            (inv.c.amount - func.coalesce(named_total.c.paid, ZERO)).label("remainder"),
        )
        .select_from(inv)
        .outerjoin(named_total, named_total.c.invoice_id == inv.c.id)
        .subquery()
    )
    invoices = select(
        rem_q,
        func.sum(rem_q.c.remainder)
        .over(
            partition_by=rem_q.c.client_id,
            order_by=(rem_q.c.due_date, rem_q.c.invoice_date, rem_q.c.invoice_no),
            rows=(None, 0),
        )
        .label("range_end"),
    ).cte("invoice_ranges")

    unnamed = (
        select(pay.c.client_id, pay.c.payment_no, pay.c.payment_date, pay.c.amount.label("money"))
        .select_from(pay)
        .outerjoin(named, named.c.payment_id == pay.c.id)
        .where(named.c.payment_id.is_(None))
    )
    excess = select(
        named.c.client_id,
        named.c.payment_no,
        named.c.payment_date,
        (named.c.amount - named.c.paid).label("money"),
    ).where(named.c.amount - named.c.paid > sales.HALF_CENT)
    items = union_all(unnamed, excess).subquery()
    pool = select(
        items,
        func.sum(items.c.money)
        .over(
            partition_by=items.c.client_id,
            order_by=(items.c.payment_date, items.c.payment_no),
            rows=(None, 0),
        )
        .label("range_end"),
    ).cte("pool_ranges")
    return invoices, pool, named


def _open_items(as_of: dt.date, viewer: Viewer, client_id: int | None):  # noqa: ANN202
    """Invoices with what the pool paid and what stays unpaid, plus each client's pool total."""
    invoices, pool, _ = _allocation(as_of, viewer, client_id)
    totals = (
        select(pool.c.client_id, func.sum(pool.c.money).label("pool"))
        .group_by(pool.c.client_id)
        .cte("pool_total")
    )
    start = invoices.c.range_end - invoices.c.remainder
    pool_total = func.coalesce(totals.c.pool, ZERO)
    from_pool = _clamp(pool_total - start, ZERO, invoices.c.remainder)
    items = (
        select(
            invoices.c.invoice_id,
            invoices.c.client_id,
            invoices.c.invoice_no,
            invoices.c.invoice_date,
            invoices.c.due_date,
            invoices.c.amount,
            (invoices.c.remainder - from_pool).label("unpaid"),
        )
        .select_from(invoices)
        .outerjoin(totals, totals.c.client_id == invoices.c.client_id)
        .cte("open_items")
    )
    return items, totals, invoices


def open_invoices(
    session: Session, *, viewer: Viewer, as_of: dt.date, client_id: int | None = None
) -> pd.DataFrame:
    """Invoices unpaid at ``as_of``: client_code, invoice_no, invoice_date, due_date, amount,
    unpaid, days_past_due (negative while not due)."""
    items, _, _ = _open_items(as_of, viewer, client_id)
    query = (
        select(
            Client.code,
            items.c.invoice_no,
            items.c.invoice_date,
            items.c.due_date,
            items.c.amount,
            items.c.unpaid,
            days_between(literal(as_of), items.c.due_date),
        )
        .join(Client, Client.id == items.c.client_id)
        .where(items.c.unpaid > sales.HALF_CENT)
        .order_by(Client.code, items.c.due_date, items.c.invoice_date, items.c.invoice_no)
    )
    return pd.DataFrame(
        [
            (code, no, idate, due, sales.money(amt), sales.money(unpaid), int(days))
            for code, no, idate, due, amt, unpaid, days in session.execute(query)
        ],
        columns=[
            "client_code",
            "invoice_no",
            "invoice_date",
            "due_date",
            "amount",
            "unpaid",
            "days_past_due",
        ],
    )


def _bucket_sums(as_of: dt.date, items):  # noqa: ANN001, ANN202
    # Days past due compared as dates: due on D or later is not due; due 1–30 days before D is 1–30.
    def before(days: int) -> dt.date:
        return as_of - dt.timedelta(days=days)

    due, unpaid = items.c.due_date, items.c.unpaid
    bands = (
        due >= as_of,
        and_(due < as_of, due >= before(30)),
        and_(due < before(30), due >= before(60)),
        and_(due < before(60), due >= before(90)),
        due < before(90),
    )
    return [
        func.sum(case((band, unpaid), else_=ZERO)).label(name)
        for band, name in zip(bands, BUCKETS, strict=True)
    ]


def client_receivables(
    session: Session,
    *,
    viewer: Viewer,
    as_of: dt.date,
    manager_id: int | None = None,
    client_id: int | None = None,
) -> pd.DataFrame:
    """Per client with debt or a credit balance at ``as_of`` (columns CLIENT_COLUMNS).

    manager_code is the client's manager; credit_use_pct and over_limit need a credit limit.
    """
    items, totals, invoices = _open_items(as_of, viewer, client_id)
    per_client = (
        select(
            items.c.client_id,
            func.sum(items.c.unpaid).label("outstanding"),
            *_bucket_sums(as_of, items),
        )
        .group_by(items.c.client_id)
        .subquery()
    )
    remainders = (
        select(invoices.c.client_id, func.sum(invoices.c.remainder).label("owed"))
        .group_by(invoices.c.client_id)
        .subquery()
    )
    credit = (
        select(
            totals.c.client_id,
            (totals.c.pool - func.coalesce(remainders.c.owed, ZERO)).label("credit"),
        )
        .select_from(totals)
        .outerjoin(remainders, remainders.c.client_id == totals.c.client_id)
        .subquery()
    )
    query = (
        select(
            Client.id,
            Client.code,
            Manager.code,
            Manager.id,
            Client.credit_limit,
            per_client.c.outstanding,
            *(per_client.c[name] for name in BUCKETS),
            credit.c.credit,
        )
        .join(Manager, Manager.id == Client.manager_id)
        .outerjoin(per_client, per_client.c.client_id == Client.id)
        .outerjoin(credit, credit.c.client_id == Client.id)
        .where(
            or_(per_client.c.outstanding > sales.HALF_CENT, credit.c.credit > sales.HALF_CENT),
            viewer.client_condition(),
        )
        .order_by(Client.code)
    )
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    rows = []
    for cid, code, mcode, mid, limit, outstanding, *rest in session.execute(query):
        buckets = [sales.money(v) for v in rest[:5]]
        owed = sales.money(outstanding)
        limit = None if limit is None else sales.money(limit)
        rows.append(
            (
                cid,
                code,
                mcode,
                owed,
                *buckets,
                sum(buckets[1:], sales.ZERO),
                max(sales.money(rest[5]), sales.ZERO),
                limit,
                None if not limit else float(owed / limit * 100),
                limit is not None and owed > limit,
                mid,
            )
        )
    return pd.DataFrame(rows, columns=CLIENT_COLUMNS)


def manager_receivables(
    session: Session, *, viewer: Viewer, as_of: dt.date, manager_id: int | None = None
) -> pd.DataFrame:
    """Receivables of each manager's clients at ``as_of`` (columns MANAGER_COLUMNS)."""
    return manager_totals(
        client_receivables(session, viewer=viewer, as_of=as_of, manager_id=manager_id)
    )


def manager_totals(per_client: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``client_receivables`` added up per manager (columns MANAGER_COLUMNS).

    Summing the per-client rows keeps one definition of each bucket; a caller that already
    has them (a page, the review) gets the totals without running the allocation again.
    """
    rows = []
    for (mid, mcode), group in per_client.groupby(["manager_id", "manager_code"], sort=False):
        sums = [
            sum(group[c], sales.ZERO)
            for c in ("outstanding", *BUCKETS, "overdue", "credit_balance")
        ]
        rows.append((int(mid), mcode, *sums, int(group["over_limit"].sum())))
    rows.sort(key=lambda r: r[1])
    return pd.DataFrame(rows, columns=MANAGER_COLUMNS)


def paid_pieces(
    session: Session, *, viewer: Viewer, as_of: dt.date, client_id: int | None = None
) -> pd.DataFrame:
    """Which money paid which invoice at ``as_of``: client_id, payment_no, payment_date,
    invoice_no, due_date, amount (money left as credit is not a piece)."""
    query = _pieces(as_of, viewer, client_id)
    return pd.DataFrame(
        [(*row[:5], sales.money(row[5])) for row in session.execute(query)],
        columns=["client_id", "payment_no", "payment_date", "invoice_no", "due_date", "amount"],
    )


def _pieces(as_of: dt.date, viewer: Viewer, client_id: int | None):  # noqa: ANN202
    invoices, pool, named = _allocation(as_of, viewer, client_id)
    named_pieces = (
        select(
            named.c.client_id,
            named.c.payment_no,
            named.c.payment_date,
            Invoice.invoice_no,
            named.c.due_date,
            named.c.paid.label("amount"),
        )
        .join(Invoice, Invoice.id == named.c.invoice_id)
        .where(named.c.paid > sales.HALF_CENT)
    )
    # Pool money and invoice remainders are both laid end to end per client (each a running
    # range); a piece is where a payment's range overlaps an invoice's range.
    p_start = pool.c.range_end - pool.c.money
    i_start = invoices.c.range_end - invoices.c.remainder
    lo = case((p_start > i_start, p_start), else_=i_start)
    hi = case(
        (pool.c.range_end < invoices.c.range_end, pool.c.range_end), else_=invoices.c.range_end
    )
    pool_pieces = (
        select(
            pool.c.client_id,
            pool.c.payment_no,
            pool.c.payment_date,
            invoices.c.invoice_no,
            invoices.c.due_date,
            (hi - lo).label("amount"),
        )
        .select_from(pool)
        .join(
            invoices,
            and_(
                invoices.c.client_id == pool.c.client_id,
                p_start < invoices.c.range_end,
                i_start < pool.c.range_end,
            ),
        )
        .where(hi - lo > sales.HALF_CENT)
    )
    return union_all(named_pieces, pool_pieces)


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
    pieces = _pieces(as_of, viewer, client_id).subquery()
    late = days_between(pieces.c.payment_date, pieces.c.due_date)
    late = case((late > 0, late), else_=ZERO)
    query = (
        select(
            Client.id,
            Client.code,
            func.sum(pieces.c.amount),
            func.sum(pieces.c.amount * late),
        )
        .join(Client, Client.id == pieces.c.client_id)
        .where(pieces.c.payment_date > same_day_year_before(as_of))
        .group_by(Client.id, Client.code)
        .order_by(Client.code)
    )
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    rows = []
    for cid, code, paid, weighted in session.execute(query):
        paid = sales.money(paid)
        rows.append((cid, code, paid, float(Decimal(str(weighted)) / paid) if paid else None))
    return pd.DataFrame(rows, columns=["client_id", "client_code", "paid", "avg_days_late"])


def dso(
    session: Session,
    *,
    viewer: Viewer,
    as_of: dt.date,
    manager_id: int | None = None,
    client_id: int | None = None,
) -> float | None:
    """Days sales outstanding at ``as_of``: outstanding / revenue of the 90 days up to it × 90.

    The scope is the clients (of ``manager_id``, or one client); None when that revenue is not positive.
    """
    owed = client_receivables(
        session, viewer=viewer, as_of=as_of, manager_id=manager_id, client_id=client_id
    )["outstanding"]
    revenue = sales.revenue_by_client(
        session, viewer=viewer, start=as_of - dt.timedelta(days=89), end=as_of
    )
    if manager_id is not None or client_id is not None:
        query = select(Client.id)
        if manager_id is not None:
            query = query.where(Client.manager_id == manager_id)
        if client_id is not None:
            query = query.where(Client.id == client_id)
        scope = set(session.execute(query).scalars())
        revenue = {k: v for k, v in revenue.items() if k in scope}
    total = sum(revenue.values(), sales.ZERO)
    if total <= 0:
        return None
    return float(sum(owed, sales.ZERO) / total * 90)


# --- Trend of collection by month end, and the company total of the manager rows ---

TREND_COLUMNS = [
    "as_of",
    "manager_id",
    "manager_code",
    "outstanding",
    "revenue_90d",
    "dso",
    "paid_12m",
    "avg_days_late",
]


def with_company_total(per_manager: pd.DataFrame) -> pd.DataFrame:
    """``manager_receivables`` rows followed by a company row (a team row, ``kam.core.team``) adding them up."""
    sums = {
        col: sum(per_manager[col], sales.ZERO)
        for col in ("outstanding", *BUCKETS, "overdue", "credit_balance")
    }
    total = {
        "manager_id": None,
        "manager_code": TEAM,
        **sums,
        "over_limit_clients": int(per_manager["over_limit_clients"].sum()),
    }
    return pd.concat(
        [per_manager, pd.DataFrame([total], columns=MANAGER_COLUMNS)], ignore_index=True
    )


def trend_days(as_of: dt.date, months: int = 12) -> list[dt.date]:
    """The last days of the ``months`` months ending with ``as_of``'s month, the last one cut at
    ``as_of``; oldest first."""
    days = []
    for back in range(months - 1, 0, -1):
        days.append(add_months(as_of, -back + 1) - dt.timedelta(days=1))
    return [*days, as_of]


def _dated_allocation(ends: CTE, viewer: Viewer) -> tuple[CTE, CTE, CTE]:
    """``_allocation`` for many as-of days at once (``ends.as_of``), as three CTEs: the named
    money of every payment, the invoice ranges per (as_of, client) and the pool ranges per
    (as_of, client).

    It rests on two facts of the allocation, so that it never repeats the whole ledger per day:
    the money a payment pays on the invoice it names does not depend on the day (the payments
    naming an invoice are taken in payment order, and those up to a day are the first of them);
    and an invoice whose remainder is 0 on a day takes no room in that day's ranges, so only
    invoices not yet settled by named money are laid end to end.
    """
    before = (
        func.sum(Payment.amount).over(
            partition_by=Invoice.id,
            order_by=(Payment.payment_date, Payment.payment_no),
            rows=(None, 0),
        )
        - Payment.amount
    )
    named_q = sales.only_visible(
        select(
            Payment.id.label("payment_id"), Payment.client_id, Payment.payment_no,
            Payment.payment_date, Payment.amount, Invoice.id.label("invoice_id"),
            Invoice.invoice_date, Invoice.due_date, Invoice.amount.label("invoice_amount"),
            before.label("before"),
        ).join(
            Invoice, and_(Invoice.id == Payment.invoice_id, Invoice.client_id == Payment.client_id)
        ),
        viewer=viewer, client_id=Payment.client_id,
    ).subquery()  # fmt: skip
    portion = _clamp(named_q.c.invoice_amount - named_q.c.before, ZERO, named_q.c.amount)
    named = select(
        named_q,
        portion.label("paid"),
        # The day this payment completes its invoice: from then on the invoice's remainder is 0.
        case(
            (
                named_q.c.before + named_q.c.amount >= named_q.c.invoice_amount - sales.HALF_CENT,
                case(
                    (named_q.c.payment_date > named_q.c.invoice_date, named_q.c.payment_date),
                    else_=named_q.c.invoice_date,
                ),
            )
        ).label("settles_on"),
    ).cte("d_named")
    settled = (
        select(named.c.invoice_id, func.min(named.c.settles_on).label("settled_on"))
        .group_by(named.c.invoice_id)
        .subquery()
    )
    open_inv = sales.only_visible(
        select(
            ends.c.as_of, Invoice.id, Invoice.client_id, Invoice.invoice_no,
            Invoice.invoice_date, Invoice.due_date, Invoice.amount,
        )
        .join(ends, Invoice.invoice_date <= ends.c.as_of)
        .outerjoin(settled, settled.c.invoice_id == Invoice.id)
        .where(or_(settled.c.settled_on.is_(None), settled.c.settled_on > ends.c.as_of)),
        viewer=viewer, client_id=Invoice.client_id,
    ).subquery()  # fmt: skip
    named_by_day = (
        select(open_inv.c.as_of, open_inv.c.id, func.sum(named.c.paid).label("paid"))
        .join(
            named,
            and_(named.c.invoice_id == open_inv.c.id, named.c.payment_date <= open_inv.c.as_of),
        )
        .group_by(open_inv.c.as_of, open_inv.c.id)
        .subquery()
    )
    rem_q = (
        select(
            open_inv.c.as_of,
            open_inv.c.client_id,
            open_inv.c.invoice_no,
            open_inv.c.invoice_date,
            open_inv.c.due_date,
            (open_inv.c.amount - func.coalesce(named_by_day.c.paid, ZERO)).label("remainder"),
        )
        .select_from(open_inv)
        .outerjoin(
            named_by_day,
            and_(named_by_day.c.as_of == open_inv.c.as_of, named_by_day.c.id == open_inv.c.id),
        )
        .subquery()
    )
    invoices = select(
        rem_q,
        func.sum(rem_q.c.remainder)
        .over(
            partition_by=(rem_q.c.as_of, rem_q.c.client_id),
            order_by=(rem_q.c.due_date, rem_q.c.invoice_date, rem_q.c.invoice_no),
            rows=(None, 0),
        )
        .label("range_end"),
    ).cte("d_invoice_ranges")

    # The pool of a day: payments naming no invoice of their client; payments naming an invoice
    # dated after the day; and the excess of named payments whose invoice exists by the day.
    never_named = sales.only_visible(
        select(
            ends.c.as_of, Payment.client_id, Payment.payment_no, Payment.payment_date,
            Payment.amount.label("money"),
        )
        .join(ends, Payment.payment_date <= ends.c.as_of)
        .outerjoin(named, named.c.payment_id == Payment.id)
        .where(named.c.payment_id.is_(None)),
        viewer=viewer, client_id=Payment.client_id,
    )  # fmt: skip
    named_later = select(
        ends.c.as_of, named.c.client_id, named.c.payment_no, named.c.payment_date,
        named.c.amount.label("money"),
    ).join(
        ends, and_(named.c.payment_date <= ends.c.as_of, named.c.invoice_date > ends.c.as_of)
    )  # fmt: skip
    excess_q = select(named).where(named.c.amount - named.c.paid > sales.HALF_CENT).subquery()
    excess = select(
        ends.c.as_of, excess_q.c.client_id, excess_q.c.payment_no, excess_q.c.payment_date,
        (excess_q.c.amount - excess_q.c.paid).label("money"),
    ).join(
        ends,
        and_(excess_q.c.payment_date <= ends.c.as_of, excess_q.c.invoice_date <= ends.c.as_of),
    )  # fmt: skip
    items = union_all(never_named, named_later, excess).subquery()
    pool = select(
        items,
        func.sum(items.c.money)
        .over(
            partition_by=(items.c.as_of, items.c.client_id),
            order_by=(items.c.payment_date, items.c.payment_no),
            rows=(None, 0),
        )
        .label("range_end"),
    ).cte("d_pool_ranges")
    return named, invoices, pool


def collection_trend(
    session: Session, *, viewer: Viewer, as_of: dt.date, months: int = 12
) -> pd.DataFrame:
    """DSO and payment discipline at each of ``trend_days(as_of, months)`` (columns TREND_COLUMNS).

    One row per day and manager (the clients' own manager), then, for those who see all, a
    company row (a team row) per day. Each day is allocated on the documents up to it,
    all days in one SQL statement; dso and avg_days_late are those of ``dso`` and
    ``payment_discipline`` on that day, over the clients of the row.
    """
    days = trend_days(as_of, months)
    ends = union_all(
        *(
            select(
                literal(d, Date).label("as_of"),
                literal(same_day_year_before(d), Date).label("since"),
                literal(d - dt.timedelta(days=89), Date).label("sales_from"),
            )
            for d in days
        )
    ).cte("d_ends")
    named, invoices, pool = _dated_allocation(ends, viewer)

    def part(day, client, outstanding=ZERO, revenue=ZERO, paid=ZERO, late=ZERO):  # noqa: ANN001, ANN202
        return (
            day.label("as_of"), client.label("client_id"), outstanding.label("outstanding"),
            revenue.label("revenue"), paid.label("paid"), late.label("late"),
        )  # fmt: skip

    # Outstanding = remainders less pool, never negative: the pool fills the remainders.
    owed = select(*part(invoices.c.as_of, invoices.c.client_id, outstanding=invoices.c.remainder))
    pooled = select(*part(pool.c.as_of, pool.c.client_id, outstanding=-pool.c.money))
    revenue = sales.only_visible(
        select(*part(ends.c.as_of, SalesDay.client_id, revenue=SalesDay.net)).join(
            ends, SalesDay.day.between(ends.c.sales_from, ends.c.as_of)
        ),
        viewer=viewer,
        client_id=SalesDay.client_id,
    )

    def late(paid_on, due_on):  # noqa: ANN001, ANN202
        days_late = days_between(paid_on, due_on)
        return case((days_late > 0, days_late), else_=ZERO)

    named_pieces = select(
        *part(
            ends.c.as_of, named.c.client_id, paid=named.c.paid,
            late=named.c.paid * late(named.c.payment_date, named.c.due_date),
        )
    ).join(
        ends,
        and_(
            named.c.paid > sales.HALF_CENT,
            named.c.invoice_date <= ends.c.as_of,
            named.c.payment_date <= ends.c.as_of,
            named.c.payment_date > ends.c.since,
        ),
    )  # fmt: skip
    # Pool money and remainders laid end to end per day and client; a piece is an overlap.
    p_start = pool.c.range_end - pool.c.money
    i_start = invoices.c.range_end - invoices.c.remainder
    lo = case((p_start > i_start, p_start), else_=i_start)
    hi = case(
        (pool.c.range_end < invoices.c.range_end, pool.c.range_end), else_=invoices.c.range_end
    )
    pool_pieces = (
        select(
            *part(
                pool.c.as_of, pool.c.client_id, paid=hi - lo,
                late=(hi - lo) * late(pool.c.payment_date, invoices.c.due_date),
            )
        )
        .select_from(pool)
        .join(
            invoices,
            and_(
                invoices.c.as_of == pool.c.as_of,
                invoices.c.client_id == pool.c.client_id,
                p_start < invoices.c.range_end,
                i_start < pool.c.range_end,
            ),
        )
        .join(ends, ends.c.as_of == pool.c.as_of)
        .where(hi - lo > sales.HALF_CENT, pool.c.payment_date > ends.c.since)
    )  # fmt: skip
    parts = union_all(owed, pooled, revenue, named_pieces, pool_pieces).subquery()
    per_client = (
        select(
            parts.c.as_of,
            parts.c.client_id,
            func.sum(parts.c.outstanding).label("outstanding"),
            func.sum(parts.c.revenue).label("revenue"),
            func.sum(parts.c.paid).label("paid"),
            func.sum(parts.c.late).label("late"),
        )
        .group_by(parts.c.as_of, parts.c.client_id)
        .subquery()
    )
    owes = per_client.c.outstanding
    query = (
        select(
            per_client.c.as_of,
            Client.manager_id,
            Manager.code,
            func.sum(case((owes > 0, owes), else_=ZERO)),
            func.sum(per_client.c.revenue),
            func.sum(per_client.c.paid),
            func.sum(per_client.c.late),
        )
        .join(Client, Client.id == per_client.c.client_id)
        .join(Manager, Manager.id == Client.manager_id)
        .group_by(per_client.c.as_of, Client.manager_id, Manager.code)
    )
    found: dict[tuple[dt.date, int], tuple] = {}
    codes: dict[int, str] = {}
    for day, mid, code, owed_v, revenue_v, paid_v, late_v in session.execute(query):
        codes[mid] = code
        found[(sales.as_date(day), mid)] = (
            sales.money(owed_v),
            sales.money(revenue_v),
            sales.money(paid_v),
            Decimal(str(late_v or 0)),
        )
    rows = []
    for day in days:
        for mid in sorted(codes, key=codes.__getitem__):
            rows.append(_trend_row(day, mid, codes[mid], found.get((day, mid))))
        if viewer.sees_all:
            mine = [v for (d, _), v in found.items() if d == day]
            total = tuple(sum((v[i] for v in mine), Decimal(0)) for i in range(4))
            rows.append(_trend_row(day, TEAM, TEAM, total))
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def _trend_row(day: dt.date, mid: int | None, code: str, values: tuple | None) -> tuple:
    owed, revenue, paid, late = values or (sales.ZERO, sales.ZERO, sales.ZERO, Decimal(0))
    return (
        day,
        mid,
        code,
        owed,
        revenue,
        None if revenue <= 0 else float(owed / revenue * 90),
        paid,
        None if not paid else float(late / paid),
    )
