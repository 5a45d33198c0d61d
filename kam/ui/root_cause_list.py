"""The head's list of claim root causes on the Claims page: add one, retire one, offer it again."""

from __future__ import annotations

import streamlit as st

from kam.activities import root_causes
from kam.core.access import Capability
from kam.core.i18n import t
from kam.core.labels import root_cause_label
from kam.ui import data, forms, frame
from kam.ui.plain import inert

FORM = "root_cause_add"


def manage() -> None:
    """An expander with the list and its form, for those who may change it; nothing otherwise."""
    if not frame.context().viewer.may(Capability.MANAGE_ROOT_CAUSES):
        return
    with st.expander(t("Root causes to choose from"), icon=":material/list_alt:"):
        causes = data.load(root_causes.root_causes, active_only=False)
        # A short list as lines of plain text (the head's labels are shown as typed).
        st.markdown("  \n".join(
            inert(root_cause_label(c, lbl)) + ("" if a else " · " + t("no longer offered"))
            for c, lbl, a in causes
        ))  # fmt: skip
        with st.form(forms.key(FORM, "form"), border=False):
            label = st.text_input(t("New root cause"), key=forms.key(FORM, "label"))
            forms.field_problem(FORM, "label")
            added = st.form_submit_button(t("Add to the list"), icon=":material/add:")
            forms.message(FORM)
        if added and forms.save(FORM, root_causes.add_root_cause, label=label) is not None:
            st.toast(t("Root cause added."), icon=":material/check_circle:")
            st.rerun()
        retire = {c: root_cause_label(c, lbl) for c, lbl, _ in causes if c != root_causes.OTHER}
        picked = st.selectbox(
            t("Retire or offer again"), list(retire), index=None, format_func=retire.__getitem__,
            key="root_cause_toggle",
        )  # fmt: skip
        if picked is not None:
            active = next(a for c, _, a in causes if c == picked)
            verb = t("Stop offering it") if active else t("Offer it again")
            if st.button(verb, key="root_cause_toggle_go") and forms.save(
                "root_cause_toggle", root_causes.set_active, code=picked, active=not active
            ) is not None:
                st.rerun()
            forms.message("root_cause_toggle")
