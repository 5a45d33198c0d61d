"""The weekly plan's widgets: the week in the URL, the day grid of contact cards, the done and
cancel dialogs, planning several contacts at once, and the coverage of A/B/C clients."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from kam.activities import visits
from kam.core import formatting as fmt
from kam.core.i18n import t, text_of, tn
from kam.core.models import VISIT_KINDS
from kam.core.validation import NotFound
from kam.ui import data, forms, frame, state, tables
from kam.ui.contact_form import KIND_ICONS, note_fields
from kam.ui.tables import Col
from kam.ui.widgets import inert

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PLAN_FORM = "plan_week"
DIALOG = "_week_dialog"
# What a card says about a contact's status: markdown badge colour, icon, label.
STATUS_BADGES = {
    "overdue": ("orange", ":material/warning:", "Overdue"),
    "planned": ("blue", ":material/event:", "Planned"),
    "done": ("green", ":material/check_circle:", "Done"),
    "cancelled": ("gray", ":material/block:", "Cancelled"),
}


def kind_label(kind: str) -> str:
    """The translated name of a contact kind with its icon."""
    return f"{KIND_ICONS.get(kind, '')} {t(kind.capitalize())}"


def _day_label(day: dt.date) -> str:
    return f"{t(WEEKDAY_NAMES[day.weekday()][:3])} {fmt.date(day)}"


def _short_day(day: dt.date) -> str:
    return f"{t(WEEKDAY_NAMES[day.weekday()][:3])} {day.day}"


def week_from_url(today: dt.date) -> dt.date:
    """The Monday of the week in ``?week=`` (any day of it is accepted), else of this week."""
    day = state.get("week", today, dt.date.fromisoformat)
    return visits.week_of(day)[0]


def _go_to(monday: dt.date, this_monday: dt.date) -> None:
    state.put("week", monday.isoformat(), this_monday.isoformat())


def week_nav(monday: dt.date, today: dt.date) -> None:
    """The week's dates, then previous / this / next week buttons; the week lives in the URL."""
    this_monday = visits.week_of(today)[0]
    _go_to(monday, this_monday)  # a Wednesday in the link becomes its Monday
    st.markdown(
        f"**{fmt.date(monday)} – {fmt.date(monday + dt.timedelta(days=6))}**"
        + ("" if monday != this_monday else f" · {t('this week')}")
    )
    bar = st.container(horizontal=True, gap="small", key="week_nav")
    step = dt.timedelta(days=7)
    bar.button(
        t("Previous week"), icon=":material/chevron_left:", key="week_prev",
        on_click=_go_to, args=(monday - step, this_monday),
    )  # fmt: skip
    if monday != this_monday:
        bar.button(
            t("This week"), icon=":material/today:", key="week_this",
            on_click=_go_to, args=(this_monday, this_monday),
        )  # fmt: skip
    bar.button(
        t("Next week"), icon=":material/chevron_right:", icon_position="right", key="week_next",
        on_click=_go_to, args=(monday + step, this_monday),
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
    days = visits.week_of(monday)
    by_day = {day: part for day, part in week.groupby("day")} if not week.empty else {}
    columns = st.columns(6, gap="xsmall")
    for day in days:
        with columns[min(day.weekday(), 5)]:
            head = f"**{_day_label(day)}**"
            st.markdown(f":blue-background[{head}]" if day == today else head)
            part = by_day.get(day)
            if part is None:
                st.caption(t("Nothing planned"))
                continue
            for row in part.itertuples(index=False):
                _card(row, show_manager=show_manager, can_write=can_write)


def _card(row, *, show_manager: bool, can_write: bool) -> None:  # noqa: ANN001
    status = "overdue" if row.overdue else row.status
    colour, icon, label = STATUS_BADGES.get(status, STATUS_BADGES["planned"])
    who = f" · {row.manager_code}" if show_manager else ""
    with st.container(border=True, key=f"visit_{row.visit_id}", gap="xsmall"):
        st.markdown(
            f"**[{inert(row.client_name)}]({tables.client_url(row.client_code)})**  \n"
            f"{kind_label(row.kind)}{who} :{colour}-badge[{icon} {t(label)}]"
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


def clicked(key: str) -> bool:
    """True in the run after button ``key`` was clicked. A callback records the click, so it
    survives a rerun of the page before the button is reached (frame.context() may rerun)."""
    return bool(st.session_state.pop(f"_clicked_{key}", False))


class ProblemSlots:
    """Places under the fields, filled after the save has run: forms.field_problem draws
    before the save of the same run, so a failed save's problems would show a run late."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.slots: list[tuple[Any, tuple[str, ...], str]] = []

    def under(self, *fields: str, prefix: str = "") -> None:
        """Keep a place here for the first problem of ``fields``."""
        self.slots.append((st.empty(), fields, prefix))

    def fill(self) -> None:
        """Show each field's problem in its place."""
        found = forms.problems(self.name)
        for slot, fields, prefix in self.slots:
            message = next((found[f] for f in fields if f in found), None)
            if message:
                slot.markdown(f":red[{prefix}{t(message)}]")


def record_click(key: str) -> None:
    """The on_click of a button read with ``clicked``."""
    st.session_state[f"_clicked_{key}"] = True


def _conflict_details(name: str) -> None:
    """What the other person saved, so the user sees the other change."""
    clash = forms.conflict(name)
    if clash is None:
        return
    now = clash.current
    st.warning(
        t(
            "Now saved: status {status}, kind {kind}, date {day}, outcome “{outcome}”.",
            status=t(str(now.get("status", "—")).capitalize()),
            kind=t(str(now.get("kind", "—")).capitalize()),
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
        f"**{inert(planned.client_name)}** · {planned.client_code} · "
        + t("planned for {day}", day=fmt.date(planned.planned_for))
    )
    if planned.status != "planned":
        st.info(t("This contact is {status} already.", status=t(planned.status)))
        forms.message(name)
        _conflict_details(name)
        return False
    pre = planned.form
    slots = ProblemSlots(name)
    with st.form(forms.key(name, "form"), border=False, enter_to_submit=True):
        kind = st.pills(
            t("Kind"), VISIT_KINDS, default=pre.kind, format_func=kind_label,
            key=forms.key(name, "kind"),
        )  # fmt: skip
        slots.under("kind")
        done_on = st.date_input(
            t("Date"), value=pre.done_on, format="DD.MM.YYYY", key=forms.key(name, "done_on")
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
            t("By"), value=pre.next_step_date, format="DD.MM.YYYY",
            key=forms.key(name, "next_step_date"),
        )  # fmt: skip
        slots.under("next_step", "next_step_date")
        with st.expander(t("Competitor seen? Add a note"), icon=":material/storefront:"):
            note = note_fields(name, "competitor_note.")
        st.form_submit_button(
            t("Save as done"), type="primary", icon=":material/check:", width="stretch",
            key=f"{name}_save", on_click=record_click, args=(f"{name}_save",),
        )  # fmt: skip
    if not clicked(f"{name}_save"):
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
    slots = ProblemSlots(name)
    with st.form(forms.key(name, "form"), border=False):
        reason = st.text_input(t("Reason (optional)"), key=forms.key(name, "reason"))
        slots.under("reason", "status")
        st.form_submit_button(
            t("Cancel the contact"), icon=":material/event_busy:", width="stretch",
            key=f"{name}_save", on_click=record_click, args=(f"{name}_save",),
        )  # fmt: skip
    saved = clicked(f"{name}_save") and forms.save(
        name, visits.cancel_planned, visit_id=visit_id, expected_version=version, reason=reason
    )
    forms.message(name)
    _conflict_details(name)
    slots.fill()
    if saved:
        _close()
        st.session_state["_toast"] = t("Contact cancelled.")
        st.rerun()


def target_week(monday: dt.date, today: dt.date) -> dt.date:
    """The Monday of the week to plan: the week shown when it lies ahead, else next week."""
    next_monday = visits.week_of(today)[0] + dt.timedelta(days=7)
    return max(monday, next_monday)


def _add_clients(key: str, ids: list[int]) -> None:
    current = st.session_state.get(key) or []
    st.session_state[key] = current + [i for i in ids if i not in current]


def plan_form(target: dt.date, *, suggested: list[int] = ()) -> None:
    """Plan several clients at once: one day for all or a day for each, and the kind;
    ``suggested`` clients (those due a contact) can be added with one click."""
    name = PLAN_FORM
    viewer = frame.context().viewer
    choices = data.load(visits.client_search, viewer=viewer, text="", limit=5000)
    by_id = {c.id: c for c in choices}
    days = visits.week_of(target)
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
        t("Kind"), VISIT_KINDS, default="visit", format_func=kind_label, key=forms.key(name, "kind")
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
                    format_func=_day_label,
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


def coverage(cover: visits.Coverage) -> None:
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
    tables.show(missing, {
        "client_code": Col("Client", "client"), "client_name": Col("Name"),
        "abc_class": Col("ABC"), "last_contact": Col("Last contact", "date"),
        "days_since": Col("Days since", "number"),
    }, key="not_contacted", height=min(400, 38 + 35 * len(missing)))  # fmt: skip
    tables.export_buttons(missing, "not_contacted")
