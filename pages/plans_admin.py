"""Plans (``?month=YYYY-MM``): the head of sales sets each manager's monthly plans in a grid;
everyone else sees the plans read-only."""

import streamlit as st

from kam.core import clock
from kam.core.access import Capability
from kam.core.i18n import t
from kam.ui import contact_form, frame
from kam.ui import plan_grid as grid

ctx = frame.context()
today = clock.today()
contact_form.saved_toast()

title, pick = st.columns([3, 1], vertical_alignment="bottom")
title.title(t("Plans"))
month = grid.month_picker(today, where=pick)

if not ctx.viewer.may(Capability.SET_PLANS):
    st.info(
        t("Only the head of sales sets plans. These are the current plans."), icon=":material/lock:"
    )
    grid.read_only(month)
    st.stop()

st.caption(
    t(
        "Revenue, active clients and new clients per manager. Blank removes a plan. Nothing is saved until you press Save."
    )
)
grid.fill_buttons(month)
edited = grid.editor(month)
grid.save_button(month, edited)

with st.expander(t("Per-client revenue plans (optional)"), icon=":material/person_search:"):
    grid.client_plans(month)
