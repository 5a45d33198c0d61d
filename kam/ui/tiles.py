"""Plan tiles: fact against plan, forecast and last year for the three monthly plans."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam import plans
from kam.core import formatting as fmt
from kam.core.access import Viewer
from kam.core.i18n import t
from kam.core.labels import plan_metric_label
from kam.core.models import PLAN_METRICS


def _value(metric: str, value: object, short: bool = False) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return fmt.DASH
    if metric == "revenue":
        return fmt.money_short(value) if short else fmt.money(value)
    return fmt.number(value)


def headline(card: pd.DataFrame, viewer: Viewer, manager_id: int | None = None) -> pd.DataFrame:
    """The rows to feature: a KAM's own; for those who see all, the chosen manager's
    (``manager_id``), else the team total when the scorecard has one, else its rows."""
    if not viewer.sees_all:
        return card[card["manager_id"] == viewer.manager_id]
    if manager_id is not None:
        return card[card["manager_id"] == manager_id]
    team = card[card["manager_id"].isna()]
    return team if not team.empty else card


def plan_tiles(rows: pd.DataFrame) -> None:
    """One bordered tile per metric, in the order revenue, active clients, new clients."""
    columns = st.columns(len(PLAN_METRICS))
    for col, metric in zip(columns, PLAN_METRICS, strict=True):
        row = rows[rows["metric"] == metric]
        with col.container(border=True):
            if row.empty:
                st.metric(plan_metric_label(metric), fmt.DASH)
                continue
            r = row.iloc[0]
            st.metric(plan_metric_label(metric), _value(metric, r["fact"], short=True))
            pct = r["fulfilment_pct"]
            if r["plan"] is None or pd.isna(pct):
                st.caption(t("No plan for this month — the head of sales sets plans."))
            else:
                st.progress(min(max(float(pct) / 100, 0.0), 1.0), text=t(
                    "{pct} of plan {plan}", pct=fmt.percent(float(pct) / 100),
                    plan=_value(metric, r["plan"], short=True),
                ))  # fmt: skip
            st.caption(
                t(
                    "Forecast to month end: {forecast} · Last year: {last}",
                    forecast=plans.forecast_text(metric, r),
                    last=_value(metric, r["last_year_fact"], short=True),
                )
            )
