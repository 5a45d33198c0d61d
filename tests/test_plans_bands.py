"""Forecast ranges learned from the back-test (docs/METRICS.md, "Forecast ranges") and the
back-test itself (``python -m kam backtest``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import select

from kam import plans
from kam.core import audit, db
from kam.core.access import SYSTEM
from kam.core.models import AuditLog, ForecastBand
from kam.core.periods import parse
from kam.plans import bands, forecast, replay
from tests import factories as f
from tests.factories import D
from tests.test_plans_forecast import _rows, june  # noqa: F401 - the June fixture


def test_bounds_are_order_statistics():
    # n = 5: k = max(1, ⌊6 × 0.1⌋) = 1 → the smallest and the largest.
    assert bands.bounds([1.2, 0.8, 1.0, 0.9, 1.1]) == bands.Band(0.8, 1.2)
    # n = 20: k = ⌊21 × 0.1⌋ = 2 → the 2nd smallest (2) and the 2nd largest (19).
    assert bands.bounds([float(i) for i in range(1, 21)]) == bands.Band(2.0, 19.0)
    assert bands.bounds([1.0, 1.1, 0.9]) is None  # too few months to learn from


def test_errors_are_ratios_and_for_new_clients_poisson_units():
    assert bands.error("revenue", 120.0, 100.0) == pytest.approx(1.2)
    assert bands.error("active_clients", 5.0, 0.0) is None
    # (9 − 4) / √4 = 2.5; a forecast of 0 counts as 1: (2 − 0) / 1 = 2.
    assert bands.error("new_clients", 9.0, 4.0) == pytest.approx(2.5)
    assert bands.error("new_clients", 2.0, 0.0) == pytest.approx(2.0)
    table = {("new_clients", "team"): {1: bands.Band(-1.0, 2.0)}}
    # Towards the end a new-clients band narrows to 0, not 1: day 11 of 21 is halfway.
    got = bands.at(table, "new_clients", "team", 11, 21, 1)
    assert (got.low, got.high) == pytest.approx((-0.5, 1.0))


def test_band_between_learned_days_and_towards_the_end():
    table = {("revenue", "team"): {1: bands.Band(0.8, 1.2), 5: bands.Band(0.9, 1.1)}}
    # A month of 21 working days: day 3 is halfway from day 1 to day 5.
    got = bands.at(table, "revenue", "team", 3, 21, 1)
    assert (got.low, got.high) == pytest.approx((0.85, 1.15))
    # Day 13 is halfway from day 5 to the month's end (21), where the band is (1, 1).
    got = bands.at(table, "revenue", "team", 13, 21, 1)
    assert (got.low, got.high) == pytest.approx((0.95, 1.05))
    assert bands.at(table, "revenue", "team", 0, 21, 1) == bands.Band(0.8, 1.2)
    # A quarter of 63 working days, 9 elapsed: the same share of a 21-day month is day 3.
    got = bands.at(table, "revenue", "team", 9, 63, 3)
    assert (got.low, got.high) == pytest.approx((0.85, 1.15))
    assert bands.at(table, "revenue", "manager", 3, 21, 1) is None  # nothing learned


def test_range_of_keeps_fact_cap_and_value():
    band = bands.Band(0.8, 1.2)
    assert bands.range_of("revenue", D(1000), D(400), None, band) == (D(800), D(1200))
    assert bands.range_of("revenue", D(1000), D(900), None, band) == (D(900), D(1200))
    # Counts widen to whole clients: 10.4 × 0.9 = 9.36 → 9; 10.4 × 1.1 = 11.44 → 12, cap 11.
    got = bands.range_of("active_clients", D("10.4"), D(5), D(11), bands.Band(0.9, 1.1))
    assert got == (D(9), D(11))
    # New clients move in units of √forecast: 4 − 1 × 2 = 2 … 4 + 2 × 2 = 8; a forecast under 1
    # moves in whole units: 0.5 − 1 → 0 (the fact), 0.5 + 1.2 = 1.7 → 2.
    got = bands.range_of("new_clients", D(4), D(0), None, bands.Band(-1.0, 2.0))
    assert got == (D(2), D(8))
    got = bands.range_of("new_clients", D("0.5"), D(0), None, bands.Band(-1.0, 1.2))
    assert got == (D(0), D(2))
    # A band wholly above 1 still holds the value itself.
    assert bands.range_of("revenue", D(100), D(0), None, bands.Band(1.05, 1.2)) == (D(100), D(120))


def test_expected_pace_scales_last_year_by_the_growth():
    # 15 months of 20 working days: base (months 1–3) 100 each → 5 a day; the same month a
    # year before (month 4) 240 → 12 a day; the last 3 months 180 each → 9 a day.
    months = [D(100)] * 3 + [D(240)] + [D(150)] * 8 + [D(180)] * 3
    days = [20] * 15
    assert forecast.expected_pace(months, days, 1) == D("21.6")  # 12 × 9 / 5
    # Without the base year the recent pace stands: 540 / 60 = 9.
    assert forecast.expected_pace([D(0)] * 3 + months[3:], days, 1) == D(9)
    assert forecast.expected_pace([D(0)] * 15, days, 1) is None


def test_stored_bands_give_the_scorecard_its_range(june):  # noqa: F811
    with db.writing(june) as s:
        learned = {("revenue", "manager", 1): bands.Band(0.5, 2.0)}
        bands.store(s, learned, {("revenue", "manager", 1): 12}, dt.date(2026, 6, 1))
    r = _rows(june)[("K", "revenue")]
    # 770.046083 (test_plans_forecast) × 0.5 = 385.02, × 2 = 1540.09; the team has no band.
    assert (r.forecast, r.forecast_low, r.forecast_high) == (
        D("770.05"), D("385.02"), D("1540.09")
    )  # fmt: skip


@pytest.fixture
def steady(engine):
    """K's one client X buys 100 on the first working day of each month, Nov 2025 – Nov 2026."""
    with db.writing(engine) as s:
        k = f.manager(s, "K")
        x = f.client(s, "X", k)
        for i in range(13):
            month = parse(f"{2025 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}")
            f.line(s, x, replay.nth_working_day(month, 1).isoformat(), 100)
        f.refresh(s)
    return engine


def test_replay_of_a_steady_client(steady):
    with db.reading(steady) as s:
        frame = replay.replay(s, today=dt.date(2026, 12, 1), days=replay.LEARNED_DAYS)
    assert sorted(frame["month"].unique()) == ["2025-12", *[f"2026-{m:02d}" for m in range(1, 12)]]
    # January 2026 has 15 working days: no replay as of days 18 and 20.
    assert set(frame[frame["month"] == "2026-01"]["day"]) == {1, 3, 5, 8, 10, 12, 15}
    row = frame[(frame["month"] == "2026-11") & (frame["day"] == 1) & (frame["who"] == "K")]
    got = {r.metric: r for r in row.itertuples()}
    # November 2026: 20 working days; on day 1 the fact is 100, the month ends at 100.
    assert got["revenue"].run_rate == D(2000)
    assert got["revenue"].actual == D(100)
    # Expected pace: no August – October 2025 to scale last year by, so the recent one,
    # 300 / 65 = 4.615385; w = 1/20: 100 + 19 × (5 + 0.95 × 4.615385) = 278.31.
    assert round(got["revenue"].forecast, 2) == D("278.31")
    # Active clients: the run-rate says 20 of a portfolio of 1; the forecast never exceeds 1.
    assert got["active_clients"].run_rate == D(20)
    assert got["active_clients"].forecast == D(1) == got["active_clients"].cap


def test_refresh_stores_bands(steady):
    with db.writing(steady) as s:
        replay.refresh(s, today=dt.date(2026, 12, 1))
    with db.reading(steady) as s:
        stored = {
            (m, lv, d): (lo, hi, n)
            for m, lv, d, lo, hi, n in s.execute(
                select(ForecastBand.metric, ForecastBand.level, ForecastBand.day,
                       ForecastBand.low, ForecastBand.high, ForecastBand.samples)
            )
        }  # fmt: skip
    # Active clients: X is active on day 1 of every month and stays 1: ratio 1 in 12 months.
    assert stored[("active_clients", "manager", 1)] == (1.0, 1.0, 12)


def test_out_of_sample_range_and_summary():
    # Five months of one metric, forecast 100 each, actuals 80, 90, 100, 110, 120 (ratios
    # 0.8 … 1.2). A month's range comes from the other four (just enough to learn from):
    # k = max(1, ⌊5 × 0.1⌋) = 1, so the smallest and largest of their ratios.
    frame = pd.DataFrame(
        [(f"2026-0{i + 1}", 1, "team", "(team)", "revenue", D(10), D(a), D(200), D(100), None)
         for i, a in enumerate((80, 90, 100, 110, 120))],
        columns=replay.REPLAY_COLUMNS,
    )  # fmt: skip
    scored = replay.out_of_sample(frame)
    # Month 1 (80): the others' ratios 0.9 … 1.2 → 90 … 120: outside. Month 3 (100): 80 … 120.
    assert (scored["low"].tolist(), scored["high"].tolist()) == (
        [90, 80, 80, 80, 80], [120, 120, 120, 120, 110]
    )  # fmt: skip
    table = replay.summary(scored)
    row = table[(table["day"] == "all")].iloc[0]
    # Run-rate 200 against 80 … 120: errors 150, 122.2, 100, 81.8, 66.7 → mean 104.1.
    assert row["mape_run_rate"] == pytest.approx(104.14, abs=0.01)
    # Forecast 100: errors 25, 11.1, 0, 9.1, 16.7 → 12.38; 3 of 5 inside the range.
    assert row["mape_method"] == pytest.approx(12.38, abs=0.01)
    assert row["in_range_pct"] == pytest.approx(60.0)


def test_backtest_command_prints_every_metric_and_level(steady, capsys, monkeypatch):
    from kam.commands import backtest

    url = steady.url.render_as_string(hide_password=False)
    args = type("Args", (), {"as_of": "2026-12-01", "database": url})()
    assert backtest.run(args) == 0
    out = capsys.readouterr().out
    with db.reading(steady) as s:
        audited = s.execute(
            select(AuditLog.entity, AuditLog.action).where(AuditLog.entity == "forecast_band")
        ).all()
    assert audited == [("forecast_band", "learn")]
    assert "Back-test of the last 12 whole months before 2026-12-01" in out
    for metric in ("revenue", "active_clients", "new_clients"):
        assert metric in out
    bad = type("Args", (), {"as_of": "1.12.2026", "database": url})()
    assert backtest.run(bad) == 2
    assert "expected YYYY-MM-DD" in capsys.readouterr().out


def test_no_bands_keep_the_model_range(june):  # noqa: F811
    with db.reading(june) as s:
        assert bands.load(s) == {}
        card = plans.scorecard(s, viewer=SYSTEM, period=parse("2026-06"), as_of=dt.date(2026, 6, 1))
    assert (card["forecast_low"] <= card["forecast"]).all()
    assert (card["forecast"] <= card["forecast_high"]).all()
    assert Decimal(0) <= card["forecast_low"].min()


def test_a_sales_import_learns_the_bands(engine, tmp_path, monkeypatch):
    from kam import importer

    monkeypatch.setenv("KAM_TODAY", "2026-12-01")
    with db.writing(engine) as s:
        k = f.manager(s, "K")
        f.client(s, "X", k)
    lines = ["doc_no,doc_date,client_code,amount"]
    for i in range(13):  # X buys 100 on the first working day of Nov 2025 – Nov 2026
        month = parse(f"{2025 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}")
        lines.append(f"D{i},{replay.nth_working_day(month, 1).isoformat()},X,100")
    path = tmp_path / "sales.csv"
    path.write_text("\n".join(lines) + "\n")
    [summary] = importer.load_files(
        engine, importer.plan_files([path], None), viewer=SYSTEM, actor=audit.SYSTEM
    )
    assert summary.loaded
    with db.reading(engine) as s:
        band = s.execute(
            select(ForecastBand.low, ForecastBand.high, ForecastBand.samples).where(
                ForecastBand.metric == "active_clients",
                ForecastBand.level == "manager",
                ForecastBand.day == 1,
            )
        ).one()
    # X is active on day 1 of each of the 12 months replayed, and the month ends at 1: ratio 1.
    assert tuple(band) == (1.0, 1.0, 12)
