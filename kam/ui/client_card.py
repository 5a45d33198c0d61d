"""The header of Client 360: who the client is, the contract and the credit position."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import streamlit as st

from kam.core import formatting as fmt
from kam.core.i18n import t, tn
from kam.portfolio.clients import ClientCard
from kam.ui.plain import inert


def header(card: ClientCard) -> None:
    """Title, facts line and the six key figures of the client."""
    st.title(inert(card.name), anchor=False)
    facts = [
        inert(card.code),
        inert(card.segment) if card.segment else None,
        inert(card.region) if card.region else None,
        t(card.status),
        t("manager {name}", name=inert(card.manager_name)),
    ]
    st.caption(" · ".join(f for f in facts if f))
    # Two rows of three: six figures side by side truncate on a laptop screen.
    cols = [*st.columns(3), *st.columns(3)]
    cols[0].metric(t("Outstanding"), fmt.money(card.outstanding), border=True)
    cols[1].metric(
        t("Overdue"), fmt.money(card.overdue), border=True,
        delta=t("overdue") if card.overdue > 0 else None, delta_color="inverse", delta_arrow="off",
    )  # fmt: skip
    limit = fmt.money(card.credit_limit) if card.credit_limit is not None else t("no limit")
    cols[2].metric(
        t("Credit limit"), limit, border=True,
        delta=t("{use} used", use=fmt.percent(card.credit_use_pct / 100)) if card.credit_use_pct is not None else None,
        delta_color="inverse" if card.over_limit else "off", delta_arrow="off",
    )  # fmt: skip
    late = (
        tn("{days} day", "{days} days", card.avg_days_late, days=fmt.number(card.avg_days_late, 1))
        if card.avg_days_late is not None
        else fmt.DASH
    )
    cols[3].metric(
        t("Pays late, on average"),
        late,
        border=True,
        help=t("Amount-weighted days past due, last 12 months"),
    )
    if card.contract_end is not None:
        left = card.contract_days_left
        cols[4].metric(
            t("Contract {no}", no=inert(card.contract_no or "")), fmt.date(card.contract_end), border=True,
            delta=tn("ends in {n} day", "ends in {n} days", left, n=left) if left >= 0 else t("expired"),
            delta_color="inverse" if left < 30 else "off", delta_arrow="off",
        )  # fmt: skip
    else:
        cols[4].metric(t("Contract"), t("none on file"), border=True)
    cols[5].metric(
        t("Payment terms"), tn("{n} day", "{n} days", card.payment_terms_days, n=card.payment_terms_days), border=True,
        delta=inert(card.price_column) if card.price_column else None, delta_color="off", delta_arrow="off",
    )  # fmt: skip


def _tel(phone: str) -> str | None:
    # A dialler wants digits and a leading plus; whatever else was typed stays in the label.
    digits = "".join(c for c in phone if c.isdigit())
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}" if digits else None


def _mailto(email: str) -> str | None:
    # Only a plain address becomes a link: anything else (spaces, a second address) is data
    # that would turn into a different link, so it is shown as text.
    address = email.strip()
    ok = address.count("@") == 1 and all(c.isalnum() or c in "@.-_+" for c in address)
    return f"mailto:{quote(address, safe='@.-_+')}" if ok else None


def contact_people(people: pd.DataFrame) -> None:
    """One card per contact person, the phone and e-mail as buttons a thumb can tap."""
    for row in people.itertuples():
        with st.container(border=True):
            st.markdown(f"**{inert(row.name)}**" + (f" · {inert(row.position)}" if given(row.position) else ""))
            with st.container(horizontal=True):
                for value, link, icon in (
                    (row.phone, _tel, ":material/call:"), (row.email, _mailto, ":material/mail:"),
                ):  # fmt: skip
                    if not given(value):
                        continue
                    url = link(str(value))
                    if url:
                        st.link_button(inert(value), url, icon=icon)
                    else:
                        st.text(str(value))


def given(value: object) -> bool:
    """A value that was typed: not missing, not empty."""
    return not fmt.missing(value) and bool(str(value).strip())
