"""The receivables store: what it holds is the allocation worked out by hand, the figures read
from it equal the live ones, an import refreshes it, and a day it does not cover reads live."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, delete, event, select
from sqlalchemy.orm import Session

from kam import demo, importer, receivables
from kam.core import audit, clock, db
from kam.core.access import SYSTEM, Viewer
from kam.core.models import (
    AuditLog,
    Client,
    Invoice,
    Manager,
    ReceivableBalance,
    ReceivableDay,
    ReceivableOpen,
    ReceivablePaid,
)
from kam.receivables import store
from tests import factories as f
from tests.factories import D

L = dt.date(2026, 2, 25)  # the hand ledger's last document


@contextmanager
def session_of(engine: Engine) -> Iterator[Session]:
    """A session whose changes are never kept: forgetting the store there reads live."""
    with Session(engine) as s, s.begin():
        yield s
        s.rollback()


def stored_and_live(s: Session, read: Callable[[], object]) -> tuple[object, object]:
    """``read()`` from the store, then from the live allocation (the store's days forgotten)."""
    stored = read()
    s.execute(delete(ReceivableDay))
    live = read()
    return stored, live


def same(stored: object, live: object) -> None:
    if isinstance(stored, pd.DataFrame):
        assert isinstance(live, pd.DataFrame)
        pd.testing.assert_frame_equal(stored, live)
    else:
        assert stored == pytest.approx(live)


@pytest.fixture
def demo_engine(engine: Engine) -> Engine:
    """A small demo company (SQLite and PostgreSQL); its load stores the allocation."""
    with db.writing(engine) as s:
        demo.load(s, today=clock.today(), lines=5_000)
    return engine


def test_the_store_reads_as_the_live_allocation_on_the_demo(demo_engine):
    today = clock.today()
    with session_of(demo_engine) as s:
        # The demo's last document is on or before today: every day of the trend is stored.
        days = receivables.trend_days(today)
        assert set(store.covering(s, days)) == set(days)
        head_id = s.execute(select(Manager.id).where(Manager.role == "head")).scalars().first()
        kam_id = (
            s.execute(select(Client.manager_id).join(Manager).where(Manager.role == "kam"))
            .scalars()
            .first()
        )
        client_id = s.execute(
            select(Invoice.client_id).group_by(Invoice.client_id).order_by(Invoice.client_id)
        ).scalars().first()  # fmt: skip
    head = Viewer(name="head", role="head", manager_id=head_id)
    kam = Viewer(name="kam", role="kam", manager_id=kam_id)
    reads: list[Callable[[Session], object]] = []
    for viewer in (head, kam):
        at = {"viewer": viewer, "as_of": today}
        reads += [
            lambda s, at=at: receivables.open_invoices(s, **at),
            lambda s, at=at: receivables.client_receivables(s, **at),
            lambda s, at=at: receivables.collection_trend(s, **at),
            lambda s, at=at: receivables.payment_discipline(s, **at),
            lambda s, at=at: receivables.dso(s, **at),
        ]
    one = {"viewer": SYSTEM, "as_of": today, "client_id": client_id}
    reads += [
        lambda s: receivables.open_invoices(s, **one),
        lambda s: receivables.client_receivables(s, **one),
        lambda s: receivables.payment_discipline(s, **one),
    ]
    for read in reads:
        with session_of(demo_engine) as s:
            stored, live = stored_and_live(s, lambda read=read, s=s: read(s))
        same(stored, live)
    with session_of(demo_engine) as s:
        mine = receivables.client_receivables(s, viewer=kam, as_of=today)
        # The KAM sees his or her own clients only, as the live allocation shows them.
        assert not mine.empty and set(mine["manager_id"]) == {kam_id}


@pytest.fixture
def ledger(engine: Engine) -> Engine:
    """A owes on two invoices, one partly paid by naming it, one by the pool; B has a credit."""
    with db.writing(engine) as s:
        a = f.client(s, "A", f.manager(s, "M1"))
        b = f.client(s, "B", f.manager(s, "M2"))
        f.invoice(s, a, "I1", "2026-01-10", "2026-01-20", 100)
        i2 = f.invoice(s, a, "I2", "2026-02-10", "2026-02-20", 200)
        f.payment(s, a, "P1", "2026-01-25", 60, i2)
        f.payment(s, a, "P2", "2026-02-25", 30)
        f.invoice(s, b, "I3", "2026-02-01", "2026-03-03", 50)
        f.payment(s, b, "P3", "2026-02-05", 80)
        store.refresh(s)
    return engine


def stored_rows(s: Session, day: dt.date) -> tuple[dict, dict, dict]:
    """What the store holds on ``day``: unpaid per invoice, (outstanding, credit) per client,
    (paid, Σ amount × days late) per client and payment date."""
    code = {cid: c for cid, c in s.execute(select(Client.id, Client.code))}
    number = {iid: n for iid, n in s.execute(select(Invoice.id, Invoice.invoice_no))}
    unpaid = {
        number[i]: u
        for i, u in s.execute(
            select(ReceivableOpen.invoice_id, ReceivableOpen.unpaid).where(
                ReceivableOpen.as_of == day
            )
        )
    }
    owed = {
        code[c]: (o, cr)
        for c, o, cr in s.execute(
            select(
                ReceivableBalance.client_id, ReceivableBalance.outstanding, ReceivableBalance.credit
            ).where(ReceivableBalance.as_of == day)
        )
    }
    paid = {
        (code[c], d): (p, late)
        for c, d, p, late in s.execute(
            select(
                ReceivablePaid.client_id, ReceivablePaid.payment_date, ReceivablePaid.paid,
                ReceivablePaid.late_days,
            ).where(ReceivablePaid.as_of == day)
        )
    }  # fmt: skip
    return unpaid, owed, paid


def test_the_stored_allocation_is_the_hand_computed_one(ledger):
    with db.reading(ledger) as s:
        unpaid, owed, paid = stored_rows(s, L)
        # P1 names I2: 140 left of it. P2's 30 is pool money and pays the oldest due, I1: 70
        # left, paid 36 days after its due date. B's 80 pays I3's 50 and leaves 30 of credit.
        assert unpaid == {"I1": D(70), "I2": D(140)}
        assert owed == {"A": (D(210), D(0)), "B": (D(0), D(30))}
        assert paid == {
            ("A", dt.date(2026, 1, 25)): (D(60), D(0)),
            ("A", L): (D(30), D(30 * 36)),
            ("B", dt.date(2026, 2, 5)): (D(50), D(0)),
        }
        # 31 January: I2 is not issued yet, so P1 is pool money paying 60 of I1, 5 days late.
        jan = dt.date(2026, 1, 31)
        unpaid, owed, paid = stored_rows(s, jan)
        assert unpaid == {"I1": D(40)}
        assert owed == {"A": (D(40), D(0))}
        assert paid == {("A", dt.date(2026, 1, 25)): (D(60), D(60 * 5))}
        # The next document after 31 January is I3 of 1 February; nothing follows the last.
        until = dict(s.execute(select(ReceivableDay.as_of, ReceivableDay.valid_until)).all())
        assert (until[jan], until[L]) == (jan, None)


def test_a_later_day_reads_the_store_with_its_own_ageing(ledger):
    day = dt.date(2026, 3, 10)
    with db.reading(ledger) as s:
        assert store.covering(s, [day]) == {day: L}
        invoices = receivables.open_invoices(s, viewer=SYSTEM, as_of=day)
        debt = receivables.client_receivables(s, viewer=SYSTEM, as_of=day).set_index("client_code")
        paid = receivables.payment_discipline(s, viewer=SYSTEM, as_of=day).set_index("client_code")
    # I1 was due 20 January (49 days before 10 March), I2 on 20 February (18 days).
    assert list(zip(invoices.invoice_no, invoices.unpaid, invoices.days_past_due, strict=True)) == [
        ("I1", D(70), 49),
        ("I2", D(140), 18),
    ]
    assert (debt.at["A", "outstanding"], debt.at["A", "d31_60"], debt.at["A", "d1_30"]) == (
        D(210), D(70), D(140),
    )  # fmt: skip
    assert (debt.at["B", "outstanding"], debt.at["B", "credit_balance"]) == (D(0), D(30))
    # A: 1080 days × rubles over 90 rubles paid; B paid on time.
    assert paid.at["A", "avg_days_late"] == pytest.approx(1080 / 90)
    assert paid.at["B", "avg_days_late"] == 0


def test_a_day_before_the_last_document_reads_live(ledger):
    day = dt.date(2026, 2, 15)
    with db.reading(ledger) as s:
        assert store.covering(s, [day]) == {}
        invoices = receivables.open_invoices(s, viewer=SYSTEM, as_of=day)
        debt = receivables.client_receivables(s, viewer=SYSTEM, as_of=day).set_index("client_code")
    # By 15 February P2 is not paid: I1 owes all 100 (26 days past due); I2 140, due in 5 days.
    assert list(zip(invoices.invoice_no, invoices.unpaid, invoices.days_past_due, strict=True)) == [
        ("I1", D(100), 26),
        ("I2", D(140), -5),
    ]
    assert (debt.at["A", "outstanding"], debt.at["A", "overdue"]) == (D(240), D(100))


def test_a_payment_written_around_the_store_is_not_missed(ledger):
    # A write that does not refresh the store (a script): the ledger no longer matches it.
    day = dt.date(2026, 3, 10)
    with db.writing(ledger) as s:
        a = s.execute(select(Client).where(Client.code == "A")).scalar_one()
        f.payment(s, a, "P4", "2026-02-26", 100)
    with db.reading(ledger) as s:
        assert store.covering(s, [day]) == {}
        debt = receivables.client_receivables(s, viewer=SYSTEM, as_of=day).set_index("client_code")
    assert debt.at["A", "outstanding"] == D(110)


def test_the_ledger_is_checked_in_full_once_per_version(ledger, monkeypatch):
    sums: list[str] = []

    def count_sums(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        sums.extend(["sum"] if "sum(invoices.amount)" in statement else [])

    monkeypatch.setattr(store, "_MATCHED", set())
    event.listen(ledger, "before_cursor_execute", count_sums)
    try:
        day = dt.date(2026, 3, 10)
        with db.reading(ledger) as s:
            assert store.covering(s, [day]) == {day: L}
            assert store.covering(s, [day]) == {day: L}
        assert len(sums) == 1  # the second read trusts the first check
        with db.writing(ledger) as s:  # an audited write moves the version: checked again
            audit.bump_data_version(s, "payment")
        with db.reading(ledger) as s:
            assert store.covering(s, [day]) == {day: L}
        assert len(sums) == 2
    finally:
        event.remove(ledger, "before_cursor_execute", count_sums)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load(engine: Engine, *paths: Path) -> list[importer.FileSummary]:
    files = importer.plan_files(paths, None)
    return importer.load_files(engine, files, viewer=SYSTEM, actor=audit.Actor(name="tester"))


def test_an_import_of_payments_refreshes_the_store(engine, tmp_path):
    summaries = load(
        engine,
        write(tmp_path, "managers.csv", "code,name,email,role\nM1,Anna,,kam\n"),
        write(tmp_path, "clients.csv", "code,name,manager_code,payment_terms_days\nC1,Al,M1,30\n"),
        write(
            tmp_path,
            "invoices.csv",
            "invoice_no,client_code,invoice_date,due_date,amount\n"
            "I1,C1,2024-03-05,,1000\n"  # due in 30 days: 4 April
            "I3,C1,2024-03-05,2024-03-20,250\n",
        ),
        write(
            tmp_path,
            "payments.csv",
            "payment_no,client_code,payment_date,amount,invoice_no\nP-1,C1,2024-03-10,400,I1\n",
        ),
    )
    assert [s.status for s in summaries] == ["loaded"] * 4
    day = dt.date(2024, 4, 30)
    with db.reading(engine) as s:
        # P-1 pays 400 of I1, which it names: 600 and I3's 250 left.
        assert stored_rows(s, dt.date(2024, 3, 10))[0] == {"I1": D(600), "I3": D(250)}
        assert store.covering(s, [day]) == {day: dt.date(2024, 3, 10)}
        version = audit.data_version(s)
    [summary] = load(
        engine,
        write(
            tmp_path,
            "payments-april.csv",
            "payment_no,client_code,payment_date,amount,invoice_no\nP-2,C1,2024-04-01,300,\n",
        ),
    )
    assert summary.status == "loaded"
    with db.reading(engine) as s:
        # P-2 names nothing: it pays the oldest due first, I3's 250, then 50 of I1.
        assert stored_rows(s, dt.date(2024, 4, 1))[0] == {"I1": D(550)}
        assert store.covering(s, [day]) == {day: dt.date(2024, 4, 1)}
        debt = receivables.client_receivables(s, viewer=SYSTEM, as_of=day)
        assert list(debt["outstanding"]) == [D(550)]
        # The refresh is part of the import: one audited write, one data version further.
        assert audit.data_version(s) == version + 1
        last = s.execute(select(AuditLog.entity).order_by(AuditLog.id.desc())).scalars().first()
        assert last == "payments"
