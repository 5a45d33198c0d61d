"""Shared widgets: the manager and period pickers, empty states, inert text."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from kam import plans
from kam.core import formatting as fmt
from kam.core import periods
from kam.core.i18n import N_, t
from kam.portfolio import managers
from kam.ui import data, frame, state
from kam.ui.plain import inert  # noqa: F401 - pages call it as widgets.inert


def manager_filter(*, where: Any = st, label: str = "Manager") -> int | None:
    """For those who see all: pick a manager (``?manager=CODE``) or the whole team; a KAM gets
    his or her own id without a widget — or None while covering for someone, so the queries
    (which keep a KAM to the portfolio anyway) include the delegated clients."""
    viewer = frame.context().viewer
    if not viewer.sees_all:
        return None if viewer.delegated_from else viewer.manager_id
    team = data.load(managers.managers, viewer=viewer)
    by_code = dict(zip(team["code"], team["name"], strict=True))
    code = state.select(
        t(label), [""] + list(by_code), param="manager", default="",
        format_func=lambda c: by_code.get(c, t("Whole team")), where=where,
    )  # fmt: skip
    if not code:
        return None
    return int(team.loc[team["code"] == code, "manager_id"].iloc[0])


def empty(message: str, hint: str | None = None) -> None:
    """An empty state: what is missing and how to get it."""
    st.info(t(message) + ("\n\n" + t(hint) if hint else ""), icon=":material/info:")


PERIOD_KINDS = {"month": N_("Month"), "quarter": N_("Quarter"), "year": N_("Year")}
PERIODS_OFFERED = {"month": 13, "quarter": 8, "year": 4}


def period_label(period: periods.Period) -> str:
    """``Nov 2026``, ``Q4 2026`` or ``2026``."""
    if period.kind == "month":
        return fmt.month(period.start)
    if period.kind == "quarter":
        return t("Q{n} {year}", n=period.quarter, year=period.start.year)
    return period.code


def period_picker(today: dt.date) -> periods.Period:
    """Month, quarter or year and which one (``?period=2026-11`` / ``2026-Q4`` / ``2026``);
    the current month by default."""
    default = periods.month_of(today)
    chosen = state.get("period", default, state.period)
    left, right, _ = st.columns([2, 2, 5], vertical_alignment="bottom")
    kind = left.segmented_control(
        t("Period"), list(PERIOD_KINDS), default=chosen.kind, required=True,
        format_func=lambda k: t(PERIOD_KINDS[k]), key="period_kind",
    ) or "month"  # fmt: skip
    options = plans.recent_periods(kind, today, PERIODS_OFFERED[kind])
    if chosen.kind == kind and chosen not in options:
        options.append(chosen)  # a link to an older period
    current = chosen if chosen in options else options[0]
    period = right.selectbox(
        t("Which"), options, index=options.index(current), format_func=period_label,
        key=f"period_{kind}", label_visibility="collapsed",
    )  # fmt: skip
    state.put("period", period.code, default.code)
    return period
