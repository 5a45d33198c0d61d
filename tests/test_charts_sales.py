"""Client 360's sales chart: competitor notes about the client sit over the months they fall in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from kam.activities.competitor_feed import FEED_COLUMNS
from kam.charts import sales as charts


def _history() -> pd.DataFrame:
    months = [dt.date(2026, m, 1) for m in (9, 10, 11)]
    return pd.DataFrame(
        {
            "month": months,
            "gross": [Decimal(100)] * 3,
            "returns": [Decimal(0)] * 3,
            "net": [Decimal(100), Decimal(80), Decimal(40)],
            "net_last_year": [Decimal(90)] * 3,
        }
    )


def _notes(rows: list[tuple[dt.date, str, str, str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(columns=FEED_COLUMNS)
    for i, (day, competitor, kind, category) in enumerate(rows):
        frame.loc[i] = {c: None for c in FEED_COLUMNS} | {
            "noted_on": day, "competitor": competitor, "kind": kind, "category": category,
        }  # fmt: skip
    return frame


def test_notes_group_by_month_within_the_chart():
    notes = _notes([
        (dt.date(2026, 11, 20), "Metro", "promo", "Dairy"),
        (dt.date(2026, 11, 3), "Lenta", "lost_order", None),
        (dt.date(2026, 9, 30), "Metro", "price", "Meat"),
        (dt.date(2026, 8, 31), "Metro", "promo", "Dairy"),  # before the chart's first month
    ])  # fmt: skip
    got = charts.notes_by_month(_history(), notes)
    assert list(got["month"]) == [pd.Timestamp("2026-09-01"), pd.Timestamp("2026-11-01")]
    assert list(got["notes"]) == [
        "Metro: Price · Meat",
        "Metro: Promotion · Dairy; Lenta: Lost order",
    ]


def test_the_chart_has_a_marker_layer_only_when_there_are_notes():
    history = _history()
    none = charts.notes_by_month(history, _notes([]))
    plain = charts.monthly_with_last_year(history, none).to_dict()
    assert len(plain["layer"]) == 2
    assert "competitor" not in charts.legend_this_and_last_year(with_notes=not none.empty)

    marks = charts.notes_by_month(
        history, _notes([(dt.date(2026, 10, 5), "Metro", "promo", "Dairy")])
    )
    marked = charts.monthly_with_last_year(history, marks).to_dict()
    assert len(marked["layer"]) == 3
    assert "competitor notes" in charts.legend_this_and_last_year(with_notes=not marks.empty)
