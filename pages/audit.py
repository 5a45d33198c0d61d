"""Audit trail (head and admin): every change — who, when, which record, before and after,
acting for whom — filtered by ``?person=CODE&entity=…&from=…&to=…&for=1``, and exported."""

import streamlit as st

from kam.core import audit_trail
from kam.core import formatting as fmt
from kam.core.access import Capability
from kam.core.i18n import N_, t, tn
from kam.ui import data, frame, state, widgets
from kam.ui.tables import Col, export_buttons, show

ctx = frame.context()
st.title(t("Audit trail"))
if not ctx.viewer.may(Capability.SEE_AUDIT_TRAIL):
    widgets.empty("The audit trail is for the head of sales and administrators.")
    st.stop()


everyone = data.load(audit_trail.audit_people, viewer=ctx.viewer)
names = dict(zip(everyone["code"], everyone["name"], strict=True))
ids = dict(zip(everyone["code"], everyone["manager_id"], strict=True))
entities = data.load(audit_trail.audit_entities, viewer=ctx.viewer)
person, entity, start, end, acting = st.columns([2, 2.5, 1.5, 1.5, 1.2], vertical_alignment="bottom")
code = state.select(t("Person"), [""] + list(names), param="person", default="",
                    format_func=lambda c: names.get(c, t("Everyone")), where=person)  # fmt: skip
chosen = state.multiselect(t("Record"), entities, param="entity", where=entity, format_func=t)
date_from = state.day_input(t("From"), param="from", where=start)
date_to = state.day_input(t("To"), param="to", where=end)
for_only = acting.toggle(t("Acting for"), value=state.get("for", "") == "1", key="url_for",
                         help=t("Only changes made for an absent manager"))  # fmt: skip
state.put("for", "1" if for_only else None)
filters = audit_trail.AuditFilter(
    person_id=int(ids[code]) if code else None, entities=tuple(chosen),
    date_from=date_from, date_to=date_to, acting_for_only=for_only,
)  # fmt: skip

total = data.load(audit_trail.audit_count, viewer=ctx.viewer, filters=filters)
pages = max(1, -(-total // audit_trail.PAGE_SIZE))
page = min(max(state.get("page", 1, state.whole(1, 10_000_000)), 1), pages)
if pages > 1:
    page = st.number_input(t("Page"), 1, pages, page, key="audit_page")
    state.put("page", page, 1)
log = data.load(
    audit_trail.audit_log, viewer=ctx.viewer, filters=filters,
    limit=audit_trail.PAGE_SIZE, offset=(page - 1) * audit_trail.PAGE_SIZE,
)  # fmt: skip
st.caption(tn("{n} change, newest first; page {page} of {pages}",
              "{n} changes, newest first; page {page} of {pages}", total,
              n=fmt.number(total), page=page, pages=pages))  # fmt: skip
if log.empty:
    widgets.empty("No changes match these filters.", N_("Clear a filter above to see more."))
    st.stop()
columns = {
    "at": Col("When"), "actor": Col("Who"), "acting_for": Col("Acting for"),
    "entity": Col("Record", "label"), "entity_id": Col("Id"), "action": Col("Action", "label"),
    "changes": Col("Change"),
}  # fmt: skip
show(log.assign(at=fmt.moments(log["at"])), columns, key="audit_table", height=560)
with st.sidebar:
    st.caption(t("Export this page of the trail"))
    export_buttons(log.drop(columns=["audit_id"]), "audit_trail", labels=columns)
