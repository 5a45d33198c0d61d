"""One 12-month window (kam.core.periods.last_12_months) for the category figures too: whole
months from the rollup, the cut months' days from the lines (kam.sales.spans)."""

from __future__ import annotations

import datetime as dt

import pytest

from kam import sales
from kam.core import db
from kam.core.access import SYSTEM
from kam.core.periods import Period, last_12_months
from kam.portfolio import clients
from kam.sales import spans
from tests import factories as f
from tests.factories import D

TODAY = dt.date(2026, 12, 1)


def test_whole_months_of_a_span():
    # 2 Dec 2025 – 1 Dec 2026: January to November 2026 whole; 2–31 Dec 2025 and 1 Dec 2026 cut.
    assert spans.whole_months(dt.date(2025, 12, 2), TODAY) == (
        dt.date(2026, 1, 1), dt.date(2026, 11, 1)
    )  # fmt: skip
    assert spans.whole_months(dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == (
        dt.date(2026, 3, 1), dt.date(2026, 3, 1)
    )  # fmt: skip
    assert spans.whole_months(dt.date(2026, 3, 2), dt.date(2026, 3, 31)) is None


@pytest.fixture
def year_shop(engine):
    with db.writing(engine) as s:
        k = f.manager(s, "K")
        x = f.client(s, "X", k, segment="cafe")
        y = f.client(s, "Y", k, segment="cafe")
        z = f.client(s, "Z", k, segment="cafe")
        dairy, bakery, tea = (
            f.product(s, "D1", "Dairy"),
            f.product(s, "B1", "Bakery"),
            f.product(s, "T1", "Tea"),
        )
        f.line(s, x, "2025-12-01", 1000, prod=tea)  # a year and a day ago: outside
        f.line(s, x, "2025-12-02", 100, prod=dairy)  # the window's first day
        f.line(s, x, "2026-06-10", 200, prod=bakery)
        f.line(s, x, "2026-06-11", -20, prod=bakery, reason="damaged")
        f.line(s, x, "2026-12-01", 50, prod=dairy)  # today
        for cl in (y, z):  # the rest of the segment buys tea: X did, but only outside
            f.line(s, cl, "2026-12-01", 10, prod=tea)
        f.refresh(s)
    return engine, x.id


def test_category_mix_and_returns_over_the_last_12_months(year_shop):
    engine, x = year_shop
    year = Period(*last_12_months(TODAY), "year")
    assert (year.start, year.end) == (dt.date(2025, 12, 2), TODAY)
    with db.reading(engine) as s:
        mix = sales.category_mix(s, viewer=SYSTEM, client_id=x, period=year)
        returns = sales.returns_by_reason(s, viewer=SYSTEM, period=year, client_id=x)
        gaps = clients.assortment_gaps(s, viewer=SYSTEM, client_id=x, as_of=TODAY)
    # Dairy 100 + 50 = 150, Bakery 200 − 20 = 180; the tea of 1 Dec 2025 is outside.
    assert list(zip(mix.category, mix.gross, mix.returns, mix.net, strict=True)) == [
        ("Bakery", D("200.00"), D("-20.00"), D("180.00")),
        ("Dairy", D("150.00"), D("0.00"), D("150.00")),
    ]
    # Gross 100 + 200 + 50 = 350; returned 20 → 5.714 %.
    assert [(r.reason, r.amount, r.lines) for r in returns.itertuples()] == [
        ("damaged", D("-20.00"), 1)
    ]
    assert returns.share_of_gross_pct.iloc[0] == pytest.approx(20 / 350 * 100)
    # Tea: 2 of the segment's 3 buying clients (Y, Z) bought it in the window, X did not.
    assert [(g.category, round(g.segment_share_pct, 2)) for g in gaps.itertuples()] == [
        ("Tea", 66.67)
    ]
