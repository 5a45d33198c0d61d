"""Competitor charts: notes per competitor per month."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kam.core.i18n import t


def notes_per_month(frame: pd.DataFrame) -> alt.Chart:
    """Notes per month stacked by competitor (from competitor_feed.notes_per_month)."""
    data = frame.assign(month=pd.to_datetime(frame["month"]))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0)),
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
