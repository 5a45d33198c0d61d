"""Which money paid which invoice: the SQL allocation against a plain, slow reference written
from docs/METRICS.md, on hand-made ledgers (ties of ranges included) and on random ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from kam import receivables
from kam.core import db
from kam.core.access import SYSTEM
from kam.core.models import (
    Client,
    FirstSale,
    Invoice,
    Manager,
    Payment,
    SalesDay,
    SalesLine,
    SalesMonth,
)
from tests import factories as f
from tests.factories import D

FEB_28 = dt.date(2026, 2, 28)


def reference(invoices: list[tuple], payments: list[tuple], as_of: dt.date) -> dict:
    """(payment_no, invoice_no) → amount, one client, by the rules of METRICS.md, in loops.

    invoices: (no, invoice_date, due_date, amount); payments: (no, date, amount, named no|None).
    """
    bills = {no: (day, due, amt) for no, day, due, amt in invoices if day <= as_of}
    named_part = dict.fromkeys(bills, D(0))
    found: dict[tuple[str, str], Decimal] = {}
    pool: list[tuple[dt.date, str, Decimal]] = []
    for no, day, amount, names in sorted(payments, key=lambda p: (p[1], p[0])):
        if day > as_of:
            continue
        if names in bills:
            paid = min(amount, bills[names][2] - named_part[names])
            named_part[names] += paid
            if paid:
                found[(no, names)] = paid
            amount -= paid
        if amount:
            pool.append((day, no, amount))
    queue = sorted(
        (due, day, no, amt - named_part[no]) for no, (day, due, amt) in bills.items()
    )  # fmt: skip
    owed = [[no, rest] for _, _, no, rest in queue if rest > 0]
    for _, pay_no, money in sorted(pool):
        while money and owed:
            take = min(money, owed[0][1])
            found[(pay_no, owed[0][0])] = found.get((pay_no, owed[0][0]), D(0)) + take
            money -= take
            owed[0][1] -= take
            if not owed[0][1]:
                owed.pop(0)
    return found


def sql_pieces(session, as_of: dt.date) -> dict:
    found = receivables.paid_pieces(session, viewer=SYSTEM, as_of=as_of)
    return {(r.payment_no, r.invoice_no): r.amount for r in found.itertuples()}


def test_pool_pieces_by_hand(engine):
    """U1 (120) pays X1 and 20 of X2; U2 (30) ends where X2 ends; U3 names X3 and leaves 30 as
    credit. Days late: U2 5 on X2, U3 4 on X3; U1 paid before both due dates."""
    with db.writing(engine) as s:
        h = f.client(s, "H", f.manager(s, "M1"))
        f.invoice(s, h, "X1", "2026-01-01", "2026-01-10", 100)
        f.invoice(s, h, "X2", "2026-01-02", "2026-01-20", 50)
        x3 = f.invoice(s, h, "X3", "2026-01-03", "2026-02-01", 70)
        f.payment(s, h, "U1", "2026-01-05", 120)
        f.payment(s, h, "U2", "2026-01-25", 30)
        f.payment(s, h, "U3", "2026-02-05", 100, x3)
    with db.reading(engine) as s:
        got = sql_pieces(s, FEB_28)
        per_client = receivables.client_receivables(s, viewer=SYSTEM, as_of=FEB_28)
        paid = receivables.payment_discipline(s, viewer=SYSTEM, as_of=FEB_28)
        trend = receivables.collection_trend(s, viewer=SYSTEM, as_of=FEB_28, months=2)
    hand = {("U1", "X1"): D(100), ("U1", "X2"): D(20), ("U2", "X2"): D(30), ("U3", "X3"): D(70)}
    assert got == hand
    assert (per_client["outstanding"].iloc[0], per_client["credit_balance"].iloc[0]) == (0, 30)
    # 30 × 5 + 70 × 4 = 430 days × money over 220 paid.
    assert paid["avg_days_late"].iloc[0] == pytest.approx(430 / 220)
    feb = trend[(trend["as_of"] == FEB_28) & (trend["manager_code"] == "M1")].iloc[0]
    assert (feb["paid_12m"], feb["avg_days_late"]) == (D(220), pytest.approx(430 / 220))


money_cents = st.integers(1, 30_000)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    invoices=st.lists(
        st.tuples(st.integers(0, 60), st.integers(0, 45), money_cents), min_size=1, max_size=9
    ),
    payments=st.lists(st.tuples(st.integers(0, 80), money_cents, st.integers(-1, 9)), max_size=9),
    as_of_offset=st.integers(0, 90),
)
def test_pieces_equal_the_reference(engine, invoices, payments, as_of_offset):
    start = dt.date(2026, 1, 1)
    as_of = start + dt.timedelta(days=as_of_offset)
    bills, pays = [], []
    for n, (day, terms, cents) in enumerate(invoices):
        issued = start + dt.timedelta(days=day)
        bills.append((f"I{n}", issued, issued + dt.timedelta(days=terms), D(cents) / 100))
    for n, (day, cents, names) in enumerate(payments):
        named = bills[names][0] if 0 <= names < len(bills) else None
        pays.append((f"P{n}", start + dt.timedelta(days=day), D(cents) / 100, named))
    with db.writing(engine) as s:
        for table in (Payment, Invoice, SalesDay, SalesMonth, FirstSale, SalesLine, Client):
            s.execute(delete(table))
        s.execute(delete(Manager))
        c = f.client(s, "C", f.manager(s, "M1"))
        made = {
            no: f.invoice(s, c, no, day.isoformat(), due.isoformat(), amt)
            for no, day, due, amt in bills
        }  # fmt: skip
        for no, day, amt, named in pays:
            f.payment(s, c, no, day.isoformat(), amt, made.get(named) if named else None)
    with db.reading(engine) as s:
        assert sql_pieces(s, as_of) == reference(bills, pays, as_of)
