"""Visits and calls as a timeline: newest first, what happened and what comes next."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam.core import formatting as fmt
from kam.core.i18n import t
from kam.core.labels import contact_kind_label, contact_status_term
from kam.ui.contact_form import KIND_ICONS
from kam.ui.widgets import inert

SHOWN = 12


def _entry(row: pd.Series) -> None:
    icon = KIND_ICONS.get(row.kind, ":material/event:")
    status = "" if row.status == "done" else f" · *{t(contact_status_term(row.status))}*"
    kind = contact_kind_label(row.kind)
    head = f"{icon} **{fmt.date(row.day)}** · {kind} · {row.manager_code}{status}"
    with st.container(border=True):
        st.markdown(head)
        if row.outcome:
            st.markdown(inert(row.outcome))
        if row.notes:
            st.caption(inert(row.notes))
        if row.next_step:
            by = t(" by {day}", day=fmt.date(row.next_step_date)) if row.next_step_date else ""
            st.markdown(f":material/arrow_forward: {inert(row.next_step)}{by}")


def render(history: pd.DataFrame) -> None:
    """The newest entries, the rest folded."""
    for row in history.head(SHOWN).itertuples():
        _entry(row)
    if len(history) > SHOWN:
        with st.expander(t("{n} earlier", n=len(history) - SHOWN)):
            for row in history.iloc[SHOWN:].itertuples():
                _entry(row)
