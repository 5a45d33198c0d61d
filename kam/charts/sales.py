"""Sales charts: a client's months against last year, and its category mix."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kam.charts import formats
from kam.charts.formats import localized
from kam.core.i18n import t
from kam.core.labels import note_kind_label, sale_kind_label

NET = "#1f5fa8"
LAST_YEAR = "#9aa5b1"
RETURNS = "#b42318"
NOTE = "#c4320a"


def monthly_with_last_year(
    history: pd.DataFrame, marks: pd.DataFrame | None = None
) -> alt.LayerChart:
    """Net sales per month as bars, last year's same months as a line (from sales.sales_history),
    and a marker over each month of ``marks`` (from notes_by_month): a competitor's promotion or
    a lost order seen against the sales it may explain."""
    data = history.assign(
        net=history["net"].astype(float),
        net_last_year=history["net_last_year"].astype(float),
        month=pd.to_datetime(history["month"]),
    )
    highest = max(data["net"].max(), data["net_last_year"].max(), 0.0)
    lowest = min(data["net"].min(), data["net_last_year"].min(), 0.0)
    # Room above the highest bar or point for the markers, so they never cover one.
    top = highest * 1.15 if marks is not None and not marks.empty and highest > 0 else None
    scale = alt.Scale(domain=[lowest, top]) if top is not None else alt.Undefined
    month = alt.X("yearmonth(month):T", title=None, axis=formats.month_axis())
    # The line and the markers sit mid-month, over the middle of the month's bar.
    mid_month = alt.X("yearmonth(month):T", bandPosition=0.5)
    bars = (
        alt.Chart(data)
        .mark_bar(color=NET, opacity=0.85)
        .encode(
            x=month,
            y=alt.Y("net:Q", title=t("Net sales"), axis=formats.short_axis(), scale=scale),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title=t("Month")),
                alt.Tooltip("net:Q", title=t("Net sales"), format=formats.WHOLE),
                alt.Tooltip("net_last_year:Q", title=t("Last year"), format=formats.WHOLE),
            ],
        )
    )
    line = (
        alt.Chart(data)
        .mark_line(color=LAST_YEAR, strokeDash=[4, 3], point=alt.OverlayMarkDef(color=LAST_YEAR))
        .encode(x=mid_month, y=alt.Y("net_last_year:Q"))
    )
    chart = bars + line
    if top is not None:
        chart += (
            alt.Chart(marks)
            .mark_point(shape="triangle-down", size=140, filled=True, color=NOTE, opacity=1)
            .encode(
                x=mid_month,
                y=alt.datum(top),
                tooltip=[
                    alt.Tooltip("yearmonth(month):T", title=t("Month")),
                    alt.Tooltip("notes:N", title=t("Competitor notes")),
                ],
            )
        )
    return localized(chart.properties(height=260))


def notes_by_month(history: pd.DataFrame, notes: pd.DataFrame | None) -> pd.DataFrame:
    """One row per month of ``history`` with competitor notes: the month and its notes as one
    text, each "competitor: kind · category"."""
    months = pd.to_datetime(history["month"])
    if notes is None or notes.empty or months.empty:
        return pd.DataFrame(columns=["month", "notes"])
    noted = pd.to_datetime(notes["noted_on"])
    inside = (noted >= months.min()) & (noted < months.max() + pd.offsets.MonthBegin(1))
    within = notes[inside]
    lines = [
        f"{competitor}: {note_kind_label(kind)}" + (f" · {category}" if category else "")
        for competitor, kind, category in zip(
            within["competitor"], within["kind"], within["category"].fillna(""), strict=True
        )
    ]
    month = noted[inside].dt.to_period("M").dt.to_timestamp()
    grouped = pd.Series(lines, index=month, dtype=object).groupby(level=0, sort=True).agg("; ".join)
    return grouped.rename_axis("month").rename("notes").reset_index()


def legend_this_and_last_year(*, with_notes: bool = False) -> str:
    """The caption that explains the bars, the dashed line and (``with_notes``) the markers of
    ``monthly_with_last_year``."""
    text = t("Bars: net sales per month · dashed line: the same month last year")
    if with_notes:
        text += " · " + t("▼: competitor notes about this client that month")
    return text


def category_mix(mix: pd.DataFrame) -> alt.Chart:
    """Net sales per category, largest first (from sales.category_mix)."""
    data = mix.assign(
        net=mix["net"].astype(float),
        category=mix["category"].replace("", t("No category")),
    )
    return localized(
        alt.Chart(data)
        .mark_bar(color=NET)
        .encode(
            y=alt.Y("category:N", sort="-x", title=None),
            x=alt.X("net:Q", title=t("Net sales, 12 months"), axis=formats.short_axis()),
            tooltip=[
                alt.Tooltip("category:N", title=t("Category")),
                alt.Tooltip("net:Q", title=t("Net sales"), format=formats.WHOLE),
                alt.Tooltip("share_pct:Q", title=t("Share, %"), format=".1f"),
            ],
        )
        .properties(height=alt.Step(24))
    )


def returns_by_reason(returns: pd.DataFrame) -> alt.Chart:
    """Returns and refusals per reason as positive amounts (from sales.returns_by_reason)."""
    data = returns.assign(
        amount=-returns["amount"].astype(float),
        reason=returns["reason"].replace("", t("No reason given")),
        kind=returns["kind"].map(sale_kind_label),
    )
    return localized(
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("reason:N", sort="-x", title=None),
            x=alt.X("sum(amount):Q", title=t("Amount returned"), axis=formats.short_axis()),
            color=alt.Color("kind:N", title=None, scale=alt.Scale(range=[RETURNS, "#f79009"])),
            tooltip=[
                alt.Tooltip("reason:N", title=t("Reason")),
                alt.Tooltip("kind:N", title=t("Kind")),
                alt.Tooltip("amount:Q", title=t("Amount"), format=formats.WHOLE),
            ],
        )
        .properties(height=alt.Step(26))
    )
