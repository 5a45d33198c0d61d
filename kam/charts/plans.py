"""Plan charts: cumulative revenue against the plan line and last year through a period."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kam.charts import formats
from kam.charts.formats import localized
from kam.core.i18n import t

FACT = "#1f5fa8"
PLAN = "#2e7d32"
LAST_YEAR = "#9aa5b1"


def pacing(frame: pd.DataFrame) -> alt.Chart:
    """Cumulative fact, plan and last year per day (from kam.plans.fulfilment.pacing), one line each."""
    series = {"fact": t("Fact"), "plan": t("Plan"), "last_year": t("Last year")}
    long = frame.melt(id_vars=["day"], value_vars=list(series), var_name="key", value_name="value")
    long = long.dropna(subset=["value"])
    long = long.assign(
        day=pd.to_datetime(long["day"]),
        value=long["value"].astype(float),
        series=long["key"].map(series),
    )
    order = list(series.values())
    return localized(
        alt.Chart(long)
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("day:T", title=None, axis=formats.day_axis()),
            y=alt.Y("value:Q", title=t("Revenue, cumulative"), axis=formats.short_axis()),
            color=alt.Color(
                "series:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[FACT, PLAN, LAST_YEAR]),
                legend=alt.Legend(orient="top"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                sort=order,
                scale=alt.Scale(domain=order, range=[[1, 0], [6, 4], [2, 2]]),
                legend=None,
            ),
            strokeWidth=alt.condition(alt.datum.key == "fact", alt.value(3), alt.value(1.5)),
            tooltip=[
                alt.Tooltip("day:T", title=t("Day"), format=formats.DAY),
                alt.Tooltip("series:N", title=t("Series")),
                alt.Tooltip("value:Q", title=t("Revenue, cumulative"), format=formats.WHOLE),
            ],
        )
        .properties(height=300)
    )
