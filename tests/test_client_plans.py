"""Client plans over a month, a quarter and a year (issue 13): one row per client, plan = its
monthly plans summed, fact = its revenue credited to the managers holding them, cut at the
as-of day; a year's fact is never below its quarter's, and % of plan = fact / plan × 100."""

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

DEC_10 = dt.date(2026, 12, 10)


@pytest.fixture
def year(engine):
    """Client R moved from K1 to K2 in July 2026; no plan for it in May and November.

    R's plans: K1 1000 in January to April and June (5000); K2 2000 in July to October and
    3000 in December (11000). Client S: K1 300 in December. K3 holds no plan for R.
    """
    with db.writing(engine) as s:
        k1, k2, k3 = f.manager(s, "K1"), f.manager(s, "K2"), f.manager(s, "K3")
        r = f.client(s, "R", k2, name="Rassvet Cafe 1")
        c_s = f.client(s, "S", k1)
        for month in ("01", "02", "03", "04", "06"):
            f.plan(s, k1, f"2026-{month}", "revenue", 1000, r)
        for month in ("07", "08", "09", "10"):
            f.plan(s, k2, f"2026-{month}", "revenue", 2000, r)
        f.plan(s, k2, "2026-12", "revenue", 3000, r)
        f.plan(s, k1, "2026-12", "revenue", 300, c_s)
        f.line(s, r, "2026-02-10", 3000, mgr=k1)
        f.line(s, r, "2026-05-15", 800, mgr=k1)  # a month with no plan
        f.line(s, r, "2026-10-05", -100, mgr=k1)  # a return on K1 after the move
        f.line(s, r, "2026-07-20", 4000)
        f.line(s, r, "2026-10-12", 1500)
        f.line(s, r, "2026-11-16", 700)  # a month with no plan
        f.line(s, r, "2026-12-03", 600)
        f.line(s, r, "2026-12-20", 900)  # after 10 December
        f.line(s, r, "2026-12-02", 50, mgr=k3)  # K3 holds no plan for R: never counted
        f.line(s, c_s, "2026-12-01", 100)
        f.refresh(s)
    return engine


def rows(s, code: str, as_of: dt.date, **kw) -> dict[str, tuple]:
    got = plans.client_plans(
        s, viewer=kw.pop("viewer", SYSTEM), period=parse(code), as_of=as_of, **kw
    )
    assert list(got.columns) == plans.CLIENT_PLAN_COLUMNS
    assert got["client_id"].is_unique
    for r in got.itertuples():  # % of plan from the very two figures shown
        assert r.fulfilment_pct == pytest.approx(float(r.fact) / float(r.plan) * 100)
        assert r.gap == r.plan - r.fact
    return {
        r.client_code: (r.manager_code, r.plan, r.fact, r.fulfilment_pct) for r in got.itertuples()
    }


def test_one_row_per_client_in_a_year_a_quarter_and_a_month(year):
    with db.reading(year) as s:
        got = {code: rows(s, code, DEC_10) for code in ("2026", "2026-Q4", "2026-12", "2026-11")}
    # Year: plan 5000 + 11000; fact K1 3000 + 800 − 100, K2 4000 + 1500 + 700 + 600 = 10500.
    assert got["2026"] == {
        "R": ("K1, K2", D("16000.00"), D("10500.00"), pytest.approx(65.625)),
        "S": ("K1", D("300.00"), D("100.00"), pytest.approx(100 / 3)),
    }
    # Q4: only K2 holds R's plans (October 2000, December 3000): 1500 + 700 + 600.
    assert got["2026-Q4"]["R"] == ("K2", D("5000.00"), D("2800.00"), pytest.approx(56.0))
    assert got["2026-12"]["R"] == ("K2", D("3000.00"), D("600.00"), pytest.approx(20.0))
    assert got["2026-11"] == {}  # no plan in November: no client plan row
    # Largest plan first.
    with db.reading(year) as s:
        order = plans.client_plans(s, viewer=SYSTEM, period=parse("2026"), as_of=DEC_10)
    assert order["client_code"].tolist() == ["R", "S"]


@pytest.mark.parametrize(
    ("as_of", "month", "facts"),
    [
        # (year, quarter, month) facts of R by hand
        (dt.date(2026, 10, 31), "2026-10", ("9200.00", "1500.00", "1500.00")),
        (dt.date(2026, 11, 20), "2026-10", ("9900.00", "2200.00", "1500.00")),
        (DEC_10, "2026-12", ("10500.00", "2800.00", "600.00")),
    ],
)
def test_the_year_never_below_the_quarter_nor_the_quarter_below_the_month(
    year, as_of, month, facts
):
    with db.reading(year) as s:
        y, q, m = (rows(s, code, as_of)["R"][2] for code in ("2026", "2026-Q4", month))
    assert (y, q, m) == tuple(D(v) for v in facts)
    assert y >= q >= m


def test_a_kam_and_one_manager_see_their_own_plans_and_lines(year):
    with db.reading(year) as s:
        m = dict(s.execute(select(Manager.code, Manager.id)).all())
        k2 = rows(s, "2026", DEC_10, viewer=Viewer("k2", "kam", m["K2"]))
        k1 = rows(s, "2026", DEC_10, manager_id=m["K1"])
        behind = plans.clients_behind(
            s, viewer=SYSTEM, period=parse("2026"), as_of=DEC_10, manager_id=m["K2"]
        )
    # K2: its own July–December plans against its own lines, 4000 + 1500 + 700 + 600.
    assert k2 == {"R": ("K2", D("11000.00"), D("6800.00"), pytest.approx(6800 / 110))}
    # K1 chosen by the head: R's January–June plans against K1's lines, 3000 + 800 − 100.
    assert k1 == {
        "R": ("K1", D("5000.00"), D("3700.00"), pytest.approx(74.0)),
        "S": ("K1", D("300.00"), D("100.00"), pytest.approx(100 / 3)),
    }
    got = behind.set_index("client_code").loc["R", ["revenue", "plan", "fulfilment_pct"]]
    assert got.tolist() == [D("6800.00"), D("11000.00"), pytest.approx(6800 / 110)]
