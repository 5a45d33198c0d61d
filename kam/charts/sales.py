"""Sales charts: a client's months against last year, and its category mix."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kam.i18n import t

NET = "#1f5fa8"
LAST_YEAR = "#9aa5b1"
RETURNS = "#b42318"


def monthly_with_last_year(history: pd.DataFrame) -> alt.LayerChart:
    """Net sales per month as bars, last year's same months as a line (from sales.sales_history)."""
    data = history.assign(
        net=history["net"].astype(float),
        net_last_year=history["net_last_year"].astype(float),
        month=pd.to_datetime(history["month"]),
    )
    base = alt.Chart(data).encode(
        x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0))
    )
    bars = base.mark_bar(color=NET, opacity=0.85).encode(
        y=alt.Y("net:Q", title=t("Net sales"), axis=alt.Axis(format="~s")),
        tooltip=[
            alt.Tooltip("yearmonth(month):T", title=t("Month")),
            alt.Tooltip("net:Q", title=t("Net sales"), format=",.0f"),
            alt.Tooltip("net_last_year:Q", title=t("Last year"), format=",.0f"),
        ],
    )
    line = base.mark_line(color=LAST_YEAR, strokeDash=[4, 3], point=True).encode(
        y=alt.Y("net_last_year:Q"),
    )
    return (bars + line).properties(height=260)


def legend_this_and_last_year() -> str:
    """The caption that explains the bars and the dashed line of ``monthly_with_last_year``."""
    return t("Bars: net sales per month · dashed line: the same month last year")


def category_mix(mix: pd.DataFrame) -> alt.Chart:
    """Net sales per category, largest first (from sales.category_mix)."""
    data = mix.assign(
        net=mix["net"].astype(float),
        category=mix["category"].replace("", t("No category")),
    )
    return (
        alt.Chart(data)
        .mark_bar(color=NET)
        .encode(
            y=alt.Y("category:N", sort="-x", title=None),
            x=alt.X("net:Q", title=t("Net sales, 12 months"), axis=alt.Axis(format="~s")),
            tooltip=[
                alt.Tooltip("category:N", title=t("Category")),
                alt.Tooltip("net:Q", title=t("Net sales"), format=",.0f"),
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
        kind=returns["kind"].map(lambda k: t(k.capitalize())),
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("reason:N", sort="-x", title=None),
            x=alt.X("sum(amount):Q", title=t("Amount returned"), axis=alt.Axis(format="~s")),
            color=alt.Color("kind:N", title=None, scale=alt.Scale(range=[RETURNS, "#f79009"])),
            tooltip=[
                alt.Tooltip("reason:N", title=t("Reason")),
                alt.Tooltip("kind:N", title=t("Kind")),
                alt.Tooltip("amount:Q", title=t("Amount"), format=",.0f"),
            ],
        )
        .properties(height=alt.Step(26))
    )
