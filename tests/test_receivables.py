"""Receivables as of a day on hand-made invoices and payments, and properties of the allocation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from kam import receivables
from kam.core import db
from kam.core.access import SYSTEM, Viewer
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

AS_OF = dt.date(2026, 3, 31)


def by_code(frame, column: str = "client_code") -> dict:
    return {row[column]: row for row in frame.to_dict("records")}


@pytest.fixture
def ledger(engine):
    """K: a prepayment, partial named payments, a payment naming a later invoice; O: overpaid;
    V: a payment and no invoice. Sums are worked out in each test."""
    with db.writing(engine) as s:
        m = f.manager(s, "M1")
        k = f.client(s, "K", m, credit_limit=D(400))
        o = f.client(s, "O", m)
        v = f.client(s, "V", m, credit_limit=D(0))
        i1 = f.invoice(s, k, "I1", "2026-01-10", "2026-02-09", 100)
        i2 = f.invoice(s, k, "I2", "2026-01-20", "2026-02-19", 200)
        i3 = f.invoice(s, k, "I3", "2026-02-15", "2026-03-17", 300)
        f.invoice(s, k, "I4", "2026-03-25", "2026-04-24", 400)
        i5 = f.invoice(s, k, "I5", "2026-04-05", "2026-05-05", 50)  # after the as-of day
        f.payment(s, k, "P1", "2026-01-05", 80)  # before any invoice: unnamed
        f.payment(s, k, "P2", "2026-03-01", 250, i3)  # part of I3
        f.payment(s, k, "P3", "2026-03-20", 150, i2)  # part of I2
        f.payment(s, k, "P4", "2026-03-28", 60, i5)  # names an invoice dated after D: unnamed
        f.payment(s, k, "P5", "2026-04-02", 999)  # after D: ignored
        assert i1.amount == 100
        f.invoice(s, o, "J0", "2025-11-01", "2025-12-01", 30)
        j1 = f.invoice(s, o, "J1", "2026-03-01", "2026-03-11", 100)
        f.payment(s, o, "Q1", "2026-03-05", 150, j1)  # 50 more than J1
        f.payment(s, v, "W1", "2026-02-01", 70)
        f.line(s, k, "2025-12-31", 500)  # 91 days before D: outside the DSO window
        f.line(s, k, "2026-01-01", 1000)  # 90th day up to D
        f.refresh(s)
    return engine


def test_allocation_and_ageing(ledger):
    with db.reading(ledger) as s:
        got = by_code(receivables.client_receivables(s, viewer=SYSTEM, as_of=AS_OF))
        items = receivables.open_invoices(s, viewer=SYSTEM, as_of=AS_OF)
    # K: named I3 250, I2 150; pool P1 80 + P4 60 = 140 pays I1 100 and I2 40 (oldest due first).
    # Unpaid: I2 10 (40 days late), I3 50 (14 days), I4 400 (not due).
    k = got["K"]
    assert (k["outstanding"], k["not_due"], k["d1_30"], k["d31_60"], k["d61_90"], k["d90_plus"]) == (
        D("460.00"), D("400.00"), D("50.00"), D("10.00"), D("0.00"), D("0.00"),
    )  # fmt: skip
    assert (k["overdue"], k["credit_balance"], k["credit_limit"]) == (
        D("60.00"),
        D("0.00"),
        D("400.00"),
    )
    assert k["credit_use_pct"] == 115.0 and k["over_limit"] is True and k["manager_code"] == "M1"
    # O: Q1 pays J1 100; its other 50 pays J0 30; 20 is a credit balance, never negative debt.
    o = got["O"]
    assert (o["outstanding"], o["overdue"], o["credit_balance"]) == (
        D("0.00"),
        D("0.00"),
        D("20.00"),
    )
    assert o["credit_limit"] is None and o["over_limit"] is False
    assert o["credit_use_pct"] is None or o["credit_use_pct"] != o["credit_use_pct"]
    # V: money and no invoice.
    v = got["V"]
    assert (v["outstanding"], v["credit_balance"], v["over_limit"]) == (
        D("0.00"),
        D("70.00"),
        False,
    )
    assert list(zip(items.invoice_no, items.unpaid, items.days_past_due, strict=True)) == [
        ("I2", D("10.00"), 40),
        ("I3", D("50.00"), 14),
        ("I4", D("400.00"), -24),
    ]


def test_a_later_day_sees_later_money(ledger):
    with db.reading(ledger) as s:
        got = by_code(receivables.client_receivables(s, viewer=SYSTEM, as_of=dt.date(2026, 4, 5)))
    # On 5 April P4 names I5 (now dated by D): 50 pays I5, its other 10 joins the pool with
    # P1 80 and P5 999. Pool 1089 pays I1 100, I2 50, I3 50, I4 400, leaving 489 of credit.
    assert (got["K"]["outstanding"], got["K"]["credit_balance"]) == (D("0.00"), D("489.00"))


def test_manager_totals_dso_and_discipline(ledger):
    with db.reading(ledger) as s:
        mgr = receivables.manager_receivables(s, viewer=SYSTEM, as_of=AS_OF).to_dict("records")
        k_id = s.execute(select(Client.id).where(Client.code == "K")).scalar()
        dso = receivables.dso(s, viewer=SYSTEM, as_of=AS_OF, client_id=k_id)
        discipline = by_code(receivables.payment_discipline(s, viewer=SYSTEM, as_of=AS_OF))
        pieces = receivables.paid_pieces(s, viewer=SYSTEM, as_of=AS_OF, client_id=k_id)
    assert len(mgr) == 1
    assert {k: mgr[0][k] for k in ("manager_code", "outstanding", "overdue", "credit_balance")} == {
        "manager_code": "M1",
        "outstanding": D("460.00"),
        "overdue": D("60.00"),
        "credit_balance": D("90.00"),
    }
    assert mgr[0]["over_limit_clients"] == 1
    # 460 owed / 1000 sold in the 90 days to D × 90.
    assert dso == pytest.approx(41.4)
    assert sorted(zip(pieces.payment_no, pieces.invoice_no, pieces.amount, strict=True)) == [
        ("P1", "I1", D("80.00")),
        ("P2", "I3", D("250.00")),
        ("P3", "I2", D("150.00")),
        ("P4", "I1", D("20.00")),
        ("P4", "I2", D("40.00")),
    ]
    # Days late: P2→I3 0, P3→I2 29, P1→I1 0, P4→I1 47, P4→I2 37:
    # (150·29 + 20·47 + 40·37) / 540 = 6770 / 540.
    assert discipline["K"]["paid"] == D("540.00")
    assert discipline["K"]["avg_days_late"] == pytest.approx(6770 / 540)
    # O: Q1 → J1 100 on time; Q1 → J0 30, 94 days after 1 December.
    assert discipline["O"]["avg_days_late"] == pytest.approx(30 * 94 / 130)
    assert "V" not in discipline  # money that paid nothing is not in the average


def test_bucket_edges(engine):
    with db.writing(engine) as s:
        cl = f.client(s, "B", f.manager(s, "M1"))
        for n, (days_late, amount) in enumerate(
            [(0, 1), (1, 2), (30, 4), (31, 8), (60, 16), (61, 32), (90, 64), (91, 128)]
        ):
            due = AS_OF - dt.timedelta(days=days_late)
            f.invoice(s, cl, f"E{n}", "2025-01-01", due.isoformat(), amount)
    with db.reading(engine) as s:
        row = receivables.client_receivables(s, viewer=SYSTEM, as_of=AS_OF).iloc[0]
    assert [row[b] for b in receivables.BUCKETS] == [
        D("1.00"), D("6.00"), D("24.00"), D("96.00"), D("128.00"),
    ]  # fmt: skip
    assert (row["outstanding"], row["overdue"]) == (D("255.00"), D("254.00"))


money_cents = st.integers(1, 50_000)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    invoices=st.lists(
        st.tuples(st.integers(0, 1), st.integers(0, 60), st.integers(0, 45), money_cents),
        max_size=8,
    ),
    payments=st.lists(
        st.tuples(st.integers(0, 1), st.integers(0, 80), money_cents, st.integers(-1, 7)),
        max_size=8,
    ),
    as_of_offset=st.integers(0, 90),
)
def test_allocation_properties(engine, invoices, payments, as_of_offset):
    start = dt.date(2026, 1, 1)
    as_of = start + dt.timedelta(days=as_of_offset)
    with db.writing(engine) as s:
        for table in (
            Payment,
            Invoice,
            SalesDay,
            SalesMonth,
            FirstSale,
            SalesLine,
            Client,
            Manager,
        ):
            s.execute(delete(table))
        m = f.manager(s, "M1")
        clients = [f.client(s, f"C{i}", m) for i in range(2)]
        made = []
        for n, (c, day, terms, cents) in enumerate(invoices):
            issued = start + dt.timedelta(days=day)
            due = issued + dt.timedelta(days=terms)
            made.append(
                f.invoice(
                    s,
                    clients[c],
                    f"I{n}",
                    issued.isoformat(),
                    due.isoformat(),
                    Decimal(cents) / 100,
                )
            )
        for n, (c, day, cents, names) in enumerate(payments):
            named = made[names] if 0 <= names < len(made) else None  # may be another client's
            paid = (start + dt.timedelta(days=day)).isoformat()
            f.payment(s, clients[c], f"P{n}", paid, Decimal(cents) / 100, named)
    with db.reading(engine) as s:
        per_client = receivables.client_receivables(s, viewer=SYSTEM, as_of=as_of)
        pieces = receivables.paid_pieces(s, viewer=SYSTEM, as_of=as_of)
        items = receivables.open_invoices(s, viewer=SYSTEM, as_of=as_of)
    for row in per_client.to_dict("records"):
        assert sum((row[b] for b in receivables.BUCKETS), Decimal(0)) == row["outstanding"]
        assert row["credit_balance"] >= 0 and row["outstanding"] >= 0
    paid_by = {
        f"P{n}": Decimal(p[2]) / 100
        for n, p in enumerate(payments)
        if start + dt.timedelta(days=p[1]) <= as_of
    }
    billed = {
        f"I{n}": Decimal(i[3]) / 100
        for n, i in enumerate(invoices)
        if start + dt.timedelta(days=i[1]) <= as_of
    }
    used = pieces.groupby("payment_no")["amount"].apply(lambda a: sum(a, Decimal(0))).to_dict()
    settled = pieces.groupby("invoice_no")["amount"].apply(lambda a: sum(a, Decimal(0))).to_dict()
    unpaid = dict(zip(items.invoice_no, items.unpaid, strict=True))
    for no, amount in used.items():
        assert amount <= paid_by[no]  # allocated money never exceeds money paid
    for no, amount in billed.items():
        assert settled.get(no, Decimal(0)) + unpaid.get(no, Decimal(0)) == amount
    # Every unit of money paid by D either paid an invoice or is a credit balance.
    total_credit = sum(per_client["credit_balance"], Decimal(0))
    assert sum(used.values(), Decimal(0)) + total_credit == sum(paid_by.values(), Decimal(0))


def test_a_kam_sees_only_own_clients(ledger):
    with db.reading(ledger) as s:
        m1 = s.execute(select(Manager.id).where(Manager.code == "M1")).scalar()
        other = Viewer(name="someone else", role="kam", manager_id=m1 + 1)
        own = Viewer(name="m1", role="kam", manager_id=m1)
        assert receivables.client_receivables(s, viewer=other, as_of=AS_OF).empty
        assert receivables.paid_pieces(s, viewer=other, as_of=AS_OF).empty
        assert list(receivables.client_receivables(s, viewer=own, as_of=AS_OF).client_code) == [
            "K",
            "O",
            "V",
        ]


def test_one_managers_and_one_clients_ageing(ledger):
    # The statement is kept per viewer with the manager and the client bound: each call its own.
    with db.reading(ledger) as s:
        m1 = s.execute(select(Manager.id).where(Manager.code == "M1")).scalar()
        k_id = s.execute(select(Client.id).where(Client.code == "K")).scalar()

        def codes(**scope) -> list[str]:
            found = receivables.client_receivables(s, viewer=SYSTEM, as_of=AS_OF, **scope)
            return list(found.client_code)

        assert codes(manager_id=m1 + 1) == []
        assert codes(manager_id=m1) == ["K", "O", "V"]
        one = receivables.client_receivables(s, viewer=SYSTEM, as_of=AS_OF, client_id=k_id)
        # K as in test_allocation_and_ageing: 460 owed, 400 not due, 50 and 10 overdue.
        assert [(r.client_code, r.outstanding, r.not_due, r.overdue) for r in one.itertuples()] == [
            ("K", D("460.00"), D("400.00"), D("60.00"))
        ]
        assert codes(manager_id=m1, client_id=k_id) == ["K"]
