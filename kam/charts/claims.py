"""Claims and returns charts: the Pareto of claims and the returns rate per category."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kam.charts import formats
from kam.charts.formats import localized
from kam.core.i18n import t
from kam.core.labels import claim_kind_label

BARS = "#1f5fa8"
CUMULATIVE = "#b42318"
RETURNS = "#b42318"


def pareto(frame: pd.DataFrame, *, by: str, measure: str) -> alt.LayerChart:
    """Bars of ``measure`` per key, largest first, and the cumulative share as a line on a
    0–100 % axis (from claim_figures.claims_pareto)."""
    data = frame.assign(
        key=frame["key"].map(claim_kind_label) if by == "kind" else frame["key"],
        amount=frame["amount"].astype(float),
        cumulative=frame["cumulative_pct"].astype(float) / 100,
    )
    order = list(data["key"])
    value = "amount" if measure == "amount" else "claims"
    title = t("Amount claimed") if measure == "amount" else t("Claims")
    base = alt.Chart(data).encode(
        x=alt.X(
            "key:N",
            sort=order,
            title=None,
            axis=alt.Axis(labelAngle=-35, labelLimit=160, labelOverlap=False),
        )
    )
    bars = base.mark_bar(color=BARS, opacity=0.85).encode(
        y=alt.Y(f"{value}:Q", title=title, axis=formats.short_axis()),
        tooltip=[
            alt.Tooltip("key:N", title=t("Kind") if by == "kind" else t("Root cause")),
            alt.Tooltip("claims:Q", title=t("Claims")),
            alt.Tooltip("amount:Q", title=t("Amount"), format=formats.WHOLE),
            alt.Tooltip("share_pct:Q", title=t("Share, %"), format=".1f"),
            alt.Tooltip("cumulative_pct:Q", title=t("Cumulative, %"), format=".1f"),
        ],
    )
    line = base.mark_line(color=CUMULATIVE, point=True).encode(
        y=alt.Y(
            "cumulative:Q",
            title=t("Cumulative share"),
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%"),
        ),
    )
    return localized(alt.layer(bars, line).resolve_scale(y="independent").properties(height=280))


def returns_rate_by_category(rates: pd.DataFrame) -> alt.Chart:
    """Returns and refusals as % of gross sales per category, highest first (from
    sales.returns_rates by category); categories with no sales have no rate and are left out."""
    data = rates.dropna(subset=["returns_rate_pct"]).assign(
        rate=lambda d: d["returns_rate_pct"].astype(float) / 100,
        category=lambda d: d["key"].replace("", t("No category")),
    )
    return localized(
        alt.Chart(data)
        .mark_bar(color=RETURNS)
        .encode(
            y=alt.Y("category:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False)),
            x=alt.X("rate:Q", title=t("Returned / gross sales, %"), axis=alt.Axis(format="%")),
            tooltip=[
                alt.Tooltip("category:N", title=t("Category")),
                alt.Tooltip("rate:Q", title=t("Returns rate"), format=".1%"),
            ],
        )
        .properties(height=alt.Step(22))
    )
