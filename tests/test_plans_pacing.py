"""Pacing, client plans, the clients behind a manager and the period helpers, on the hand-made
May 2026 of tests/test_plans.py (public holidays on 1 and 11 May in RU)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from kam import plans
from kam.core import db
from kam.core.access import SYSTEM, Viewer
from kam.core.models import Manager
from kam.core.periods import parse
from tests import factories as f
from tests.factories import D
from tests.test_plans import may  # noqa: F401 - the fixture

AS_OF = dt.date(2026, 5, 13)


def ids(s) -> dict[str, int]:
    return dict(s.execute(select(Manager.code, Manager.id)).all())


def test_as_of_and_recent_periods():
    today = dt.date(2026, 11, 22)
    assert plans.as_of_for(parse("2026-11"), today) == today
    assert plans.as_of_for(parse("2026-05"), today) == dt.date(2026, 5, 31)
    assert plans.as_of_for(parse("2026-Q4"), today) == today
    assert [p.code for p in plans.recent_periods("quarter", today, 3)] == [
        "2026-Q4",
        "2026-Q3",
        "2026-Q2",
    ]
    assert [p.code for p in plans.recent_periods("month", dt.date(2026, 1, 15), 2)] == [
        "2026-01",
        "2025-12",
    ]
    assert [p.code for p in plans.recent_periods("year", today, 2)] == ["2026", "2025"]
    with pytest.raises(ValueError, match="unknown period kind"):
        plans.recent_periods("week", today, 1)


def test_team_pacing_through_may(may):  # noqa: F811
    with db.reading(may) as s:
        pace = plans.pacing(s, viewer=SYSTEM, period=parse("2026-05"), as_of=AS_OF)
    assert list(pace.columns) == plans.PACING_COLUMNS
    assert len(pace) == 31
    got = {r.day.day: (r.fact, r.plan, r.last_year) for r in pace.itertuples()}
    # Fact: A 400 on 4 May, C 50 on 12 May, B 300 on 13 May; nothing after the as-of day.
    # Plan: 1900 over 19 working days = 100 a working day (1 and 11 May are holidays).
    # Last year: B 300 on 13 May 2025 and 999 on 14 May 2025.
    assert got[1] == (D("0.00"), D("0.00"), D("0.00"))
    assert got[4] == (D("400.00"), D("100.00"), D("0.00"))
    assert got[11] == (D("400.00"), D("500.00"), D("0.00"))
    assert got[12] == (D("450.00"), D("600.00"), D("0.00"))
    assert got[13] == (D("750.00"), D("700.00"), D("300.00"))
    assert got[14] == (None, D("800.00"), D("1299.00"))
    assert got[31] == (None, D("1900.00"), D("1299.00"))


def test_pacing_of_one_manager_and_of_a_kam(may):  # noqa: F811
    with db.reading(may) as s:
        m = ids(s)
        m2 = plans.pacing(
            s, viewer=SYSTEM, period=parse("2026-05"), as_of=AS_OF, manager_id=m["M2"]
        )
        kam = plans.pacing(
            s, viewer=Viewer("m1", "kam", m["M1"]), period=parse("2026-05"), as_of=AS_OF
        )
    # M2 has no plan: no plan line; C 50 on 12 May.
    assert m2["plan"].isna().all()
    assert m2.set_index("day").loc[AS_OF, "fact"] == D("50.00")
    # A KAM sees only his or her own sales: A 400 + B 300.
    assert kam.set_index("day").loc[AS_OF, ["fact", "plan"]].tolist() == [D("700.00"), D("700.00")]


def test_the_last_day_takes_last_years_whole_february(engine):
    # February 2025 has 28 days, February 2024 has 29: its last day counts the 29th.
    with db.writing(engine) as s:
        a = f.client(s, "A", f.manager(s, "M1"))
        f.line(s, a, "2024-02-28", 10)
        f.line(s, a, "2024-02-29", 5)
        f.refresh(s)
    with db.reading(engine) as s:
        pace = plans.pacing(s, viewer=SYSTEM, period=parse("2025-02"), as_of=dt.date(2025, 3, 1))
    assert pace["last_year"].tolist()[-2:] == [D("0.00"), D("15.00")]
    assert pace["plan"].isna().all()


@pytest.fixture
def may_plans(may):  # noqa: F811
    """May plus plans for clients A (May 500, June 200) and B (May 1000), and 70 of A's
    sales credited to M2 on 6 May."""
    with db.writing(may) as s:
        m = ids(s)
        m1 = s.get(Manager, m["M1"])
        from kam.core.models import Client

        a = s.execute(select(Client).where(Client.code == "A")).scalar_one()
        b = s.execute(select(Client).where(Client.code == "B")).scalar_one()
        f.plan(s, m1, "2026-05", "revenue", 500, cl=a)
        f.plan(s, m1, "2026-06", "revenue", 200, cl=a)
        f.plan(s, m1, "2026-05", "revenue", 1000, cl=b)
        f.line(s, a, "2026-05-06", 70, mgr=s.get(Manager, m["M2"]))
        f.refresh(s)
    return may


def test_client_plans_against_the_fact(may_plans):
    with db.reading(may_plans) as s:
        month = plans.client_plans(s, viewer=SYSTEM, period=parse("2026-05"), as_of=AS_OF)
        quarter = plans.client_plans(s, viewer=SYSTEM, period=parse("2026-Q2"))
        m2 = plans.client_plans(s, viewer=SYSTEM, period=parse("2026-05"), manager_id=ids(s)["M2"])
    rows = [
        (r.client_code, r.manager_code, r.plan, r.fact, r.fulfilment_pct, r.gap)
        for r in month.itertuples()
    ]
    # Largest plan first; A's fact is its sales credited to M1 only (not M2's 70).
    assert rows == [
        ("B", "M1", D("1000.00"), D("300.00"), 30.0, D("700.00")),
        ("A", "M1", D("500.00"), D("400.00"), 80.0, D("100.00")),
    ]
    # The quarter sums May and June plans; B's 800 of 14 May counts without a cut.
    q = {r.client_code: (r.plan, r.fact, r.gap) for r in quarter.itertuples()}
    assert q == {
        "B": (D("1000.00"), D("1100.00"), D("-100.00")),
        "A": (D("700.00"), D("400.00"), D("300.00")),
    }
    assert m2.empty


def test_clients_behind_a_managers_figures(may_plans):
    with db.reading(may_plans) as s:
        m = ids(s)
        m1 = plans.clients_behind(
            s, viewer=SYSTEM, period=parse("2026-05"), as_of=AS_OF, manager_id=m["M1"]
        )
        m2 = plans.clients_behind(
            s, viewer=SYSTEM, period=parse("2026-05"), as_of=AS_OF, manager_id=m["M2"]
        )
    assert list(m1.columns) == plans.CLIENTS_BEHIND_COLUMNS
    got = [(r.client_code, r.revenue, r.active, r.new, r.plan) for r in m1.itertuples()]
    # A bought first on 4 May (new); B first bought in 2025.
    assert got == [
        ("A", D("400.00"), True, True, D("500.00")),
        ("B", D("300.00"), True, False, D("1000.00")),
    ]
    assert m1["fulfilment_pct"].tolist() == [80.0, 30.0]
    # M2: A's 70 credited to M2 (A is new for M1, not M2) and C, new on 12 May.
    got = [(r.client_code, r.revenue, r.active, r.new) for r in m2.itertuples()]
    assert got == [("A", D("70.00"), True, False), ("C", D("50.00"), True, True)]
    assert m2["plan"].isna().all()


def test_fulfilment_rows_add_signed_comparisons(may):  # noqa: F811
    with db.reading(may) as s:
        card = plans.scorecard(s, viewer=SYSTEM, period=parse("2026-05"), as_of=AS_OF)
    rows = plans.fulfilment_rows(card, "revenue").fillna({"manager_code": "the team"})
    rows = rows.set_index("manager_code")
    # M1: forecast 1900 = plan → 0 %; 700 against 300 last year → +133.3 %.
    assert rows.loc["M1", "forecast_vs_plan_pct"] == pytest.approx(0.0)
    assert rows.loc["M1", "vs_last_year_pct"] == pytest.approx(700 / 300 * 100 - 100)
    # M2: no plan, nothing last year: both empty. The team: 107.14 % → +7.14 %.
    assert rows.loc["M2", ["forecast_vs_plan_pct", "vs_last_year_pct"]].isna().all()
    assert rows.loc["the team", "forecast_vs_plan_pct"] == pytest.approx(7.142857)
