"""Receivables: ageing per client and manager, over-limit clients, DSO and discipline by month."""

import pandas as pd
import streamlit as st

from kam import receivables, reports
from kam.charts import receivables as recv_charts
from kam.core import clock
from kam.core import formatting as fmt
from kam.core.i18n import N_, t
from kam.core.team import is_team, rows_of
from kam.portfolio import managers
from kam.ui import data, frame, memo, state, tables, widgets
from kam.ui.state import DAY_FORMAT
from kam.ui.tables import Col

AGEING = {  # the currency is in the headings: a dozen money columns must fit
    "outstanding": Col("Outstanding", "number"),
    "not_due": Col("Not due", "number"),
    "d1_30": Col("1–30 days", "number"),
    "d31_60": Col("31–60 days", "number"),
    "d61_90": Col("61–90 days", "number"),
    "d90_plus": Col("Over 90 days", "number", warn="positive"),
    "overdue": Col("Overdue", "number", warn="positive"),
}
CURRENCY = fmt.currency_symbol()  # ₽ in Russian, RUB in English
TOP = 60  # clients shown in the ageing grid until all are asked for


def heading(text: str) -> None:
    st.markdown(f"**{text}**")


def days(value: object) -> str:
    return fmt.DASH if pd.isna(value) else fmt.number(value, 1)


ctx = frame.context()
today = clock.today()

st.title(t("Receivables"))
left, right, _ = st.columns([1, 2, 3])
as_of = left.date_input(
    t("As of"), value=state.get("as_of", today, lambda s: state.day(s, latest=today)), max_value=today,
    key="url_as_of", format=DAY_FORMAT,
)  # fmt: skip
state.put("as_of", as_of.isoformat(), today.isoformat())
manager_id = widgets.manager_filter(where=right)
team = data.load(managers.managers, viewer=ctx.viewer)
code = dict(zip(team["manager_id"], team["code"], strict=True)).get(manager_id)
names = dict(zip(team["code"], team["name"], strict=True))

per_client = data.load(receivables.client_receivables, viewer=ctx.viewer, as_of=as_of)
per_manager = receivables.manager_totals(per_client)
totals = receivables.with_company_total(per_manager)
# The figures of the scope looked at: one manager's row, or the company's.
if code is not None:
    per_client = per_client[per_client["manager_code"] == code]
headline = rows_of(totals, code)

if per_client.empty:
    widgets.empty(
        "Nobody owes anything on this day.",
        N_("Receivables come from the invoices and payments imported from the ERP."),
    )
    st.stop()

h = headline.iloc[0]
for tile, label, value in zip(st.columns(4), (
    t("Outstanding"), t("Overdue"), t("Over 90 days past due"), t("Clients over limit"),
), (
    fmt.money_short(h["outstanding"]), fmt.money_short(h["overdue"]),
    fmt.money_short(h["d90_plus"]), fmt.number(h["over_limit_clients"]),
), strict=True):  # fmt: skip
    tile.metric(label, value, border=True)

chart_left, chart_right = st.columns(2)
with chart_left:
    heading(t("Ageing by manager, {currency}", currency=CURRENCY))
    memo.chart(recv_charts.ageing_by_manager, per_manager, names)
with chart_right:
    heading(t("DSO and payment discipline, last 12 month ends"))
    trend_slot = st.container()  # filled last: the trend is the slowest figure to compute

heading(t("By manager, {currency}", currency=CURRENCY))
shown = totals if code is None and ctx.viewer.sees_all else headline
shown = shown.assign(
    who=[
        t("Company") if team else names.get(c, c)
        for c, team in zip(shown["manager_code"], is_team(shown), strict=True)
    ]
)
tables.show(
    shown,
    {
        "who": Col("Manager"),
        **AGEING,
        "over_limit_clients": Col("Clients over limit", "number", warn="positive"),
    },
    key="by_manager",
)

over = per_client.loc[per_client["over_limit"].astype(bool)].sort_values(
    "credit_use_pct", ascending=False
)
heading(t("Over the credit limit, {currency}", currency=CURRENCY))
if over.empty:
    st.caption(t("No client is over its credit limit."))
else:
    tables.show(
        over,
        {
            "client_code": Col("Client", "client"), "client_name": Col("Name"), "manager_code": Col("Manager"),
            "outstanding": Col("Outstanding", "number", warn="positive"),
            "credit_limit": Col("Credit limit", "number"), "credit_use_pct": Col("Limit used", "pct"),
            "overdue": Col("Overdue", "number", warn="positive"),
        },
        key="over_limit", height=min(400, 38 + 35 * len(over)),
    )  # fmt: skip

heading(t("Ageing per client, largest overdue first, {currency}", currency=CURRENCY))
ranked = per_client.sort_values(["overdue", "outstanding"], ascending=False)
if len(ranked) > TOP and not st.toggle(
    t("Show all {n} clients", n=fmt.number(len(ranked))), key="all"
):
    ranked = ranked.head(TOP)  # a grid of hundreds of styled rows makes every rerun slow
tables.show(
    ranked,
    {
        "client_code": Col("Client", "client"), "client_name": Col("Name"), "manager_code": Col("Manager"), **AGEING,
        "credit_limit": Col("Credit limit", "number"), "credit_use_pct": Col("Limit used", "pct"),
        "over_limit": Col("Over limit", "flag", warn="true"),
    },
    key="per_client", height=460,
)  # fmt: skip
tables.export_buttons(
    per_client[reports.COLUMNS["receivables"]],
    f"receivables-{as_of.isoformat()}",
    where=st.container(width=360),
)

trend = data.load(receivables.collection_trend, viewer=ctx.viewer, as_of=as_of)
now = rows_of(trend, code)
last = now.iloc[-1] if not now.empty else {"dso": None, "avg_days_late": None}
with trend_slot:
    dso, late = st.columns(2)
    dso.metric(t("DSO, days"), days(last["dso"]))
    late.metric(t("Average days late, 12 months"), days(last["avg_days_late"]))
    memo.chart(recv_charts.collection_trend, now)
