"""The attention list of My desk: a short section per kind, each line a link to its client."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from kam.core import formatting as fmt
from kam.core.access import Capability
from kam.core.i18n import N_, t, tn
from kam.core.labels import claim_kind_label, contact_kind_label
from kam.portfolio.overview import silent_rule
from kam.ui import contact_form, frame
from kam.ui import language as ui_language
from kam.ui.widgets import inert

SHOWN = 6  # lines per section before the rest folds away: the list must read in one glance
FOLDED = 14  # more lines behind the fold; beyond that the section's own page lists them all
# Where each kind is listed in full.
FULL_LIST = {
    "overdue": "pages/receivables.py", "over_limit": "pages/receivables.py", "silent": "pages/clients.py",
    "contract": "pages/clients.py", "claim": "pages/claims.py", "planned": "pages/week.py",
    "next_step": "pages/week.py",
}  # fmt: skip

# Title, icon and how one line reads, per kind (in the urgency order of kam.portfolio.desk.KINDS).
SECTIONS: dict[str, tuple[str, str, Callable[[pd.Series], str]]] = {
    "overdue": (N_("Overdue debt"), ":material/payments:", lambda r: tn(
        "**{amount}** overdue · oldest {days} day past due",
        "**{amount}** overdue · oldest {days} days past due", r.days, amount=fmt.money(r.amount), days=r.days)),
    "over_limit": (N_("Over the credit limit"), ":material/credit_card_off:", lambda r: t(
        "**{amount}** over the limit · {use} of it used", amount=fmt.money(r.amount),
        use=fmt.percent(r.detail / 100))),
    "silent": (N_("Silent clients"), ":material/notifications_paused:", lambda r: tn(
        "no purchase for **{days} day** (since {day}) · {amount} in 12 months",
        "no purchase for **{days} days** (since {day}) · {amount} in 12 months", r.days, days=r.days,
        day=fmt.date(r.day), amount=fmt.money(r.amount))),
    "contract": (N_("Contracts ending soon"), ":material/contract:", lambda r: tn(
        "contract {no} ends **{day}**, in {days} day", "contract {no} ends **{day}**, in {days} days", r.days,
        no=inert(r.detail or ""), day=fmt.date(r.day), days=r.days)),
    "claim": (N_("Claims open too long"), ":material/report:", lambda r: tn(
        "{kind} claim open **{days} day** · {amount}", "{kind} claim open **{days} days** · {amount}", r.days, kind=claim_kind_label(str(r.detail)),
        days=r.days, amount=fmt.money(r.amount))),
    "planned": (N_("Planned contacts this week"), ":material/event:", lambda r: (t(
        "{kind} planned for {day}", kind=contact_kind_label(str(r.detail)), day=fmt.date(r.day))
        + (tn(" · **{days} day late**", " · **{days} days late**", r.days, days=r.days) if r.days > 0 else ""))),
    "next_step": (N_("Next steps past their date"), ":material/pending_actions:", lambda r: tn(
        "“{step}” was due {day} · **{days} day late**", "“{step}” was due {day} · **{days} days late**", r.days, step=inert(r.detail), day=fmt.date(r.day), days=r.days)),
}  # fmt: skip


def _line(
    row: pd.Series, describe: Callable[[pd.Series], str], show_manager: bool, kind: str
) -> None:
    link, text, act = st.columns([6, 14, 1], vertical_alignment="center")
    link.page_link(
        "pages/client.py", label=inert(f"{row.client_name} · {row.client_code}"),
        query_params=ui_language.params(client=row.client_code),
    )  # fmt: skip
    who = f" · {inert(row.manager_code)}" if show_manager else ""
    text.markdown(describe(row) + who)
    # One tap from the list to a contact form with the client filled in.
    if frame.context().viewer.may(Capability.WRITE) and act.button(
        "", icon=":material/edit_note:", key=f"log_{kind}_{row.Index}", help=t("Log a contact"),
        type="tertiary",
    ):  # fmt: skip
        contact_form.log_contact_dialog(row.client_code)


def render(items: pd.DataFrame, *, show_manager: bool) -> None:
    """Sections in urgency order; an empty section is left out, an empty list says so."""
    if items.empty:
        st.success(t("Nothing needs your attention today."), icon=":material/task_alt:")
        return
    for kind, (title, icon, describe) in SECTIONS.items():
        part = items[items["kind"] == kind]
        if part.empty:
            continue
        with st.container(border=True, key=f"attention_{kind}"):
            st.markdown(f"{icon} **{t(title)}** · {len(part)}")
            if kind == "silent":  # the same rule, and so the same clients, as the Clients page
                st.caption(t(silent_rule()))
            for row in part.head(SHOWN).itertuples():
                _line(row, describe, show_manager, kind)
            if len(part) > SHOWN:
                _folded(part, describe, show_manager, kind)


def _folded(part: pd.DataFrame, describe: Callable[[pd.Series], str], show_manager: bool,
            kind: str) -> None:
    # Drawn only once asked for: an expander draws its lines on every rerun even when closed,
    # and the lines are most of a warm desk's time (a columns row, a link and a button each).
    opened = f"attention_open_{kind}"
    if not st.session_state.get(opened):
        st.button(t("{n} more", n=len(part) - SHOWN), key=f"{opened}_more", type="tertiary",
                  icon=":material/expand_more:", on_click=st.session_state.__setitem__,
                  args=(opened, True))  # fmt: skip
        return
    for row in part.iloc[SHOWN : SHOWN + FOLDED].itertuples():
        _line(row, describe, show_manager, kind)
    if len(part) > SHOWN + FOLDED:
        st.page_link(FULL_LIST[kind], label=t("All {n}", n=len(part)), icon=":material/list:")
    st.button(t("Fewer"), key=f"{opened}_fewer", type="tertiary", icon=":material/expand_less:",
              on_click=st.session_state.__setitem__, args=(opened, False))  # fmt: skip
