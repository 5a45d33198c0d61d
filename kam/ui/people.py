"""The forms of the users page: add or change a manager, move clients, delegate a portfolio."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from kam.core import formatting as fmt
from kam.core.access import Capability, roles_with
from kam.core.i18n import t, tn
from kam.core.labels import role_label
from kam.core.models import ROLES
from kam.portfolio import delegations, managers, moves
from kam.ui import data, forms, frame
from kam.ui.plain import inert
from kam.ui.state import DAY_FORMAT
from kam.ui.tables import Col, show

SAVED = "_people_saved"


def saved_toast() -> None:
    """The confirmation of the last save (the page reruns after it to show fresh tables)."""
    message = st.session_state.pop(SAVED, None)
    if message:
        st.toast(message, icon=":material/check_circle:")


def _done(message: str) -> None:
    st.session_state[SAVED] = message
    st.rerun()


def _person(row: pd.Series | None) -> str:
    return "" if row is None else f"{row['name']} · {row['code']}"


def people_table(people: pd.DataFrame) -> None:
    """Every manager with role, e-mail, clients and whether active."""
    shown = people.assign(role=people["role"].map(role_label))
    show(shown, {
        "code": Col("Code"), "name": Col("Name"), "email": Col("E-mail"), "role": Col("Role"),
        "clients": Col("Clients", "number"), "active": Col("Active", "flag"),
    }, key="people_table")  # fmt: skip


def add_form() -> None:
    """Add a manager: code, name, e-mail, role."""
    name = "user_add"
    with st.form(forms.key(name, "form"), border=False):
        code_col, name_col = st.columns([1, 3])
        code = code_col.text_input(t("Code"), key=forms.key(name, "code"))
        full = name_col.text_input(t("Name"), key=forms.key(name, "name"))
        forms.field_problem(name, "code", "name")
        email = st.text_input(t("E-mail (the company sign-in)"), key=forms.key(name, "email"))
        forms.field_problem(name, "email")
        role = st.selectbox(t("Role"), ROLES, format_func=role_label, key=forms.key(name, "role"))
        forms.field_problem(name, "role")
        submitted = st.form_submit_button(t("Add"), type="primary", icon=":material/person_add:")
        forms.message(name)
    if submitted:
        # partial: ``name`` is also forms.save's own first parameter.
        write = partial(managers.add_manager, name=full)
        saved = forms.save(name, write, code=code, email=email, role=role)
        if saved is not None:
            _done(t("{name} added.", name=inert(saved.name)))


def edit_form(people: pd.DataFrame) -> None:
    """Change a manager's name, e-mail or role, or deactivate (reactivate) him or her."""
    by_id = {int(r.manager_id): r for r in people.itertuples()}
    picked = st.selectbox(
        t("Manager"), list(by_id), index=None, key="user_edit_pick", placeholder=t("Choose"),
        format_func=lambda i: f"{by_id[i].name} · {by_id[i].code}",
    )  # fmt: skip
    if picked is None:
        return
    row, name = by_id[picked], f"user_edit_{picked}"
    with st.form(forms.key(name, "form"), border=False):
        full = st.text_input(t("Name"), value=row.name, key=forms.key(name, "name"))
        forms.field_problem(name, "name")
        email = st.text_input(t("E-mail"), value=row.email or "", key=forms.key(name, "email"))
        forms.field_problem(name, "email")
        role = st.selectbox(t("Role"), ROLES, index=ROLES.index(row.role), format_func=role_label,
                            key=forms.key(name, "role"))  # fmt: skip
        forms.field_problem(name, "role")
        active = st.checkbox(t("Active (may sign in and be chosen)"), value=bool(row.active),
                             key=forms.key(name, "active"))  # fmt: skip
        forms.field_problem(name, "active")
        submitted = st.form_submit_button(t("Save"), type="primary", icon=":material/save:")
        forms.message(name)
    if submitted:
        saved = forms.save(
            name, partial(managers.update_manager, name=full), manager_id=picked,
            expected_version=int(row.version), email=email, role=role, active=active,
        )  # fmt: skip
        if saved is not None:
            _done(t("{name} saved.", name=inert(saved.name)))


def reassign_form(people: pd.DataFrame, today: dt.date) -> None:
    """Move all or the chosen clients of one manager to another, with their plans from this
    month on."""
    viewer = frame.context().viewer
    owners = people[people["clients"] > 0]
    takers = people[people["active"] & people["role"].isin(roles_with(Capability.OWN_CLIENTS))]
    label = {int(r.manager_id): _person(r._asdict()) for r in people.itertuples()}
    name = "reassign"
    source = st.selectbox(t("From"), [int(i) for i in owners["manager_id"]], index=None, format_func=label.get,
                          key="reassign_from", placeholder=t("Choose"))  # fmt: skip
    if source is None:
        return
    portfolio = data.load(moves.portfolio_clients, viewer=viewer, manager_id=int(source))
    names = dict(
        zip(portfolio["client_id"], portfolio["code"] + " " + portfolio["name"], strict=True)
    )
    with st.form(forms.key(name, f"form_{source}"), border=False):
        target = st.selectbox(
            t("To"), [int(i) for i in takers["manager_id"] if i != source], index=None,
            format_func=label.get, key=forms.key(name, f"to_{source}"), placeholder=t("Choose"),
        )  # fmt: skip
        forms.field_problem(name, "to_manager_id", "from_manager_id")
        chosen = st.multiselect(
            t("Clients (none chosen: all {n})", n=len(portfolio)), list(names),
            format_func=names.get, key=forms.key(name, f"clients_{source}"), placeholder=t("All"),
        )  # fmt: skip
        forms.field_problem(name, "client_ids")
        st.caption(t("Sales already made stay credited to the manager who made them.") + " "
                   + t("Per-client plans from this month on move with the clients."))  # fmt: skip
        submitted = st.form_submit_button(t("Move the clients"), type="primary",
                                          icon=":material/move_down:")  # fmt: skip
        forms.message(name)
    if submitted:
        moved = forms.save(
            name, moves.reassign_clients, from_manager_id=int(source),
            to_manager_id=None if target is None else int(target),
            client_ids=[int(c) for c in chosen] or None, today=today,
        )  # fmt: skip
        if moved is not None:
            taker = people.loc[people["manager_id"] == target, "name"].iloc[0]
            _done(_moved_message(moved, to_name=taker, today=today))


def _moved_message(moved: moves.Reassignment, *, to_name: str, today: dt.date) -> str:
    n = len(moved.client_ids)
    clients = tn(
        "{n} client moved to {name}.", "{n} clients moved to {name}.", n, n=n, name=to_name
    )
    if not moved.plans_moved:
        return clients
    plans = tn(
        "{n} per-client plan from {month} on moved too.",
        "{n} per-client plans from {month} on moved too.",
        moved.plans_moved, n=moved.plans_moved, month=fmt.month(today),
    )  # fmt: skip
    return f"{clients} {plans}"


def delegate_form(people: pd.DataFrame, today: dt.date) -> None:
    """Give a manager's portfolio to another from one date to another."""
    active = people[people["active"]]
    givers = active[active["clients"] > 0]
    takers = active[active["role"].isin(roles_with(Capability.SUBSTITUTE))]
    label = {int(r.manager_id): _person(r._asdict()) for r in active.itertuples()}
    name = "delegate"
    with st.form(forms.key(name, "form"), border=False):
        left, right = st.columns(2)
        source = left.selectbox(t("Whose portfolio"), [int(i) for i in givers["manager_id"]], index=None,
                                format_func=label.get, key=forms.key(name, "from"))  # fmt: skip
        target = right.selectbox(t("To whom"), [int(i) for i in takers["manager_id"]], index=None,
                                 format_func=label.get, key=forms.key(name, "to"))  # fmt: skip
        forms.field_problem(name, "from_manager_id", "to_manager_id")
        start, end = st.columns(2)
        starts_on = start.date_input(t("From"), value=today, format=DAY_FORMAT,
                                     key=forms.key(name, "starts_on"))  # fmt: skip
        ends_on = end.date_input(t("To, inclusive"), value=today + dt.timedelta(days=13),
                                 format=DAY_FORMAT, key=forms.key(name, "ends_on"))  # fmt: skip
        forms.field_problem(name, "starts_on", "ends_on")
        reason = st.text_input(t("Reason (holiday, illness, trip)"), key=forms.key(name, "reason"))
        forms.field_problem(name, "reason")
        submitted = st.form_submit_button(t("Delegate"), type="primary",
                                          icon=":material/swap_horiz:")  # fmt: skip
        forms.message(name)
    if submitted:
        saved = forms.save(
            name, delegations.delegate, from_manager_id=None if source is None else int(source),
            to_manager_id=None if target is None else int(target), starts_on=starts_on,
            ends_on=ends_on, reason=reason, today=today,
        )  # fmt: skip
        if saved is not None:
            _done(t("Portfolio delegated."))


def delegation_list(today: dt.date) -> None:
    """Current and coming delegations (past ones on request), each with a cancel button."""
    viewer = frame.context().viewer
    past = st.toggle(t("Show past delegations"), key="delegations_past")
    rows = data.load(delegations.delegations, viewer=viewer, today=today, include_past=past)
    if rows.empty:
        st.info(t("No delegations."), icon=":material/info:")
        return
    for r in rows.itertuples():
        text, button = st.columns([5, 1], vertical_alignment="center")
        text.markdown(t(
            "**{giver}** → **{taker}**, {start} – {end} · {status}{reason}",
            giver=inert(r.from_name), taker=inert(r.to_name), start=fmt.date(r.starts_on),
            end=fmt.date(r.ends_on), status=t(r.status), reason=f" · {inert(r.reason)}" if r.reason else "",
        ))  # fmt: skip
        if r.status != "past" and button.button(
            t("Cancel"), key=f"cancel_delegation_{r.delegation_id}"
        ):
            done = forms.save(
                f"cancel_delegation_{r.delegation_id}",
                lambda session, **kw: delegations.cancel_delegation(session, **kw) or True,
                delegation_id=int(r.delegation_id), today=today,
            )  # fmt: skip
            if done:
                _done(t("Delegation cancelled."))
