"""The receivables store: the allocation of a few days computed once per change of the ledger
into tables (kam.core.models, ``receivable_*``), and the one rule saying when a figure reads it."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import (
    CTE,
    BindParameter,
    Date,
    Integer,
    Select,
    Subquery,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from kam import sales
from kam.core import audit, clock
from kam.core.access import SYSTEM, Viewer
from kam.core.models import (
    Invoice,
    Payment,
    ReceivableBalance,
    ReceivableDay,
    ReceivableOpen,
    ReceivablePaid,
)
from kam.core.money import HALF_CENT, to_cent
from kam.core.periods import add_months, last_12_months
from kam.receivables import allocation
from kam.receivables.days import days_late

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False

STORED_MONTHS = 12  # month ends kept before the last document's month: the collection trend's

Ledger = tuple[int, int, Decimal, int, int, Decimal]
ClientId = int | BindParameter[int] | None  # one client, given now or bound at execution


def stored_days(last: dt.date) -> list[dt.date]:
    """The days kept: the month ends of the STORED_MONTHS months before ``last``'s month, and
    ``last`` (the last document's date), whose allocation is that of every later day."""
    month = last.replace(day=1)
    ends = [
        add_months(month, -back + 1) - dt.timedelta(days=1) for back in range(STORED_MONTHS, 0, -1)
    ]
    return [*ends, last]


def _ledger(session: Session) -> Ledger:
    """The ledger as it is now: count, last id and total of invoices and of payments."""
    # Cheap to read on every figure; it catches a write of invoices or payments that did not
    # refresh the store (a script, a test), which then falls back to the live allocation.
    found: list[int | Decimal] = []
    for table in (Invoice, Payment):
        count, last_id, total = session.execute(
            select(func.count(table.id), func.max(table.id), func.sum(table.amount))
        ).one()
        found += [int(count), int(last_id or 0), to_cent(total)]
    return tuple(found)  # type: ignore[return-value]


# The ledgers found to match the store, by database, ledger version, stored fingerprints and the
# last document ids. The full check scans every invoice and payment (5-10 ms, several times a
# page) while only an audited write moves the version; a script that adds documents around the
# app still moves the last ids, and then the full check runs again.
_MATCHED: set[tuple] = set()


def _matches(session: Session, stored: set[Ledger]) -> bool:
    """Whether every stored day was computed from the ledger as it is now."""
    last_ids = session.execute(
        select(
            select(func.max(Invoice.id)).scalar_subquery(),
            select(func.max(Payment.id)).scalar_subquery(),
        )
    ).one()
    key = (
        str(session.connection().engine.url),
        audit.data_version(session),
        frozenset(stored),
        tuple(last_ids),
    )
    if key in _MATCHED:
        return True
    now = _ledger(session)
    if any(fingerprint != now for fingerprint in stored):
        return False
    if len(_MATCHED) > 256:  # a long-running process meets a new version after every write
        _MATCHED.clear()
    _MATCHED.add(key)
    return True


def covering(session: Session, days: Sequence[dt.date]) -> dict[dt.date, dt.date]:
    """Of ``days``, those the store holds, each with its stored day: a day may read the store
    when a stored day is on or before it with no document dated in between, and the store was
    computed from the ledger as it is now. The only rule for using the store."""
    stored = session.execute(
        select(
            ReceivableDay.as_of, ReceivableDay.valid_until, ReceivableDay.invoices,
            ReceivableDay.invoice_max_id, ReceivableDay.invoice_total, ReceivableDay.payments,
            ReceivableDay.payment_max_id, ReceivableDay.payment_total,
        ).order_by(ReceivableDay.as_of)
    ).all()  # fmt: skip
    if not stored or not _matches(
        session, {(r[2], r[3], to_cent(r[4]), r[5], r[6], to_cent(r[7])) for r in stored}
    ):
        return {}
    found = {}
    for day in days:
        for as_of, until, *_ in stored:
            if as_of <= day and (until is None or day <= until):
                found[day] = as_of
                break
    return found


DAY_COLUMNS = ("as_of", "stored", "year_from")  # of day_map: the day asked for, its stored day


def _day_row(day: dt.date, stored: dt.date) -> dict[str, dt.date]:
    """A row of ``day_map`` (DAY_COLUMNS); year_from starts the 12 months up to ``day``."""
    return dict(zip(DAY_COLUMNS, (day, stored, last_12_months(day)[0]), strict=True))


def day_map(covered: Mapping[dt.date, dt.date]) -> CTE:
    """The covered days as a CTE (rows of ``_day_row``); one per statement, shared by the
    ``stored_*`` parts of it."""
    rows = [
        select(*(literal(value, Date).label(name) for name, value in _day_row(*pair).items()))
        for pair in sorted(covered.items())
    ]
    return (rows[0] if len(rows) == 1 else union_all(*rows)).cte("stored_days")


def _bound_day() -> CTE:
    """``day_map`` of one day whose dates are bound at execution (``_bound_day_dates``)."""
    bound = (bindparam(f"kept_{name}", type_=Date()).label(name) for name in DAY_COLUMNS)
    return select(*bound).cte("stored_days")


def _bound_day_dates(day: dt.date, stored: dt.date) -> dict[str, dt.date]:
    """What ``_bound_day`` is executed with for ``day`` read from the stored day ``stored``."""
    return {f"kept_{name}": value for name, value in _day_row(day, stored).items()}


@functools.lru_cache(maxsize=256)
def _bound_items_and_balances(viewer: Viewer, one_client: bool) -> tuple[CTE, Subquery]:
    """The store's open items and balances of one day for ``viewer``, built once: its day and
    client are bound at execution. Building them took as long as reading them."""
    days = _bound_day()
    client_id = bindparam("kept_client_id", type_=Integer()) if one_client else None
    return (
        stored_open_items(days, viewer=viewer, client_id=client_id),
        stored_balances(days, viewer=viewer, client_id=client_id),
    )


def _scoped(query: Select, client, *, viewer: Viewer, client_id: ClientId) -> Select:  # noqa: ANN001
    # The store holds every client; who sees what is applied on read, as the live allocation does.
    if client_id is not None:
        query = query.where(client == client_id)
    return sales.only_visible(query, viewer=viewer, client_id=client)


def stored_open_items(days: CTE, *, viewer: Viewer, client_id: ClientId = None) -> CTE:
    """``allocation.open_items`` read from the store for the days of ``day_map`` (its columns;
    only invoices with money unpaid)."""
    query = (
        select(
            days.c.as_of, Invoice.id.label("invoice_id"), ReceivableOpen.client_id,
            Invoice.invoice_no, Invoice.invoice_date, ReceivableOpen.due_date, Invoice.amount,
            ReceivableOpen.unpaid,
        )
        .join(days, days.c.stored == ReceivableOpen.as_of)
        .join(Invoice, Invoice.id == ReceivableOpen.invoice_id)
    )  # fmt: skip
    return _scoped(query, ReceivableOpen.client_id, viewer=viewer, client_id=client_id).cte(
        "stored_open_items"
    )


def stored_balances(days: CTE, *, viewer: Viewer, client_id: ClientId = None) -> Subquery:
    """``allocation.balances`` read from the store for the days of ``day_map`` (its columns)."""
    query = select(
        days.c.as_of, ReceivableBalance.client_id, ReceivableBalance.outstanding,
        ReceivableBalance.credit,
    ).join(days, days.c.stored == ReceivableBalance.as_of)  # fmt: skip
    scoped = _scoped(query, ReceivableBalance.client_id, viewer=viewer, client_id=client_id)
    return scoped.subquery("stored_balances")


def stored_paid(days: CTE, *, viewer: Viewer, client_id: int | None = None) -> Select:
    """Per day of ``day_map``, client and payment date: as_of, client_id, paid, late_days, of the
    money paid in the 12 months up to the day (what discipline sums from the pieces)."""
    query = select(
        days.c.as_of, ReceivablePaid.client_id, ReceivablePaid.paid, ReceivablePaid.late_days
    ).join(
        days,
        (days.c.stored == ReceivablePaid.as_of) & (ReceivablePaid.payment_date >= days.c.year_from),
    )
    return _scoped(query, ReceivablePaid.client_id, viewer=viewer, client_id=client_id)


def items_and_balances(
    session: Session, *, viewer: Viewer, as_of: dt.date, client_id: int | None = None
) -> tuple[CTE, Subquery, dict[str, object]]:
    """The open items and balances at ``as_of``: from the store when it covers the day, else
    from the live allocation (the columns of ``allocation.open_items`` and ``balances``); and
    the parameters a statement over them is executed with."""
    covered = covering(session, [as_of])
    if covered:
        items, owed = _bound_items_and_balances(viewer, client_id is not None)
        return items, owed, {**_bound_day_dates(as_of, covered[as_of]), "kept_client_id": client_id}
    alloc = allocation.allocate([as_of], viewer=viewer, client_id=client_id)
    return allocation.open_items(alloc), allocation.balances(alloc), {}


def refresh(session: Session) -> list[dt.date]:
    """Store the allocation of ``stored_days`` of the ledger as it is now, replacing what was
    stored, in the caller's transaction (whose audit row says why); returns the days stored."""
    for table in (ReceivablePaid, ReceivableBalance, ReceivableOpen, ReceivableDay):
        session.execute(delete(table))
    lasts = [
        session.execute(select(func.max(Invoice.invoice_date))).scalar(),
        session.execute(select(func.max(Payment.payment_date))).scalar(),
    ]
    known = [sales.as_date(day) for day in lasts if day is not None]
    if not known:
        return []  # no ledger: the live allocation of nothing is instant
    days = stored_days(max(known))
    alloc = allocation.allocate(days, viewer=SYSTEM)
    # Rounded to the cent as stored: SQLite computes the running sums in floating point.
    items = allocation.open_items(alloc)
    session.execute(
        insert(ReceivableOpen).from_select(
            ["as_of", "invoice_id", "client_id", "due_date", "unpaid"],
            select(
                items.c.as_of, items.c.invoice_id, items.c.client_id, items.c.due_date,
                func.round(items.c.unpaid, 2),
            ).where(items.c.unpaid > HALF_CENT),
        )
    )  # fmt: skip
    owed = allocation.balances(alloc)
    session.execute(
        insert(ReceivableBalance).from_select(
            ["as_of", "client_id", "outstanding", "credit"],
            select(
                owed.c.as_of, owed.c.client_id, func.round(owed.c.outstanding, 2),
                func.round(owed.c.credit, 2),
            ),
        )
    )  # fmt: skip
    # Only the money paid in the 12 months up to each day: a later day's window starts later.
    found = allocation.pieces(alloc, last_year=True).subquery()
    late = found.c.amount * days_late(found.c.payment_date, found.c.due_date)
    session.execute(
        insert(ReceivablePaid).from_select(
            ["as_of", "client_id", "payment_date", "paid", "late_days"],
            select(
                found.c.as_of, found.c.client_id, found.c.payment_date,
                func.round(func.sum(found.c.amount), 2),
                func.round(func.sum(late), 2),
            ).group_by(found.c.as_of, found.c.client_id, found.c.payment_date),
        )
    )  # fmt: skip
    _store_days(session, days)
    return days


def _store_days(session: Session, days: list[dt.date]) -> None:
    """The state rows: each day, the last day its documents stand for, and the ledger."""
    docs = union_all(
        select(Invoice.invoice_date.label("day")), select(Payment.payment_date.label("day"))
    ).subquery()
    ledger = _ledger(session)
    now = clock.now()
    for day in days:
        following = session.execute(select(func.min(docs.c.day)).where(docs.c.day > day)).scalar()
        until = None if following is None else sales.as_date(following) - dt.timedelta(days=1)
        invoices, invoice_max_id, invoice_total, payments, payment_max_id, payment_total = ledger
        session.add(
            ReceivableDay(
                as_of=day, valid_until=until, invoices=invoices, invoice_max_id=invoice_max_id,
                invoice_total=invoice_total, payments=payments, payment_max_id=payment_max_id,
                payment_total=payment_total, stored_at=now,
            )
        )  # fmt: skip
    session.flush()
