"""The Weekly plan's planning form: several clients at once, one day for all or a day for each,
and the kind, for the week shown when it lies ahead, else for next week."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from kam.activities import visits, weekly_plan
from kam.core import periods
from kam.core.i18n import t, tn
from kam.core.labels import weekday_label
from kam.core.models import VISIT_KINDS
from kam.ui import data, forms, frame
from kam.ui.contact_form import kind_with_icon
from kam.ui.forms import ProblemSlots, clicked, record_click
from kam.ui.week import day_label
from kam.ui.widgets import inert

PLAN_FORM = "plan_week"


def _short_day(day: dt.date) -> str:
    return f"{weekday_label(day)} {day.day}"


def target_week(monday: dt.date, today: dt.date) -> dt.date:
    """The Monday of the week to plan: the week shown when it lies ahead, else next week."""
    return max(monday, periods.add_weeks(today, 1))


def _add_clients(key: str, ids: list[int]) -> None:
    current = st.session_state.get(key) or []
    st.session_state[key] = current + [i for i in ids if i not in current]


def plan_form(target: dt.date, *, suggested: list[int] = ()) -> None:
    """Plan several clients at once: one day for all or a day for each, and the kind;
    ``suggested`` clients (those due a contact) can be added with one click."""
    name = PLAN_FORM
    viewer = frame.context().viewer
    choices = data.load(weekly_plan.client_search, viewer=viewer, text="", limit=5000)
    by_id = {c.id: c for c in choices}
    days = periods.week_of(target)
    slots = ProblemSlots(name)
    due = [i for i in suggested if i in by_id]
    if due:
        st.button(
            t("Add the {n} A clients not contacted in time", n=len(due)),
            icon=":material/playlist_add:", key="plan_add_due", type="tertiary",
            on_click=_add_clients, args=(forms.key(name, "clients"), due),
        )  # fmt: skip
    picked = st.multiselect(
        t("Clients"), list(by_id), format_func=lambda i: f"{by_id[i].name} · {by_id[i].code}",
        placeholder=t("Type a name or code"), key=forms.key(name, "clients"),
    )  # fmt: skip
    slots.under("contacts")
    kind = st.pills(
        t("Kind"),
        VISIT_KINDS,
        default="visit",
        format_func=kind_with_icon,
        key=forms.key(name, "kind"),
    )
    each = st.toggle(t("A different day for each client"), key=forms.key(name, "each"))
    if not each:
        day = st.pills(
            t("Day"), days, default=days[0], format_func=_short_day, key=forms.key(name, "day")
        )
    chosen: list[dt.date | None] = []
    for i, cid in enumerate(picked):
        if each:
            label, pick = st.columns([3, 2], vertical_alignment="center")
            label.markdown(inert(f"{by_id[cid].name} · {by_id[cid].code}"))
            chosen.append(
                pick.selectbox(
                    t("Day"),
                    days,
                    format_func=day_label,
                    label_visibility="collapsed",
                    key=forms.key(name, f"day_{cid}"),
                )  # fmt: skip
            )
        else:
            chosen.append(day)
        fields = ("client_id", "planned_for", "kind", "notes")
        slots.under(*(f"contacts.{i}.{f}" for f in fields), prefix=f"{inert(by_id[cid].code)}: ")
    st.button(
        tn("Plan {n} contact", "Plan {n} contacts", len(picked), n=len(picked)) if picked else t("Plan contacts"),
        type="primary", icon=":material/event_available:", key="plan_save", width="stretch",
        on_click=record_click, args=("plan_save",),
    )  # fmt: skip
    if clicked("plan_save"):
        contacts = [
            visits.PlannedContact(client_id=cid, planned_for=on, kind=kind)
            for cid, on in zip(picked, chosen, strict=True)
        ]
        saved = forms.save(
            name, visits.plan_contacts, contacts=contacts,
            idempotency_key=forms.idempotency_key(name)[: visits.PLAN_KEY_MAX],
        )  # fmt: skip
        if saved is not None:
            st.session_state["_toast"] = tn(
                "{n} contact planned.", "{n} contacts planned.", len(saved), n=len(saved)
            )
            st.query_params["week"] = target.isoformat()
            st.rerun()
    forms.message(name)
    slots.fill()
