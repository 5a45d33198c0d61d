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


def _given(value: object) -> bool:
    # A text column with gaps comes back with NaN in them, and NaN is true: it showed as "nan".
    return not fmt.missing(value) and bool(value)


def _entry(row: pd.Series) -> None:
    icon = KIND_ICONS.get(row.kind, ":material/event:")
    status = "" if row.status == "done" else f" · *{t(contact_status_term(row.status))}*"
    kind = contact_kind_label(row.kind)
    head = f"{icon} **{fmt.date(row.day)}** · {kind} · {inert(row.manager_code)}{status}"
    with st.container(border=True):
        st.markdown(head)
        if _given(row.outcome):
            st.markdown(inert(row.outcome))
        if _given(row.notes):
            st.caption(inert(row.notes))
        if _given(row.next_step):
            when = row.next_step_date
            by = t(" by {day}", day=fmt.date(when)) if _given(when) else ""
            st.markdown(f":material/arrow_forward: {inert(row.next_step)}{by}")


def render(history: pd.DataFrame) -> None:
    """The newest entries, the rest folded."""
    for row in history.head(SHOWN).itertuples():
        _entry(row)
    if len(history) > SHOWN:
        with st.expander(t("{n} earlier", n=len(history) - SHOWN)):
            for row in history.iloc[SHOWN:].itertuples():
                _entry(row)
