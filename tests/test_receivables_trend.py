"""DSO and payment discipline by month end, and the company total of the manager rows, on the
hand-made ledger of tests/test_receivables.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from kam import receivables
from kam.core import access, clock, db
from kam.core.access import SYSTEM, Viewer
from kam.core.models import Manager
from kam.core.team import is_team, rows_of
from tests import factories as f
from tests.factories import D
from tests.test_receivables import AS_OF, ledger  # noqa: F401 - the fixture


def rows(frame, code: str | None = "M1") -> dict[dt.date, tuple]:
    """One manager's rows by day, or the company's when ``code`` is None."""
    return {
        r.as_of: (r.outstanding, r.revenue_90d, r.dso, r.paid_12m, r.avg_days_late)
        for r in rows_of(frame, code).itertuples()
    }


def test_trend_days():
    assert receivables.trend_days(dt.date(2026, 3, 15), 3) == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 15),
    ]
    assert receivables.trend_days(dt.date(2026, 3, 31), 2) == [
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
    ]


def test_trend_by_month_end(ledger):  # noqa: F811
    with db.reading(ledger) as s:
        trend = receivables.collection_trend(s, viewer=SYSTEM, as_of=AS_OF, months=3)
    assert list(trend.columns) == receivables.TREND_COLUMNS
    got = rows(trend)
    # 31 Jan: K owes I1 100 + I2 200 less P1 80; O owes J0 30 → 250. Sales 1 Nov–31 Jan:
    # 500 + 1000 → DSO 15. Only P1 paid (I1, before its due date): 0 days late.
    assert got[dt.date(2026, 1, 31)] == (
        D("250.00"), D("1500.00"), pytest.approx(15.0), D("80.00"), 0.0,
    )  # fmt: skip
    # 28 Feb: I3 300 more; V's 70 is credit, not negative debt → 550; DSO 550 / 1500 × 90.
    assert got[dt.date(2026, 2, 28)] == (
        D("550.00"), D("1500.00"), pytest.approx(33.0), D("80.00"), 0.0,
    )  # fmt: skip
    # 31 March: as tests/test_receivables: 460 owed, 1000 sold → 41.4; K paid 540 with 6770
    # day-weighted, O 130 with 30 × 94.
    assert got[AS_OF] == (
        D("460.00"), D("1000.00"), pytest.approx(41.4), D("670.00"),
        pytest.approx((6770 + 30 * 94) / 670),
    )  # fmt: skip
    # One manager: the company rows are the same figures.
    assert rows(trend, None) == got


def test_a_later_day_names_the_prepayment(ledger):  # noqa: F811
    with db.reading(ledger) as s:
        trend = rows(
            receivables.collection_trend(s, viewer=SYSTEM, as_of=dt.date(2026, 4, 5), months=1)
        )
        discipline = receivables.payment_discipline(s, viewer=SYSTEM, as_of=dt.date(2026, 4, 5))
    # 5 April: P4 now names I5; P5 999 clears K. Nothing sold since 6 January: no DSO.
    # K: P2→I3 250 and P4→I5 50 on time, P3→I2 150 × 29; pool P1 80→I1 on time,
    # P4's 10→I1 × 47, P5: 10→I1 × 52, 50→I2 × 42, 50→I3 × 16, 400→I4 on time.
    late = 150 * 29 + 10 * 47 + 10 * 52 + 50 * 42 + 50 * 16 + 30 * 94
    assert trend[dt.date(2026, 4, 5)] == (
        D("0.00"), D("0.00"), None, D("1180.00"), pytest.approx(late / 1180),
    )  # fmt: skip
    weighted = sum(
        p * Decimal(str(a)) for p, a in zip(discipline.paid, discipline.avg_days_late, strict=True)
    )
    assert late == pytest.approx(float(weighted))


def test_a_kam_sees_own_rows_and_no_company_row(ledger):  # noqa: F811
    with db.writing(ledger) as s:
        other = f.manager(s, "M2")
        z = f.client(s, "Z", other)
        f.invoice(s, z, "Z1", "2026-03-01", "2026-03-10", 90)
    with db.reading(ledger) as s:
        m1 = s.execute(select(Manager.id).where(Manager.code == "M1")).scalar()
        mine = receivables.collection_trend(
            s, viewer=Viewer("m1", "kam", m1), as_of=AS_OF, months=1
        )
        everyone = receivables.collection_trend(s, viewer=access.SYSTEM, as_of=AS_OF, months=1)
    assert mine["manager_code"].tolist() == ["M1"]
    assert mine["outstanding"].tolist() == [D("460.00")]
    assert everyone["manager_code"].iloc[:2].tolist() == ["M1", "M2"]
    assert is_team(everyone).tolist() == [False, False, True]
    assert everyone["outstanding"].tolist() == [D("460.00"), D("90.00"), D("550.00")]


def test_company_total_adds_up_the_managers(ledger):  # noqa: F811
    with db.writing(ledger) as s:
        z = f.client(s, "Z", f.manager(s, "M2"), credit_limit=D(50))
        f.invoice(s, z, "Z1", "2026-03-01", "2026-03-10", 90)
    with db.reading(ledger) as s:
        per_manager = receivables.manager_receivables(s, viewer=SYSTEM, as_of=AS_OF)
    total = rows_of(receivables.with_company_total(per_manager), None).iloc[0]
    # M1 460: I3's 50 is 14 days past due, I2's 10 is 40; M2: Z1 90, 21 days past due, over
    # its limit of 50.
    assert (total["outstanding"], total["overdue"], total["d1_30"], total["d31_60"]) == (
        D("550.00"), D("150.00"), D("140.00"), D("10.00"),
    )  # fmt: skip
    assert total["credit_balance"] == D("90.00")
    assert total["over_limit_clients"] == 2


def test_trend_matches_the_one_day_functions_on_the_demo(demo_database):
    """Each month end of the trend equals dso and payment_discipline run for that day alone."""
    with db.reading(db.engine(demo_database)) as s:
        as_of = clock.today()
        trend = receivables.collection_trend(s, viewer=SYSTEM, as_of=as_of, months=12)
        for day in (trend["as_of"].iloc[0], as_of):
            team = rows_of(trend[trend["as_of"] == day], None).iloc[0]
            assert team["dso"] == pytest.approx(receivables.dso(s, viewer=SYSTEM, as_of=day))
            one_day = receivables.payment_discipline(s, viewer=SYSTEM, as_of=day)
            weighted = sum(
                p * Decimal(str(a))
                for p, a in zip(one_day.paid, one_day.avg_days_late, strict=True)
            )
            assert team["paid_12m"] == sum(one_day.paid, Decimal(0))
            assert team["avg_days_late"] == pytest.approx(float(weighted / team["paid_12m"]))
