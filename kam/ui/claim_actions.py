"""Moving a claim through its workflow: in progress, resolved or rejected, or reopened."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from kam.activities import claims, root_causes
from kam.core import formatting as fmt
from kam.core.i18n import t
from kam.core.labels import claim_kind_label, claim_status_label, root_cause_label
from kam.ui import data, forms, frame
from kam.ui.widgets import inert


def move_form(claim_id: int) -> bool:
    """The form that moves claim ``claim_id``; True once saved."""
    name = f"claim_move_{claim_id}"
    # The claim as it was when this person started editing: its version is what the save
    # expects, so a change saved meanwhile by someone else is reported, not silently overwritten.
    base = forms.key(name, "base")
    if base not in st.session_state:
        st.session_state[base] = data.load_fresh(
            claims.claim_for_edit, viewer=frame.context().viewer, claim_id=claim_id
        )
    claim = st.session_state[base]
    st.markdown(
        t("**{client}** · {kind} · opened {day} · now **{status}**",
          client=inert(claim["client_name"]), kind=claim_kind_label(claim["kind"]),
          day=fmt.date(claim["opened_on"]), status=claim_status_label(claim["status"]))
    )  # fmt: skip
    if claim.get("description"):
        st.caption(inert(claim["description"]))
    moves = claims.allowed_moves(claim["status"])
    with st.form(forms.key(name, "form"), border=False):
        target = st.segmented_control(
            t("Move to"), moves, format_func=claim_status_label, key=forms.key(name, "to_status")
        )
        forms.field_problem(name, "to_status")
        causes = {c: root_cause_label(c, lbl) for c, lbl, _ in data.load(root_causes.root_causes)}
        current = claim.get("root_cause_code")
        root_cause = st.selectbox(
            t("Root cause"), list(causes), format_func=causes.__getitem__,
            index=list(causes).index(current) if current in causes else None,
            placeholder=t("Pick from the list"), key=forms.key(name, "root_cause"),
        )  # fmt: skip
        forms.field_problem(name, "root_cause")
        other = st.text_input(
            t("If “Other”: what was it?"), value=claim.get("root_cause") or "",
            key=forms.key(name, "root_cause_other"),
        )  # fmt: skip
        forms.field_problem(name, "root_cause_other")
        resolution = st.text_area(
            t("Resolution"),
            value=claim.get("resolution") or "",
            height=80,
            key=forms.key(name, "resolution"),
        )
        forms.field_problem(name, "resolution")
        justified = st.radio(
            t("Was the claim justified?"), [True, False], index=None, horizontal=True,
            format_func=lambda v: t("Yes") if v else t("No"), key=forms.key(name, "justified"),
        )  # fmt: skip
        forms.field_problem(name, "justified")
        reason = ""
        if claim["status"] in claims.CLOSED:
            reason = st.text_input(t("Why reopen it?"), key=forms.key(name, "reason"))
            forms.field_problem(name, "reason")
        forms.field_problem(name, "closed_on")
        submitted = st.form_submit_button(t("Save"), type="primary", width="stretch")
        forms.message(name)
    saved = submitted and forms.save(
        name, claims.move_claim, claim_id=claim_id, expected_version=int(claim["version"]),
        to_status=target, root_cause=root_cause, root_cause_other=other or None,
        resolution=resolution or None,
        justified=justified, reason=reason or None,
    ) is not None  # fmt: skip
    clash = forms.conflict(name)
    if clash is not None:
        st.markdown(t("**Saved meanwhile by someone else:**"))
        fields = ("status", "root_cause_code", "root_cause", "resolution", "justified", "closed_on")
        st.dataframe(pd.DataFrame([{f: clash.current.get(f) for f in fields}]), hide_index=True)
        if st.button(t("Start again from their version")):
            forms.reset(name)
            st.rerun(scope="fragment")
    return saved


@st.dialog(t("Move the claim"))
def move_dialog(claim_id: int) -> None:
    """The move form in a dialog; closes once saved."""
    if move_form(claim_id):
        st.session_state["_toast"] = t("Claim updated.")
        st.rerun()


def readable(listed: pd.DataFrame) -> pd.DataFrame:
    """Claims of claim_figures.claim_list with ``root_cause`` and ``quantity`` as people read
    them: the cause's name ("Other: …" with its text) and the quantity with its unit."""
    def cause(row: pd.Series) -> str:
        code = row["root_cause_code"]
        if not isinstance(code, str):
            return ""
        name = root_cause_label(code, row["root_cause_label"])
        text = row["root_cause"]
        return f"{name}: {text}" if isinstance(text, str) and text else name

    def quantity(row: pd.Series) -> str:
        if pd.isna(row["qty"]):
            return ""
        unit = row["unit"] if isinstance(row["unit"], str) else ""
        qty = Decimal(str(row["qty"]))
        places = min(3, max(0, -int(qty.normalize().as_tuple().exponent)))  # 2.500 → 2.5
        return f"{fmt.number(qty, places)} {unit}".strip()

    if listed.empty:
        return listed.assign(root_cause=pd.Series(dtype=str), quantity=pd.Series(dtype=str))
    return listed.assign(
        root_cause=listed.apply(cause, axis=1),
        quantity=listed.apply(quantity, axis=1),
        product_name=listed["product_name"].fillna(""),
    )
