"""The plan-setting widgets: the month in the URL, the managers × metrics grid (filled from last
month or last year +N %, saved in one go, problems next to their cells), per-client plans and
the read-only view of the plans for everyone but the head of sales."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from kam import plans
from kam.core import formatting as fmt
from kam.core import periods
from kam.core.access import Capability, roles_with
from kam.core.i18n import t
from kam.core.models import PLAN_METRICS
from kam.core.validation import ValidationError
from kam.plans import client_plan_setting, plan_setting
from kam.portfolio import managers
from kam.ui import data, forms, frame, state, tables
from kam.ui.tables import Col

FORM = "plans"
CLIENT_FORM = "client_plans"
PROBLEM = "problem"
MONTHS_BACK, MONTHS_AHEAD = 12, 6


def default_month(today: dt.date) -> dt.date:
    """The month a head usually sets: next month after the 20th, else this one."""
    return periods.add_months(today, 1 if today.day > 20 else 0)


def _month_code(day: dt.date) -> str:
    return periods.month_of(day).code


def month_picker(today: dt.date, *, where: Any = st) -> dt.date:
    """A month select kept in the URL as ``?month=YYYY-MM``; returns the month's first day."""
    this = periods.add_months(today, 0)
    months = [periods.add_months(this, k) for k in range(MONTHS_AHEAD, -MONTHS_BACK - 1, -1)]
    codes = [_month_code(m) for m in months]
    asked = state.get("month", None, lambda c: _month_code(state.period(c).start))
    if asked and asked not in codes:
        codes.append(asked)  # an older link still opens its month
    default = _month_code(default_month(today))
    code = state.select(
        t("Month"), codes, param="month", default=default,
        format_func=lambda c: fmt.month(periods.parse(c).start), where=where,
    )  # fmt: skip
    return periods.parse(code or default).start


def _pinned(slot: str, load: Any, editor_key: str) -> pd.DataFrame:
    """The grid the edits apply to, kept while the user edits so the versions it carries are
    those the user saw (a change by someone else meanwhile then shows as a conflict)."""
    version = frame.context().data_version
    pinned = st.session_state.get(slot)
    edits = (st.session_state.get(editor_key) or {}).get("edited_rows")
    if pinned is None or (pinned["version"] != version and not edits and not pinned["filled"]):
        pinned = {"grid": load(), "version": version, "filled": None}
        st.session_state[slot] = pinned
    return pinned


def _base_slot(month: dt.date) -> str:
    return f"_plans_base_{month.isoformat()}"


def _fill(month: dt.date, grid: pd.DataFrame, how: str) -> None:
    """Replace the grid with proposed values (unsaved); a new editor drops the old edits."""
    st.session_state[_base_slot(month)] = {
        "grid": grid,
        "version": frame.context().data_version,
        "filled": how,
    }
    forms.reset(FORM)


def fill_buttons(month: dt.date) -> None:
    """ "Copy last month" and "Last year +N %": fill the grid, to be checked and saved."""
    viewer = frame.context().viewer
    bar = st.container(horizontal=True, vertical_alignment="bottom", key="plan_fill")
    bar.button(
        t("Copy last month"), icon=":material/content_copy:", key="plan_copy",
        on_click=forms.record_click, args=("plan_copy",),
    )  # fmt: skip
    if forms.clicked("plan_copy"):
        _fill(month, data.load(plan_setting.copy_last_month, viewer=viewer, month=month),
              t("Filled from last month's plans"))  # fmt: skip
    growth = bar.number_input(
        t("Growth, %"), value=5.0, step=1.0, format="%.1f", key="plan_growth", width=140
    )
    step = bar.selectbox(
        t("Round revenue to, RUB"), plan_setting.ROUNDING_STEPS, format_func=fmt.number,
        key="plan_rounding", width=180,
    )  # fmt: skip
    bar.button(
        t("Last year +{pct} %", pct=fmt.number(growth, 1)), icon=":material/trending_up:",
        key="plan_last_year", on_click=forms.record_click, args=("plan_last_year",),
    )  # fmt: skip
    if forms.clicked("plan_last_year"):
        try:
            grid = data.load(
                plan_setting.last_year_plus, viewer=viewer, month=month, growth_pct=growth,
                step=step,
            )
        except ValidationError as exc:  # growth of -100 % or less
            st.error(" ".join(t(problem) for problem in exc.problems.values()))
        else:
            _fill(
                month, grid, t("Filled from last year's facts +{pct} %", pct=fmt.number(growth, 1))
            )


def _problems_by(problems: dict[str, str], keys: pd.Series, fields: list[str]) -> pd.Series:
    """Per row, the problems of its cells joined, for the column next to them."""
    return keys.map(
        lambda k: " · ".join(t(problems[f]) for f in (x.format(k) for x in fields) if f in problems)
    ).astype("string")


def _number(label: str, *, money: bool = False) -> Any:
    # No min_value: a negative typed value must reach the validation and be explained there.
    return st.column_config.NumberColumn(
        t(label), step=0.01 if money else 1, format="localized", width="medium"
    )


def editor(month: dt.date) -> pd.DataFrame:
    """The managers × metrics grid of ``month``; returns it as edited (not saved)."""
    viewer = frame.context().viewer
    key = forms.key(FORM, f"grid_{month.isoformat()}")
    pinned = _pinned(
        _base_slot(month),
        lambda: data.load(plan_setting.plan_grid, viewer=viewer, month=month),
        key,
    )
    if pinned["filled"]:
        st.info(pinned["filled"] + " — " + t("not saved yet."), icon=":material/edit:")
    view = pinned["grid"].copy()
    view["revenue"] = pd.to_numeric(view["revenue"], errors="coerce").astype("float64")
    for metric in plan_setting.WHOLE_METRICS:
        view[metric] = pd.to_numeric(view[metric], errors="coerce").astype("Int64")
    problems = forms.problems(FORM)
    view[PROBLEM] = _problems_by(problems, view["manager_id"], [f"{{}}.{m}" for m in PLAN_METRICS])
    order = ["manager_code", "manager_name", *PLAN_METRICS]
    return st.data_editor(
        view, key=key, hide_index=True, num_rows="fixed", width="stretch",
        column_order=order + ([PROBLEM] if problems else []),
        disabled=["manager_code", "manager_name", PROBLEM],
        column_config={
            "manager_code": st.column_config.TextColumn(t("Code"), width="small"),
            "manager_name": st.column_config.TextColumn(t("Manager")),
            "revenue": _number("Revenue", money=True),
            "active_clients": _number("Active clients"),
            "new_clients": _number("New clients"),
            PROBLEM: st.column_config.TextColumn(t("Problem"), width="large"),
        },
    )  # fmt: skip


def _problem_list(name: str) -> None:
    """After a failed save: what to fix, also listed under the grid (on a phone the Problem
    column is far to the right)."""
    found = forms.problems(name)
    if not found:
        return
    st.error(t("Not saved: please correct the marked cells."), icon=":material/error:")
    for message in found.values():
        st.markdown(f":red[{t(message)}]")


def save_button(month: dt.date, edited: pd.DataFrame) -> None:
    """Save the grid; problems show in the grid's Problem column, a conflict names the change."""
    st.button(
        t("Save plans"), type="primary", icon=":material/save:", key="plans_save",
        on_click=forms.record_click, args=("plans_save",),
    )  # fmt: skip
    if forms.clicked("plans_save"):
        changed = forms.save(
            FORM, plan_setting.set_plans, month=month, targets=plan_setting.grid_targets(edited)
        )
        if changed is not None:
            st.session_state.pop(_base_slot(month), None)
            st.session_state["_toast"] = t("Plans saved: {n} changed.", n=changed)
            st.rerun()
        if forms.problems(FORM):
            st.rerun()  # the grid above was drawn before the save: draw it with its problems
    _problem_list(FORM)
    if forms.conflict(FORM):
        st.button(
            t("Load the plans as saved now"), icon=":material/refresh:", key="plan_reload",
            on_click=forms.record_click, args=("plan_reload",),
        )  # fmt: skip
    if forms.clicked("plan_reload"):
        st.session_state.pop(_base_slot(month), None)
        forms.reset(FORM)
        st.rerun()


def _typed(value: object) -> str:
    """A per-client plan as the grid shows it: the plain amount, blank for none."""
    if value is None or fmt.missing(value) or not str(value).strip():
        return ""
    text = str(value).strip()
    return text[:-3] if text.endswith(".00") else text


def client_plans(month: dt.date) -> None:
    """Optional revenue plans per client of one manager (blank = no plan)."""
    viewer = frame.context().viewer
    team = data.load(managers.managers, viewer=viewer)
    names = dict(zip(team["manager_id"], team["name"], strict=True))
    mid = st.selectbox(
        t("Manager"), list(names), format_func=lambda i: names[i], key="client_plans_manager"
    )
    if mid is None:
        return
    slot = f"_client_plans_base_{month.isoformat()}_{mid}"
    key = forms.key(CLIENT_FORM, f"grid_{month.isoformat()}_{mid}")
    pinned = _pinned(
        slot,
        lambda: data.load(
            client_plan_setting.client_plan_grid, viewer=viewer, month=month, manager_id=mid
        ),
        key,
    )
    base = pinned["grid"].copy()
    # As text, blank for no plan: the grid draws an empty number cell as "None". The checker
    # reads what was typed ("1 500 000", "1500000,50") as it does in every form.
    base["target"] = [_typed(v) for v in base["target"]]
    problems = forms.problems(CLIENT_FORM)
    base[PROBLEM] = _problems_by(problems, base["client_id"], ["client.{}"])
    edited = st.data_editor(
        base, key=key, hide_index=True, num_rows="fixed", width="stretch", height=400,
        column_order=["client_code", "client_name", "target"] + ([PROBLEM] if problems else []),
        disabled=["client_code", "client_name", PROBLEM],
        column_config={
            "client_code": st.column_config.TextColumn(t("Code"), width="small"),
            "client_name": st.column_config.TextColumn(t("Client")),
            "target": st.column_config.TextColumn(t("Revenue plan"), width="medium"),
            PROBLEM: st.column_config.TextColumn(t("Problem"), width="large"),
        },
    )  # fmt: skip
    st.button(
        t("Save client plans"), icon=":material/save:", key="client_plans_save",
        on_click=forms.record_click, args=("client_plans_save",),
    )  # fmt: skip
    if forms.clicked("client_plans_save"):
        # Only the rows the user changed: an untouched row never conflicts with someone else.
        same = edited["target"].map(_typed).eq(base["target"])
        targets = client_plan_setting.client_grid_targets(edited[~same.fillna(False)])
        changed = forms.save(
            CLIENT_FORM, client_plan_setting.set_client_plans, month=month, targets=targets
        )
        if changed is not None:
            st.session_state.pop(slot, None)
            st.session_state["_toast"] = t("Client plans saved: {n} changed.", n=changed)
            st.rerun()
        if forms.problems(CLIENT_FORM):
            st.rerun()
    _problem_list(CLIENT_FORM)


def read_only(month: dt.date) -> None:
    """The month's plans per manager as a table, for those who do not set them."""
    viewer = frame.context().viewer
    targets = data.load(plans.plan_targets, viewer=viewer, period=periods.month_of(month))
    team = data.load(managers.managers, viewer=viewer, roles=roles_with(Capability.OWN_CLIENTS))
    rows = [
        {"manager": name, **{m: targets.get((mid, m)) for m in PLAN_METRICS}}
        for mid, name in zip(team["manager_id"], team["name"], strict=True)
        if any((mid, m) in targets for m in PLAN_METRICS)
    ]
    if not rows:
        st.info(t("No plans are set for {month} yet.", month=fmt.month(month)))
        return
    tables.show(pd.DataFrame(rows), {
        "manager": Col("Manager"), "revenue": Col("Revenue", "money"),
        "active_clients": Col("Active clients", "number"), "new_clients": Col("New clients", "number"),
    }, key="plans_read_only")  # fmt: skip
