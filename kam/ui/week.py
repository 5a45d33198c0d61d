"""The weekly plan's widgets: the week in the URL, the day grid of contact cards, the done and
cancel dialogs, and the coverage of A/B/C clients (the planning form is in week_planning)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from kam.activities import visits, weekly_plan
from kam.core import formatting as fmt
from kam.core import periods
from kam.core.i18n import t, text_of, tn
from kam.core.labels import (
    contact_kind_label,
    contact_status_label,
    contact_status_term,
    weekday_label,
)
from kam.core.models import VISIT_KINDS
from kam.core.validation import NotFound
from kam.ui import data, forms, frame, state, tables
from kam.ui.contact_form import kind_with_icon, note_fields
from kam.ui.state import DAY_FORMAT
from kam.ui.tables import Col
from kam.ui.widgets import inert

DIALOG = "_week_dialog"
# What a card says about a contact's status: markdown badge colour and icon; "overdue" is a
# planned contact whose day has passed.
STATUS_BADGES = {
    "overdue": ("orange", ":material/warning:"),
    "planned": ("blue", ":material/event:"),
    "done": ("green", ":material/check_circle:"),
    "cancelled": ("gray", ":material/block:"),
}


def _badge_label(status: str) -> str:
    return t("Overdue") if status == "overdue" else contact_status_label(status)


def day_label(day: dt.date) -> str:
    """A day as the week shows it: its weekday and date."""
    return f"{weekday_label(day)} {fmt.date(day)}"


def week_from_url(today: dt.date) -> dt.date:
    """The Monday of the week in ``?week=`` (any day of it is accepted), else of this week."""
    day = state.get("week", today, state.day)
    return periods.monday_of(day)


def _go_to(monday: dt.date, this_monday: dt.date) -> None:
    state.put("week", monday.isoformat(), this_monday.isoformat())


def week_nav(monday: dt.date, today: dt.date) -> None:
    """The week's dates, then previous / this / next week buttons; the week lives in the URL."""
    this_monday = periods.monday_of(today)
    _go_to(monday, this_monday)  # a Wednesday in the link becomes its Monday
    st.markdown(
        f"**{fmt.date(monday)} – {fmt.date(periods.sunday_of(monday))}**"
        + ("" if monday != this_monday else " · " + t("this week"))
    )
    bar = st.container(horizontal=True, gap="small", key="week_nav")
    bar.button(
        t("Previous week"), icon=":material/chevron_left:", key="week_prev",
        on_click=_go_to, args=(periods.add_weeks(monday, -1), this_monday),
    )  # fmt: skip
    if monday != this_monday:
        bar.button(
            t("This week"), icon=":material/today:", key="week_this",
            on_click=_go_to, args=(this_monday, this_monday),
        )  # fmt: skip
    bar.button(
        t("Next week"), icon=":material/chevron_right:", icon_position="right", key="week_next",
        on_click=_go_to, args=(periods.add_weeks(monday, 1), this_monday),
    )  # fmt: skip


def summary(week: pd.DataFrame) -> None:
    """One line: how many contacts are planned, done and overdue in the week."""
    planned = int((week["status"] == "planned").sum())
    st.caption(
        t(
            "{planned} planned · {done} done · {overdue} overdue",
            planned=fmt.number(planned),
            done=fmt.number(int((week["status"] == "done").sum())),
            overdue=fmt.number(int(week["overdue"].sum())),
        )
    )


def grid(
    week: pd.DataFrame, monday: dt.date, today: dt.date, *, show_manager: bool, can_write: bool
) -> None:
    """Monday to Friday in a column each and the weekend in the sixth (it is rarely busy, and
    wider columns keep the cards short), a card per contact; on a phone the days stack."""
    days = periods.week_of(monday)
    by_day = {day: part for day, part in week.groupby("day")} if not week.empty else {}
    columns = st.columns(6, gap="xsmall")
    for day in days:
        with columns[min(day.weekday(), 5)]:
            head = f"**{day_label(day)}**"
            st.markdown(f":blue-background[{head}]" if day == today else head)
            part = by_day.get(day)
            if part is None:
                st.caption(t("Nothing planned"))
                continue
            for row in part.itertuples(index=False):
                _card(row, show_manager=show_manager, can_write=can_write)


def _card(row, *, show_manager: bool, can_write: bool) -> None:  # noqa: ANN001
    status = "overdue" if row.overdue else row.status
    if status not in STATUS_BADGES:
        status = "planned"
    colour, icon = STATUS_BADGES[status]
    who = f" · {inert(row.manager_code)}" if show_manager else ""
    with st.container(border=True, key=f"visit_{row.visit_id}", gap="xsmall"):
        st.markdown(
            f"**[{inert(row.client_name)}]({tables.client_url(row.client_code)})**  \n"
            f"{kind_with_icon(row.kind)}{who} :{colour}-badge[{icon} {_badge_label(status)}]"
        )
        if row.status == "done" and row.outcome:
            st.caption(inert(row.outcome))
        if row.status != "planned" or not can_write:
            return
        buttons = st.container(horizontal=True, gap="xsmall", vertical_alignment="center")
        opened = ("done", int(row.visit_id), int(row.version), row.client_name)
        buttons.button(
            t("Done"), key=f"done_{row.visit_id}", icon=":material/check:", type="primary",
            on_click=_open, args=(opened,),
        )  # fmt: skip
        buttons.button(
            "", key=f"cancel_{row.visit_id}", icon=":material/close:", type="tertiary",
            help=t("Cancel this contact"), on_click=_open, args=(("cancel", *opened[1:]),),
        )  # fmt: skip


def _open(which: tuple) -> None:
    st.session_state[DIALOG] = which


def _close() -> None:
    st.session_state.pop(DIALOG, None)


def open_dialog() -> None:
    """The Done or Cancel dialog a card opened; it stays open over reruns until it is saved
    or dismissed (state, not the button's one-run click, keeps it)."""
    which = st.session_state.get(DIALOG)
    if which is None:
        return
    kind, visit_id, version, client_name = which
    if kind == "done":
        st.dialog(t("Mark the contact done"), icon=":material/task_alt:", on_dismiss=_close)(
            _done_body
        )(visit_id)
    else:
        st.dialog(t("Cancel the planned contact"), icon=":material/event_busy:", on_dismiss=_close)(
            _cancel_body
        )(visit_id, version, client_name)


def _conflict_details(name: str) -> None:
    """What the other person saved, so the user sees the other change."""
    clash = forms.conflict(name)
    if clash is None:
        return
    now = clash.current
    st.warning(
        t(
            "Now saved: status {status}, kind {kind}, date {day}, outcome “{outcome}”.",
            status=contact_status_label(now["status"]) if now.get("status") else "—",
            kind=contact_kind_label(now["kind"]) if now.get("kind") else "—",
            day=fmt.date(now.get("done_at") or now.get("planned_for")),
            outcome=inert(now.get("outcome") or "—"),
        ),
        icon=":material/sync_problem:",
    )


def _done_form(visit_id: int) -> bool:
    """The pre-filled completion form of a planned contact; True once saved."""
    name = f"done_{visit_id}"
    viewer = frame.context().viewer
    try:
        planned = data.load_fresh(visits.planned_contact, viewer=viewer, visit_id=visit_id)
    except NotFound as exc:
        st.error(t(text_of(exc)))
        return False
    st.markdown(
        f"**{inert(planned.client_name)}** · {inert(planned.client_code)} · "
        + t("planned for {day}", day=fmt.date(planned.planned_for))
    )
    if planned.status != "planned":
        st.info(t("This contact is {status} already.", status=contact_status_term(planned.status)))
        forms.message(name)
        _conflict_details(name)
        return False
    pre = planned.form
    slots = forms.ProblemSlots(name)
    with st.form(forms.key(name, "form"), border=False, enter_to_submit=True):
        kind = st.pills(
            t("Kind"), VISIT_KINDS, default=pre.kind, format_func=kind_with_icon,
            key=forms.key(name, "kind"),
        )  # fmt: skip
        slots.under("kind")
        done_on = st.date_input(
            t("Date"), value=pre.done_on, format=DAY_FORMAT, key=forms.key(name, "done_on")
        )
        slots.under("done_on")
        outcome = st.text_input(
            t("Outcome"), value=pre.outcome or "", key=forms.key(name, "outcome")
        )
        slots.under("outcome")
        notes = st.text_area(
            t("Notes"), value=pre.notes or "", height=80, key=forms.key(name, "notes")
        )
        slots.under("notes")
        step, by = st.columns([3, 2])
        next_step = step.text_input(
            t("Next step"), value=pre.next_step or "", key=forms.key(name, "next_step")
        )
        next_date = by.date_input(
            t("By"), value=pre.next_step_date, format=DAY_FORMAT,
            key=forms.key(name, "next_step_date"),
        )  # fmt: skip
        slots.under("next_step", "next_step_date")
        with st.expander(t("Competitor seen? Add a note"), icon=":material/storefront:"):
            note = note_fields(name, "competitor_note.")
        st.form_submit_button(
            t("Save as done"), type="primary", icon=":material/check:", width="stretch",
            key=f"{name}_save", on_click=forms.record_click, args=(f"{name}_save",),
        )  # fmt: skip
    if not forms.clicked(f"{name}_save"):
        forms.message(name)
        _conflict_details(name)
        slots.fill()
        return False
    form = visits.CompletionForm(
        done_on=done_on, kind=kind, outcome=outcome, notes=notes, next_step=next_step,
        next_step_date=next_date, competitor_note=note,
    )  # fmt: skip
    done = forms.save(
        name,
        visits.complete_planned,
        visit_id=visit_id,
        expected_version=planned.version,
        form=form,
    )
    forms.message(name)
    _conflict_details(name)
    slots.fill()
    return done is not None


def _done_body(visit_id: int) -> None:
    if _done_form(visit_id):
        _close()
        st.session_state["_toast"] = t("Contact marked done.")
        st.rerun()


def _cancel_body(visit_id: int, version: int, client_name: str) -> None:
    name = f"cancel_{visit_id}"
    st.markdown(f"**{inert(client_name)}**")
    slots = forms.ProblemSlots(name)
    with st.form(forms.key(name, "form"), border=False):
        reason = st.text_input(t("Reason (optional)"), key=forms.key(name, "reason"))
        slots.under("reason", "status")
        st.form_submit_button(
            t("Cancel the contact"), icon=":material/event_busy:", width="stretch",
            key=f"{name}_save", on_click=forms.record_click, args=(f"{name}_save",),
        )  # fmt: skip
    saved = forms.clicked(f"{name}_save") and forms.save(
        name, visits.cancel_planned, visit_id=visit_id, expected_version=version, reason=reason
    )
    forms.message(name)
    _conflict_details(name)
    slots.fill()
    if saved:
        _close()
        st.session_state["_toast"] = t("Contact cancelled.")
        st.rerun()


def coverage(cover: weekly_plan.Coverage) -> None:
    """Per ABC class the share contacted within its limit, and who was not contacted."""
    columns = st.columns(len(cover.summary))
    for column, row in zip(columns, cover.summary.itertuples(index=False), strict=True):
        share = None if row.share_pct is None or pd.isna(row.share_pct) else row.share_pct / 100
        column.metric(
            tn(
                "{cls} clients contacted within {days} day",
                "{cls} clients contacted within {days} days",
                row.days,
                cls=row.abc_class,
                days=row.days,
            ),
            fmt.percent(share, 0),
            border=True,
        )
        column.caption(
            t("{contacted} of {clients}", contacted=fmt.number(row.contacted),
              clients=fmt.number(row.clients))
        )  # fmt: skip
    missing = cover.not_contacted
    if missing.empty:
        st.success(t("Every client was contacted in time."), icon=":material/task_alt:")
        return
    st.markdown(t("**Not contacted in time** · {n}", n=fmt.number(len(missing))))
    columns = {
        "client_code": Col("Client", "client"), "client_name": Col("Name"),
        "abc_class": Col("ABC"), "last_contact": Col("Last contact", "date"),
        "days_since": Col("Days since", "number"),
    }  # fmt: skip
    tables.show(missing, columns, key="not_contacted", height=min(400, 38 + 35 * len(missing)))
    tables.export_buttons(missing, "not_contacted", labels=columns)
