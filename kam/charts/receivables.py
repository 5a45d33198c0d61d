"""Receivables charts: ageing by manager, and DSO with payment discipline by month end."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kam.charts import formats
from kam.charts.formats import localized
from kam.core.i18n import N_, t

BUCKET_LABELS = {
    "not_due": N_("Not due"),
    "d1_30": N_("1–30"),
    "d31_60": N_("31–60"),
    "d61_90": N_("61–90"),
    "d90_plus": N_("Over 90"),
}
BUCKET_COLOURS = ["#9ec5e8", "#f6c768", "#ef8f3c", "#d9534f", "#8b1a1a"]
DSO = "#1f5fa8"
LATE = "#b42318"


def ageing_by_manager(per_manager: pd.DataFrame, names: dict[str, str] | None = None) -> alt.Chart:
    """Outstanding per manager as stacked bars by age (from receivables.manager_receivables);
    ``names`` maps manager codes to the names shown."""
    labels = {key: t(label) for key, label in BUCKET_LABELS.items()}
    order = list(labels.values())
    long = per_manager.melt(
        id_vars=["manager_code"], value_vars=list(labels), var_name="bucket", value_name="amount"
    )
    long = long.assign(
        manager=[(names or {}).get(c, c) for c in long["manager_code"]],
        amount=long["amount"].astype(float),
        age=long["bucket"].map(labels),
        rank=long["bucket"].map({key: i for i, key in enumerate(labels)}),
    )
    return localized(
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("manager:N", title=None, sort="ascending"),
            x=alt.X("sum(amount):Q", title=t("Outstanding"), axis=formats.short_axis()),
            color=alt.Color(
                "age:N",
                title=t("Days past due"),
                sort=order,
                scale=alt.Scale(domain=order, range=BUCKET_COLOURS),
                legend=alt.Legend(orient="top", columns=3),  # five ages do not fit one line in Russian
            ),
            order=alt.Order("rank:O"),
            tooltip=[
                alt.Tooltip("manager:N", title=t("Manager")),
                alt.Tooltip("age:N", title=t("Age")),
                alt.Tooltip("amount:Q", title=t("Amount"), format=formats.WHOLE),
            ],
        )
        .properties(height=alt.Step(28))
    )


def collection_trend(trend: pd.DataFrame) -> alt.LayerChart:
    """DSO (left axis) and average days late (right axis) at each month end, from
    receivables.collection_trend; each point sits on its month."""
    data = trend.assign(
        as_of=pd.to_datetime(trend["as_of"]),
        dso=trend["dso"].astype(float),
        avg_days_late=trend["avg_days_late"].astype(float),
    )[["as_of", "dso", "avg_days_late"]]
    base = alt.Chart(data).encode(
        x=alt.X("yearmonth(as_of):T", title=None, axis=formats.month_axis()),
        tooltip=[
            alt.Tooltip("as_of:T", title=t("Day"), format=formats.DAY),
            alt.Tooltip("dso:Q", title=t("DSO, days"), format=",.1f"),
            alt.Tooltip("avg_days_late:Q", title=t("Average days late"), format=",.1f"),
        ],
    )
    dso = base.mark_line(point=True, color=DSO).encode(
        y=alt.Y(
            "dso:Q", title=t("DSO, days"), axis=alt.Axis(format=formats.WHOLE, titleColor=DSO),
            scale=alt.Scale(zero=True),
        )
    )  # fmt: skip
    late = base.mark_line(point=True, color=LATE, strokeDash=[5, 3]).encode(
        y=alt.Y(
            "avg_days_late:Q", title=t("Average days late"),
            axis=alt.Axis(format=",.1f", titleColor=LATE, orient="right"),
            scale=alt.Scale(zero=True),
        )
    )  # fmt: skip
    return localized((dso + late).resolve_scale(y="independent").properties(height=240))
