"""The plan scorecard on a hand-made May 2026 (public holidays on 1 and 11 May in RU)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from kam import plans
from kam.core import access, db
from kam.core.access import SYSTEM, Viewer
from kam.core.models import Manager
from kam.core.periods import is_working_day, parse
from kam.core.team import is_team
from tests import factories as f
from tests.factories import D


def day(text_: str) -> dt.date:
    return dt.date.fromisoformat(text_)


def table(frame) -> dict[tuple[str, str], tuple]:
    """(manager_code or "team", metric) → (plan, fact, fulfilment_pct, forecast, forecast_pct,
    gap, rate, still_needed, last_year)."""
    out = {}
    for row, team in zip(frame.itertuples(index=False), is_team(frame), strict=True):
        values = tuple(
            None if isinstance(v, float) and v != v else v
            for v in (
                row.plan,
                row.fact,
                row.fulfilment_pct,
                row.forecast,
                row.forecast_pct,
                row.gap,
                row.required_daily_rate,
                row.still_needed,
                row.last_year_fact,
            )
        )
        out[("team" if team else row.manager_code, row.metric)] = values
    return out


def test_the_holidays_the_fixture_relies_on():
    # RU: 1 May (Friday) and 11 May (Monday, for Saturday 9 May) are days off; 1–9 January too.
    for off in ("2026-05-01", "2026-05-09", "2026-05-11", "2026-01-01", "2026-01-08", "2026-01-09"):
        assert not is_working_day(day(off), "RU")
    assert is_working_day(day("2026-05-12"), "RU")
    cal = plans.calendar(parse("2026-05"), day("2026-05-13"))
    # Weekdays 4–8, 12, 13 May: 7 elapsed; 21 weekdays in May minus 2 holidays: 19.
    assert (cal.total, cal.elapsed, cal.remaining) == (19, 7, 12)


@pytest.fixture
def may(engine):
    with db.writing(engine) as s:
        m1, m2 = f.manager(s, "M1"), f.manager(s, "M2")
        f.manager(s, "H", role="head")  # a head with no plan and no sales is not listed
        a, b, c = f.client(s, "A", m1), f.client(s, "B", m1), f.client(s, "C", m2)
        f.line(s, a, "2026-05-04", 400)
        f.line(s, b, "2026-05-13", 300)
        f.line(s, b, "2026-05-14", 800)  # after the as-of day
        f.line(s, c, "2026-05-12", 50)
        f.line(s, b, "2025-05-13", 300)  # last year, on the same day
        f.line(s, b, "2025-05-14", 999)  # last year, after the same day
        for month, revenue, active, new in (
            ("2026-04", 1000, 2, 1),
            ("2026-05", 1900, 3, 1),
            ("2026-06", 2000, 4, 0),
        ):
            f.plan(s, m1, month, "revenue", revenue)
            f.plan(s, m1, month, "active_clients", active)
            f.plan(s, m1, month, "new_clients", new)
        f.refresh(s)
    return engine


def test_month_scorecard_cut_at_as_of(may):
    with db.reading(may) as s:
        got = table(
            plans.scorecard(s, viewer=SYSTEM, period=parse("2026-05"), as_of=day("2026-05-13"))
        )
    # History (the 12 months before May: May 2025 – April 2026): B bought in May 2025 only; A and
    # C first bought in May 2026. Recent pace (February – April 2026): no sales, no first
    # purchases. So the revenue forecast is this month's pace alone (the run-rate), and nobody is
    # left to activate: M1's portfolio is A and B, both active already.
    assert got == {
        # No recent sales: 700 / 7 × 19 = 1900; gap 1200 over 12 remaining days = 100 a day.
        ("M1", "revenue"): (
            D("1900.00"), D("700.00"), pytest.approx(36.842105), D("1900.00"), 100.0,
            D("1200.00"), D("100.00"), None, D("300.00"),
        ),
        # A and B active, no client of M1 left to buy: forecast 2 (the run-rate said 5.43);
        # 1 more client to activate, no daily rate for a count.
        ("M1", "active_clients"): (
            D("3.00"), Decimal(2), pytest.approx(66.666667), D("2.00"), pytest.approx(66.666667),
            D("1.00"), None, D("1.00"), Decimal(1),
        ),
        # A is new (B first bought a year ago, and was new then); no first purchase in
        # February – April: 1 + 0 / 62 × 12 = 1.
        ("M1", "new_clients"): (
            D("1.00"), Decimal(1), 100.0, D("1.00"), 100.0,
            D("0.00"), None, D("0.00"), Decimal(1),
        ),
        # A manager with no plan: fact and forecast only; 50 / 7 × 19 = 135.71.
        ("M2", "revenue"): (None, D("50.00"), None, D("135.71"), None, None, None, None, Decimal(0)),
        ("M2", "active_clients"): (
            None, Decimal(1), None, D("1.00"), None, None, None, None, Decimal(0),
        ),
        ("M2", "new_clients"): (None, Decimal(1), None, D("1.00"), None, None, None, None, Decimal(0)),
        # The team: 750 in 7 days → 2035.71; gap 1150 / 12 = 95.83.
        ("team", "revenue"): (
            D("1900.00"), D("750.00"), pytest.approx(39.473684), D("2035.71"),
            pytest.approx(107.142857), D("1150.00"), D("95.83"), None, D("300.00"),
        ),
        # All three of the company's clients are active: 3.
        ("team", "active_clients"): (
            D("3.00"), Decimal(3), 100.0, D("3.00"), 100.0,
            D("0.00"), None, D("0.00"), Decimal(1),
        ),
        ("team", "new_clients"): (
            D("1.00"), Decimal(2), 200.0, D("2.00"), 200.0,
            D("-1.00"), None, D("0.00"), Decimal(1),
        ),
    }  # fmt: skip


def test_quarter_and_year_plans(may):
    with db.reading(may) as s:
        q2 = table(plans.scorecard(s, viewer=SYSTEM, period=parse("2026-Q2"), manager_id=None))
        year = table(plans.scorecard(s, viewer=SYSTEM, period=parse("2026")))
    # Revenue and new clients: sums of the months; active clients: the largest month.
    assert [q2[("M1", m)][0] for m in ("revenue", "active_clients", "new_clients")] == [
        D("4900.00"),
        D("4.00"),
        D("2.00"),
    ]
    assert [year[("M1", m)][0] for m in ("revenue", "active_clients", "new_clients")] == [
        D("4900.00"),
        D("4.00"),
        D("2.00"),
    ]
    # No cut: the whole quarter, forecast = fact, no days remain; last year all of 2025-Q2.
    assert q2[("M1", "revenue")] == (
        D("4900.00"), D("1500.00"), pytest.approx(30.612245), D("1500.00"),
        pytest.approx(30.612245), D("3400.00"), None, None, D("1299.00"),
    )  # fmt: skip


def test_january_holidays_leave_no_day_to_extrapolate(engine):
    with db.writing(engine) as s:
        m = f.manager(s, "M1")
        f.line(s, f.client(s, "A", m), "2026-01-05", 300)  # sold on a public holiday
        f.plan(s, m, "2026-01", "revenue", 1500)
        f.refresh(s)
    with db.reading(engine) as s:
        got = table(
            plans.scorecard(
                s, viewer=SYSTEM, period=parse("2026-01"), as_of=day("2026-01-08"), manager_id=m.id
            )
        )
    # 0 of 15 working days elapsed and no sales in October – December: a pace of 0 on the 15
    # days left, so the forecast is the 300 booked (20 % of plan); the gap is spread over all 15.
    assert got[("M1", "revenue")] == (
        D("1500.00"), D("300.00"), 20.0, D("300.00"), 20.0, D("1200.00"), D("80.00"), None,
        Decimal(0),
    )  # fmt: skip
    assert ("team", "revenue") not in got  # one manager chosen: no team row


def test_a_kam_sees_only_own_rows(may):
    with db.reading(may) as s:
        m2 = s.execute(select(Manager.id).where(Manager.code == "M2")).scalar()
        frame = plans.scorecard(
            s, viewer=Viewer("m2", "kam", m2), period=parse("2026-05"), as_of=day("2026-05-13")
        )
        everyone = plans.scorecard(
            s, viewer=access.SYSTEM, period=parse("2026-05"), as_of=day("2026-05-13")
        )
    # Own rows and the team's totals; no other manager's rows.
    assert frame[~is_team(frame)].manager_code.unique().tolist() == ["M2"]
    assert is_team(frame).any()
    team = frame[is_team(frame)].reset_index(drop=True)
    expected = everyone[is_team(everyone)].reset_index(drop=True)
    assert team.equals(expected)
