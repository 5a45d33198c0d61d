"""Claims and returns: the claim log with its figures and Pareto; returns and refusals by reason,
client and category."""

import streamlit as st

from kam import sales
from kam.activities import claim_figures, root_causes
from kam.charts import claims as charts
from kam.charts import sales as sales_charts
from kam.core import clock, config, labels, periods
from kam.core import formatting as fmt
from kam.core.i18n import N_, t, tn
from kam.core.models import CLAIM_KINDS, CLAIM_STATUSES
from kam.ui import claim_actions, data, frame, memo, root_cause_list, state, widgets
from kam.ui.tables import Col, export_buttons, show

ctx = frame.context()
today = clock.today()
TOP_CLIENTS = 50  # a longer list is noise here, and each row costs rerun time


title, pick = st.columns([3, 1], vertical_alignment="bottom")
title.title(t("Claims and returns"))
manager_id = widgets.manager_filter(where=pick) if ctx.viewer.sees_all else None

status, kind, search, start, end = st.columns([2, 2.5, 2, 1.5, 1.5])
filters = {
    "statuses": state.multiselect(t("Status"), list(CLAIM_STATUSES), param="status",
                                  where=status, format_func=labels.claim_status_label),
    "kinds": state.multiselect(t("Kind"), list(CLAIM_KINDS), param="kind", where=kind,
                               format_func=labels.claim_kind_label),
    "search": state.text(t("Client"), param="q", where=search, placeholder=t("Code or name")),
    "date_from": state.day_input(t("Opened from"), param="from", where=start),
    "date_to": state.day_input(t("Opened to"), param="to", where=end),
    "manager_id": manager_id,
}  # fmt: skip

summary = data.load(claim_figures.claim_summary, viewer=ctx.viewer, as_of=today, **filters)
tiles = st.columns(4)
for col, (label, value, note) in zip(tiles, [
    (t("Open claims"), fmt.number(summary.open), t("worth {amount}", amount=fmt.money(summary.open_amount))),
    (tn("Open longer than {n} day", "Open longer than {n} days", config.settings().claim_alert_days,
        n=config.settings().claim_alert_days), fmt.number(summary.late),
     t("need an answer now")),
    (t("Justified, of closed"), fmt.percent(None if summary.justified_pct is None else summary.justified_pct / 100),
     tn("{n} of {m} closed claim", "{n} of {m} closed claims", summary.closed, n=summary.justified,
        m=summary.closed)),
    (t("Days to resolve, average"), fmt.number(summary.avg_days_to_resolve, 1),
     tn("{n} claim, {amount} in all", "{n} claims, {amount} in all", summary.claims, n=summary.claims,
        amount=fmt.money(summary.amount))),
], strict=True):  # fmt: skip
    with col.container(border=True):
        st.metric(label, value)
        st.caption(note)

if summary.claims == 0:
    widgets.empty(
        "No claims match these filters.",
        N_("Clear a filter above; claims appear here as soon as a KAM logs one for a client."),
    )
else:
    by_kind, by_cause = st.columns(2)
    for where, by, heading in [
        (by_kind, "kind", N_("By kind")),
        (by_cause, "root_cause", N_("By root cause")),
    ]:
        pareto = data.load(claim_figures.claims_pareto, viewer=ctx.viewer, by=by, **filters)
        if by == "root_cause":
            causes = data.load(root_causes.root_causes, active_only=False)
            names = {c: labels.root_cause_label(c, lbl) for c, lbl, _ in causes}
            pareto = pareto.assign(key=pareto["key"].replace(names))
        with where:
            st.subheader(t(heading))
            if pareto.empty:
                widgets.empty(
                    "No root cause yet: it is written when a claim is resolved or rejected."
                )
            else:
                memo.chart(charts.pareto, pareto, by=by, measure="amount")

    st.subheader(t("Claims"))
    log = data.load(claim_figures.claim_list, viewer=ctx.viewer, as_of=today, **filters)
    shown = claim_actions.readable(log).assign(
        kind=log["kind"].map(labels.claim_kind_label),
        status=log["status"].map(labels.claim_status_label),
        justified=log["justified"].map({True: t("yes"), False: t("no")}).fillna(""),
        late=log["late"].map({True: t("yes"), False: ""}),
    )
    columns = {
        "opened_on": Col("Opened", "date"), "client_code": Col("Client", "client"),
        "client_name": Col("Name"), "manager_code": Col("Handled by"), "kind": Col("Kind"),
        "amount": Col("Amount", "money"), "status": Col("Status"),
        "age_days": Col("Days open / to resolve", "number"), "late": Col("Late", warn="true"),
        "justified": Col("Justified"), "root_cause": Col("Root cause"),
        "product_name": Col("Product"), "quantity": Col("Quantity"),
    }  # fmt: skip
    show(shown, columns, key="claims_table", height=420)
    with st.sidebar:
        st.caption(t("Export the filtered claims"))
        export_buttons(
            log.drop(columns=["claim_id", "version", "client_id", "manager_id"]), "claims",
            labels=columns,
        )

root_cause_list.manage()
st.divider()
head, choose = st.columns([3, 1], vertical_alignment="bottom")
head.header(t("Returns and refusals"))
this_year = periods.year_of(today)
choices = [this_year.code, periods.quarter_of(today).code, periods.month_of(today).code,
           this_year.year_before().code]  # fmt: skip
chosen = state.select(t("Period"), choices, param="period", default=choices[0], where=choose,
                      format_func=lambda code: widgets.period_label(periods.parse(code)))  # fmt: skip
period = periods.parse(chosen or choices[0])
reasons = data.load(
    sales.returns_by_reason, viewer=ctx.viewer, period=period, manager_id=manager_id
)
if reasons.empty:
    widgets.empty(
        "No returns or refusals in this period.",
        N_("They come with the sales lines of the ERP import; choose another period above."),
    )
    st.stop()
by_reason, by_category = st.columns(2)
with by_reason:
    st.subheader(t("By reason"))
    memo.chart(sales_charts.returns_by_reason, reasons)
with by_category:
    st.subheader(t("By category"))
    rates = data.load(
        sales.returns_rates, viewer=ctx.viewer, period=period, by="category", manager_id=manager_id
    )
    memo.chart(charts.returns_rate_by_category, rates)
st.subheader(t("By client"))
st.caption(t("The {n} clients with the largest returns and refusals", n=TOP_CLIENTS))
returns = data.load(
    sales.returns_by_client, viewer=ctx.viewer, period=period, manager_id=manager_id,
    limit=TOP_CLIENTS,
)  # fmt: skip
show(returns, {
    "client_code": Col("Client", "client"), "client_name": Col("Name"),
    "returns": Col("Returns", "money"), "refusals": Col("Refusals", "money"),
    "returns_rate_pct": Col("Returned / gross, %", "pct"), "gross": Col("Gross sales", "money"),
}, key="returns_by_client", height=360)  # fmt: skip
