"""Users: the managers, their roles and e-mails (admin); moving clients and delegating a
portfolio while its manager is away (head and admin)."""

import streamlit as st

from kam.core import clock
from kam.core.access import Capability
from kam.core.i18n import t
from kam.portfolio import managers
from kam.ui import data, frame, people, widgets

ctx = frame.context()
today = clock.today()
st.title(t("Users and portfolios"))
if not ctx.viewer.may(Capability.SEE_USERS):
    widgets.empty("This page is for administrators and the head of sales.")
    st.stop()
people.saved_toast()

team = data.load(managers.people, viewer=ctx.viewer)
people.people_table(team)

if ctx.viewer.may(Capability.MANAGE_USERS):
    add, edit = st.columns(2)
    with add.expander(t("Add a manager"), icon=":material/person_add:"):
        people.add_form()
    with edit.expander(t("Change or deactivate a manager"), icon=":material/manage_accounts:"):
        people.edit_form(team)
else:
    st.caption(t("Only an administrator adds users or changes roles and e-mails."))

if ctx.viewer.may(Capability.MANAGE_PORTFOLIOS):
    st.header(t("Move clients"))
    st.caption(
        t("Give all or some clients of one manager to another, e.g. when someone leaves the team.")
    )
    people.reassign_form(team, today)

    st.header(t("Delegations"))
    st.caption(
        t("While a manager is away, another one sees and works the portfolio, from one date to "
          "another; the audit trail records who acted for whom.")
    )  # fmt: skip
    with st.expander(t("Delegate a portfolio"), icon=":material/swap_horiz:"):
        people.delegate_form(team, today)
    people.delegation_list(today)
