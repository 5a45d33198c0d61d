"""Competitor charts: notes per competitor per month."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kam.charts import formats
from kam.charts.formats import localized
from kam.core.i18n import t


def notes_per_month(frame: pd.DataFrame) -> alt.Chart:
    """Notes per month stacked by competitor (from competitor_feed.notes_per_month)."""
    data = frame.assign(month=pd.to_datetime(frame["month"]))
    return localized(
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", title=None, axis=formats.month_axis()),
            y=alt.Y("notes:Q", title=t("Notes"), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "competitor:N", title=None, legend=alt.Legend(orient="bottom", columns=3)
            ),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title=t("Month")),
                alt.Tooltip("competitor:N", title=t("Competitor")),
                alt.Tooltip("notes:Q", title=t("Notes")),
            ],
        )
        .properties(height=260)
    )
