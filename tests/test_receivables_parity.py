"""One definition of each receivables figure: the Receivables page, Client 360 and the monthly
trend show the same outstanding, overdue, DSO and average days late for the same client and day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import select

from kam import receivables
from kam.core import clock, db
from kam.core.access import SYSTEM
from kam.core.models import Client, Manager
from kam.core.team import rows_of
from kam.portfolio import clients
from tests import factories as f
from tests.factories import D

JAN, FEB, MAR = dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31)


@pytest.fixture
def moving(engine):
    """A (manager M1) and B (M2), whose money moves between invoices from one month end to the
    next; every figure is worked out by hand in HAND."""
    with db.writing(engine) as s:
        a = f.client(s, "A", f.manager(s, "M1"), credit_limit=D(80))
        b = f.client(s, "B", f.manager(s, "M2"))
        f.invoice(s, a, "A1", "2026-01-10", "2026-01-20", 100)
        a2 = f.invoice(s, a, "A2", "2026-02-10", "2026-02-20", 200)
        a3 = f.invoice(s, a, "A3", "2026-03-05", "2026-03-15", 50)
        f.payment(s, a, "PA1", "2026-01-25", 60, a2)  # names an invoice not yet issued on 31 Jan
        f.payment(s, a, "PA2", "2026-02-25", 150, a2)  # settles A2 with 10 to spare
        f.payment(s, a, "PA3", "2026-03-20", 40)
        b1 = f.invoice(s, b, "B1", "2026-01-05", "2026-02-04", 80)
        f.payment(s, b, "PB0", "2026-01-02", 50, b1)  # paid before the invoice was issued
        f.payment(s, b, "PB1", "2026-03-10", 30, a3)  # names A's invoice: B's unnamed money
        f.line(s, a, "2026-01-15", 900)
        f.line(s, b, "2025-12-20", 300)  # in the 90 days to 31 Jan and 28 Feb, not to 31 March
        f.refresh(s)
    return engine


# Per client and day: outstanding, overdue, DSO, money paid in 12 months, Σ amount × days late.
HAND = {
    # 31 Jan: A2 is not issued, so PA1 is pool money: 60 of A1 (5 days late), 40 unpaid, 11
    # days past due. B: PB0 pays 50 of B1, 30 not yet due.
    ("A", JAN): (D(40), D(40), 40 / 900 * 90, D(60), 60 * 5),
    ("B", JAN): (D(30), D(0), 30 / 300 * 90, D(50), 0),
    # 28 Feb: PA1 now pays A2 (on time), PA2 140 of A2 (5 days) and its 10 pays A1 (36 days);
    # A1 owes 90. B1 is 24 days past due.
    ("A", FEB): (D(90), D(90), 90 / 900 * 90, D(210), 140 * 5 + 10 * 36),
    ("B", FEB): (D(30), D(30), 30 / 300 * 90, D(50), 0),
    # 31 March: the pool (PA2's 10, then PA3 40, 59 days late) pays 50 of A1; A1 50 and A3 50
    # overdue. B: PB1 pays B1's last 30, 34 days late; nothing sold in the 90 days: no DSO.
    ("A", MAR): (D(100), D(100), 100 / 900 * 90, D(250), 140 * 5 + 10 * 36 + 40 * 59),
    ("B", MAR): (D(0), D(0), None, D(80), 30 * 34),
}


def figure(value: object) -> object:
    """A figure of a frame, its empty value (NaN in a float column) as None."""
    return None if pd.isna(value) else value


def ids(session) -> dict[str, tuple[int, int]]:
    """Client code → (client id, its manager id)."""
    query = select(Client.code, Client.id, Client.manager_id)
    return {code: (cid, mid) for code, cid, mid in session.execute(query)}


def page_figures(session, client_id: int, day: dt.date) -> tuple:
    """What the Receivables page's functions give for one client on one day."""
    debt = receivables.client_receivables(session, viewer=SYSTEM, as_of=day, client_id=client_id)
    paid = receivables.payment_discipline(session, viewer=SYSTEM, as_of=day, client_id=client_id)
    return (
        debt["outstanding"].sum() if not debt.empty else D(0),
        debt["overdue"].sum() if not debt.empty else D(0),
        receivables.dso(session, viewer=SYSTEM, as_of=day, client_id=client_id),
        paid["avg_days_late"].iloc[0] if not paid.empty else None,
    )


def test_page_card_and_trend_agree_with_the_hand_figures(moving):
    with db.reading(moving) as s:
        trend = receivables.collection_trend(s, viewer=SYSTEM, as_of=MAR, months=3)
        for (code, day), (owed, overdue, dso, paid, late) in HAND.items():
            cid, mid = ids(s)[code]
            avg = late / float(paid) if paid else None
            page = page_figures(s, cid, day)
            assert page == (owed, overdue, pytest.approx(dso), pytest.approx(avg)), (code, day)
            card = clients.client_card(s, viewer=SYSTEM, code=code, as_of=day)
            assert (card.outstanding, card.overdue, card.avg_days_late) == (
                owed, overdue, pytest.approx(avg),
            ), (code, day)  # fmt: skip
            # One client per manager: the manager's trend row is the client's figures.
            row = trend[(trend["as_of"] == day) & (trend["manager_id"] == mid)].iloc[0]
            assert (row["outstanding"], row["paid_12m"]) == (owed, paid), (code, day)
            assert figure(row["dso"]) == pytest.approx(dso), (code, day)
            assert figure(row["avg_days_late"]) == pytest.approx(avg), (code, day)


def test_the_company_rows_of_the_trend(moving):
    with db.reading(moving) as s:
        trend = rows_of(receivables.collection_trend(s, viewer=SYSTEM, as_of=MAR, months=3), None)
    got = {r.as_of: (r.outstanding, r.dso, r.paid_12m, r.avg_days_late) for r in trend.itertuples()}
    # 31 Jan: 70 owed / 1200 sold; 60·5 days over 110 paid. 28 Feb: 120 / 1200; 1060 over 260.
    # 31 March: 100 / 900 (B's sale is older than 90 days); 3420 + 1020 over 330.
    assert got == {
        JAN: (D(70), pytest.approx(5.25), D(110), pytest.approx(300 / 110)),
        FEB: (D(120), pytest.approx(9.0), D(260), pytest.approx(1060 / 260)),
        MAR: (D(100), pytest.approx(10.0), D(330), pytest.approx(4440 / 330)),
    }


def test_the_card_shares_the_credit_rule(moving):
    with db.reading(moving) as s:
        a = clients.client_card(s, viewer=SYSTEM, code="A", as_of=MAR)
        b = clients.client_card(s, viewer=SYSTEM, code="B", as_of=MAR)
        row = receivables.client_receivables(s, viewer=SYSTEM, as_of=MAR).iloc[0]
    # A owes 100 against a limit of 80: 125 % used, over the limit, as on the Receivables page.
    assert (a.credit_use_pct, a.over_limit) == (125.0, True)
    assert (row["client_code"], row["credit_use_pct"], row["over_limit"]) == ("A", 125.0, True)
    # B owes nothing and has no limit: no row on the page, nothing used on the card.
    assert (b.outstanding, b.credit_use_pct, b.over_limit) == (D(0), None, False)


def test_the_one_formulas():
    # 460 owed against 1000 sold in 90 days: 41.4 days; nothing sold: no DSO.
    assert receivables.days_sales_outstanding(D(460), D(1000)) == pytest.approx(41.4)
    assert receivables.days_sales_outstanding(D(460), D(0)) is None
    assert receivables.days_sales_outstanding(D(460), D(-5)) is None
    # 150 paid 29 days late and 50 on time: 4350 / 200.
    assert receivables.average_days_late(D(4350), D(200)) == pytest.approx(21.75)
    assert receivables.average_days_late(0.0, D(0)) is None


def test_page_card_and_trend_agree_on_the_demo(demo_database):
    """On the demo: the card equals the page for the clients with most overdue, and each
    manager's trend row on the first and last day equals the one-day functions."""
    with db.reading(db.engine(demo_database)) as s:
        today = clock.today()
        per_client = receivables.client_receivables(s, viewer=SYSTEM, as_of=today)
        paid = receivables.payment_discipline(s, viewer=SYSTEM, as_of=today)
        late = dict(zip(paid["client_code"], paid["avg_days_late"], strict=True))
        ranked = per_client.sort_values("overdue", ascending=False).head(5)
        assert (ranked["overdue"] > 0).all()
        for row in ranked.itertuples():
            card = clients.client_card(s, viewer=SYSTEM, code=row.client_code, as_of=today)
            assert (card.outstanding, card.overdue) == (row.outstanding, row.overdue)
            assert (card.credit_use_pct, card.over_limit) == (
                figure(row.credit_use_pct), row.over_limit,
            )  # fmt: skip
            assert card.avg_days_late == pytest.approx(late.get(row.client_code))
        trend = receivables.collection_trend(s, viewer=SYSTEM, as_of=today)
        managers = dict(s.execute(select(Manager.id, Manager.code)).all())
        for day in (trend["as_of"].iloc[0], today):
            for mid in trend["manager_id"].dropna().unique()[:4]:
                mid = int(mid)
                row = rows_of(trend[trend["as_of"] == day], managers[mid]).iloc[0]
                owed = receivables.client_receivables(s, viewer=SYSTEM, as_of=day, manager_id=mid)
                one_day = receivables.payment_discipline(
                    s, viewer=SYSTEM, as_of=day, manager_id=mid
                )
                weighted = sum(
                    (p * Decimal(str(a)) for p, a in zip(one_day.paid, one_day.avg_days_late, strict=True)),
                    Decimal(0),
                )  # fmt: skip
                assert row["outstanding"] == sum(owed["outstanding"], Decimal(0))
                assert row["paid_12m"] == sum(one_day["paid"], Decimal(0))
                assert row["dso"] == pytest.approx(
                    receivables.dso(s, viewer=SYSTEM, as_of=day, manager_id=mid)
                )
                assert row["avg_days_late"] == pytest.approx(float(weighted / row["paid_12m"]))
