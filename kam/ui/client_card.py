"""The header of Client 360: who the client is, the contract and the credit position."""

from __future__ import annotations

import streamlit as st

from kam.core import formatting as fmt
from kam.core.i18n import t, tn
from kam.portfolio.clients import ClientCard


def header(card: ClientCard) -> None:
    """Title, facts line and the six key figures of the client."""
    st.title(f"{card.name}")
    facts = [
        card.code,
        card.segment,
        card.region,
        t(card.status),
        t("manager {name}", name=card.manager_name),
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
            t("Contract {no}", no=card.contract_no or ""), fmt.date(card.contract_end), border=True,
            delta=tn("ends in {n} day", "ends in {n} days", left, n=left) if left >= 0 else t("expired"),
            delta_color="inverse" if left < 30 else "off", delta_arrow="off",
        )  # fmt: skip
    else:
        cols[4].metric(t("Contract"), t("none on file"), border=True)
    cols[5].metric(
        t("Payment terms"), tn("{n} day", "{n} days", card.payment_terms_days, n=card.payment_terms_days), border=True,
        delta=card.price_column, delta_color="off", delta_arrow="off",
    )  # fmt: skip
