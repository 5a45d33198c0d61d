"""Forecasts to period end (docs/METRICS.md, "Plans"): active clients from each client's history,
never above the portfolio; new clients from the recent rate; revenue blended with the recent pace."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kam import plans
from kam.core import db
from kam.core.access import SYSTEM
from kam.core.periods import parse
from kam.core.team import is_team
from kam.plans import forecast
from tests import factories as f
from tests.factories import D

# June 2026 in RU: 22 weekdays minus 12 June = 21 working days; as of 1 June 1 elapsed, 20 left.
# The 12 months before: June 2025 – May 2026; the 3 recent ones: March 21 + April 22 + May 19 = 62.


@pytest.fixture
def june(engine):
    with db.writing(engine) as s:
        k = f.manager(s, "K")
        x, y, z, w = (f.client(s, code, k) for code in ("X", "Y", "Z", "W"))
        for i in range(12):  # X: every month June 2025 – May 2026
            f.line(s, x, (dt.date(2025, 6, 10) + dt.timedelta(days=31 * i)).isoformat(), 100)
        for month in ("2025-06", "2025-07", "2025-08"):  # Y: 3 months of 12
            f.line(s, y, month + "-10", 100)
        for month in ("2026-03", "2026-04", "2026-05"):  # W: new in March, every month since
            f.line(s, w, month + "-10", 100)
        del z  # Z never bought
        for cl in (x, y, w):  # three of the four bought on 1 June
            f.line(s, cl, "2026-06-01", 100)
        f.plan(s, k, "2026-06", "active_clients", 4)
        f.plan(s, k, "2026-06", "new_clients", 2)
        f.refresh(s)
    return engine


def _rows(engine) -> dict[tuple[str, str], object]:
    with db.reading(engine) as s:
        frame = plans.scorecard(
            s, viewer=SYSTEM, period=parse("2026-06"), as_of=dt.date(2026, 6, 1)
        )
    frame["who"] = [
        "team" if t else c for t, c in zip(is_team(frame), frame.manager_code, strict=True)
    ]
    return {(r.who, r.metric): r for r in frame.itertuples()}


def test_calendar_of_the_fixture():
    cal = plans.calendar(parse("2026-06"), dt.date(2026, 6, 1))
    assert (cal.total, cal.elapsed, cal.remaining) == (21, 1, 20)


def test_active_clients_never_exceed_the_portfolio(june):
    rows = _rows(june)
    for who in ("K", "team"):
        r = rows[(who, "active_clients")]
        # The run-rate would say 3 / 1 × 21 = 63 clients out of 4.
        # p̄ = (12 + 3 + 0 + 3) / (12 + 12 + 12 + 3) = 18/39 (X, Y, Z, W: months bought / of history).
        # Z, the one not yet active: q = (0 + 3 × 18/39) / (12 + 3) = 0.092308;
        # chance in 20/21 of a month: 1 − (1 − 0.092308) ** (20/21) = 0.088112 → 3.09.
        # Range 3.088 ± 1.4 × 1.2816 × √(0.0881 × 0.9119) = 3.088 ± 0.509 = 2.58 … 3.60,
        # clipped below at the fact 3.
        assert r.fact == 3
        assert (r.forecast, r.forecast_low, r.forecast_high) == (D("3.09"), D("3.00"), D("3.60"))
        assert r.forecast_high <= 4
        assert r.still_needed == D("1.00")  # 1 more client to activate for a plan of 4
        assert r.required_daily_rate is None or r.required_daily_rate != r.required_daily_rate


def test_new_clients_from_the_recent_rate(june):
    r = _rows(june)[("K", "new_clients")]
    # W first bought in March: 1 new client in 62 working days × 20 left = 0.32;
    # Poisson(0.3226): P(0) = 0.724 ≥ 10 % → low 0; P(≤ 1) = 0.958 ≥ 90 % → high 1.
    assert (r.fact, r.forecast, r.forecast_low, r.forecast_high) == (
        Decimal(0), D("0.32"), D("0.00"), D("1.00"),
    )  # fmt: skip
    assert r.still_needed == D("2.00")  # 2 clients to win


def test_revenue_blends_the_recent_pace(june):
    r = _rows(june)[("K", "revenue")]
    # Run-rate 300 / 1 × 21 = 6300. No sales in March – May 2025, so no last year to scale: the
    # expected pace is the recent one, (X 300 + W 300) / 62 = 9.677419. Blend w = 1/21:
    # pace = 300/21 + 20/21 × 9.677419 = 14.285714 + 9.216590 = 23.502304;
    # 300 + 20 × 23.502304 = 770.05.
    assert r.forecast == D("770.05")
    assert r.forecast_low >= r.fact
    assert r.forecast_low <= r.forecast <= r.forecast_high


def test_active_clients_formula_by_hand():
    # Portfolio: X (12 of 12 months, active), Y (3 of 12), Z (0 of 12), W (3 of 3); p̄ = 18/39.
    # Y: q = (3 + 3 × 18/39) / 15 = 0.292308 → 1 − 0.707692 ** (20/21) = 0.280560
    # Z: q = 0.092308 → 0.088112; W: q = (3 + 1.384615) / 6 = 0.730769 → 0.713410.
    # 1 + 0.280560 + 0.088112 + 0.713410 = 2.082082.
    got = forecast.active_clients(
        fact=Decimal(1),
        already_active={1},
        portfolio={1: (12, 12), 2: (3, 12), 3: (0, 12), 4: (3, 3)},
        could_sell_to=4,
        months_left=20 / 21,
    )
    assert float(got.value) == pytest.approx(2.082082, abs=1e-5)
    assert Decimal(1) <= got.low <= got.value <= got.high <= Decimal(4)


def test_poisson_quantiles():
    # Poisson(2): P(0) = 0.135, P(≤ 3) = 0.857, P(≤ 4) = 0.947.
    assert forecast.poisson_quantile(2.0, 0.1) == 0
    assert forecast.poisson_quantile(2.0, 0.9) == 4
    assert forecast.poisson_quantile(0.0, 0.9) == 0


def test_a_quarter_counts_each_client_once(june):
    with db.reading(june) as s:
        frame = plans.scorecard(
            s, viewer=SYSTEM, period=parse("2026-Q2"), as_of=dt.date(2026, 6, 1), manager_id=None
        )
    r = frame[(~is_team(frame)) & (frame.metric == "active_clients")].iloc[0]
    # Q2: April 22 + May 19 + June 21 = 62 working days, 42 elapsed, 20 left = 20 / (62 / 3) =
    # 0.967742 of a month. X, Y and W bought in the quarter: 3 (run-rate 3 / 42 × 62 = 4.43 > 4).
    # History April 2025 – March 2026: X 10 of 10 months, Y 3 of 10, Z 0 of 12, W 1 of 1;
    # p̄ = 14 / 33; Z: q = (3 × 14/33) / 15 = 0.084848; 1 − 0.915152 ** 0.967742 = 0.082227.
    # Range 3.082 ± 1.4 × 1.2816 × √(0.0822 × 0.9178) = 2.59 … 3.58, clipped below at 3.
    assert r.fact == 3
    assert (r.forecast, r.forecast_low, r.forecast_high) == (D("3.08"), D("3.00"), D("3.58"))


def test_plan_side_colours_only_a_range_on_one_side():
    assert forecast.plan_side(D("10"), D("11"), D("14")) == 1
    assert forecast.plan_side(D("10"), D("6"), D("9.99")) == -1
    assert forecast.plan_side(D("10"), D("8"), D("12")) == 0  # the plan inside the range
    assert forecast.plan_side(None, D("8"), D("12")) == 0  # no plan
    assert forecast.plan_side(float("nan"), D("8"), D("12")) == 0


def test_forecast_range_text():
    from kam.core import formatting as fmt

    assert fmt.forecast_range(315.2, 300, 330.4) == (
        f"≈\u00a0{fmt.number(315)} ({fmt.number(300)}–{fmt.number(330)})"
    )
    assert fmt.forecast_range(3, 3, 3) == f"≈\u00a0{fmt.number(3)}"  # no range to show
    assert fmt.forecast_range(None, None, None) == fmt.DASH
