"""Charts speak the UI language: axes drawn by Vega (vl-convert) read "200 млн" and "1 дек."."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest
import vl_convert

from kam.charts import formats, plans
from kam.core.i18n import set_language


@pytest.fixture
def russian():
    set_language("ru")
    yield
    set_language("en")


def labels(chart: alt.TopLevelMixin) -> set[str]:
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    return {re.sub(r"\s", " ", text) for text in re.findall(r">([^<]+)</text>", svg)}


def days_and_millions() -> pd.DataFrame:
    return pd.DataFrame(
        {"day": pd.date_range("2026-11-29", periods=5), "value": [0, 1e8, 2e8, 3e8, 1.5e9]}
    )


def test_russian_axes(russian):
    chart = (
        alt.Chart(days_and_millions())
        .mark_line()
        .encode(
            x=alt.X("day:T", axis=formats.day_axis()),
            y=alt.Y("value:Q", axis=formats.short_axis()),
        )
    )
    shown = labels(formats.localized(chart))
    assert {"1 дек.", "30 нояб.", "200 млн", "1 млрд", "1,4 млрд"} <= shown
    assert not any("M" in text or "G" in text for text in shown)  # no SI prefixes


def test_english_axes():
    chart = (
        alt.Chart(days_and_millions())
        .mark_line()
        .encode(
            x=alt.X("day:T", axis=formats.day_axis()),
            y=alt.Y("value:Q", axis=formats.short_axis()),
        )
    )
    assert {"1 Dec", "30 Nov", "200m", "1bn", "1.4bn"} <= labels(formats.localized(chart))


def test_a_month_is_named_on_its_own_and_numbers_grouped_the_russian_way(russian):
    months = pd.DataFrame(
        {"month": pd.to_datetime(["2026-04-01", "2026-05-01"]), "n": [1500, 2500]}
    )
    chart = (
        alt.Chart(months)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", axis=formats.month_axis()),
            y=alt.Y("n:Q", axis=alt.Axis(format=formats.WHOLE, values=[1500, 2500])),
        )
    )
    assert {"апр. 26", "май 26", "1 500", "2 500"} <= labels(formats.localized(chart))


def test_a_chart_keeps_its_own_config_and_gets_the_locale(russian):
    frame = pd.DataFrame({"day": ["2026-12-01"], "fact": [1.0], "plan": [2.0], "last_year": [3.0]})
    spec = plans.pacing(frame).configure_view(stroke=None).to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["time"]["shortMonths"][11] == "дек."
    assert spec["config"]["view"]["stroke"] is None
