"""Clients: the portfolio as a searchable, sortable table; a row opens the client."""

import streamlit as st

from kam import portfolio
from kam.core import clock
from kam.core.i18n import N_, t
from kam.core.models import CLIENT_STATUSES
from kam.portfolio.overview import silent_rule
from kam.ui import data, frame, state, widgets
from kam.ui.tables import Col, export_buttons, show

ctx = frame.context()
today = clock.today()
overview = data.load(portfolio.clients_overview, viewer=ctx.viewer, as_of=today)

st.title(t("Clients"))
if overview.empty:
    widgets.empty(
        "There are no clients in your portfolio yet.",
        N_("Clients come from the ERP import (admin: the Import page), or the head of sales assigns them."),
    )
    st.stop()

search, manager, segment, region, abc, status = st.columns([3, 2, 2, 2, 1, 2])
text = state.text(t("Search by code or name"), param="q", where=search, placeholder="C0042, Vega…")
chosen = {
    "managers": state.multiselect(
        t("Manager"), sorted(overview["manager_code"].unique()), param="manager", where=manager
    )
    if ctx.viewer.sees_all
    else [],
    "segments": state.multiselect(
        t("Segment"), sorted(overview["segment"].dropna().unique()), param="segment", where=segment
    ),
    "regions": state.multiselect(
        t("Region"), sorted(overview["region"].dropna().unique()), param="region", where=region
    ),
    "abc_classes": state.multiselect(t("ABC"), ["A", "B", "C"], param="abc", where=abc),
    "statuses": state.multiselect(
        t("Status"), list(CLIENT_STATUSES), param="status", where=status, format_func=t
    ),
}
shown = portfolio.filter_overview(overview, text=text, **chosen)

st.caption(t("{shown} of {total} clients", shown=len(shown), total=len(overview)))
st.caption(t(silent_rule()))  # the same rule, and so the same clients, as My desk
columns = {
    "client_code": Col("Code", "client"),
    "name": Col("Name"),
    "manager_code": Col("Manager"),
    "abc_class": Col("ABC"),
    "xyz_class": Col("XYZ"),
    "revenue_12m": Col("Revenue, 12 months", "money"),
    "revenue_change_pct": Col("Change", "pct", warn="negative"),
    "last_purchase": Col("Last purchase", "date"),
    "silent": Col("Silent", "flag", warn="true"),
    "outstanding": Col("Outstanding", "money"),
    "overdue": Col("Overdue", "money", warn="positive"),
    "credit_use_pct": Col("Credit use", "pct"),
    "open_claims": Col("Open claims", "number", warn="positive"),
}
picked = show(shown, columns, key="clients_table", selectable=True, height=640)
if picked is not None:
    st.switch_page("pages/client.py", query_params={"client": shown.at[picked, "client_code"]})

with st.sidebar:
    st.caption(t("Export the filtered table"))
    export_buttons(shown.drop(columns=["client_id"]), "clients", labels=columns)
