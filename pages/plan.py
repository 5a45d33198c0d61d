"""Plan fulfilment: the three plans per manager and for the team, pacing, the clients behind."""

import pandas as pd
import streamlit as st

from kam import plans, reports
from kam.charts import plans as plan_charts
from kam.core import clock
from kam.core import formatting as fmt
from kam.core.i18n import t
from kam.core.labels import plan_metric_label
from kam.core.models import PLAN_METRICS
from kam.core.team import is_team
from kam.portfolio import managers
from kam.ui import data, frame, memo, state, tables, tiles, widgets
from kam.ui.tables import Col

CURRENCY = fmt.currency_symbol()  # ₽ in Russian, RUB in English


def show_metric(card: pd.DataFrame, metric: str, names: dict, *, selectable: bool = False):  # noqa: ANN201
    rows = plans.fulfilment_rows(card, metric)
    team = is_team(rows)
    rows["who"] = [
        t("Team") if m else names.get(c, c) for c, m in zip(rows["manager_code"], team, strict=True)
    ]
    kind = "number"  # the currency is in the heading: the wide table must fit
    # What the head scans first comes first: % of plan and whether the forecast reaches it.
    cols = {
        "who": Col("Manager"), "fulfilment_pct": Col("Fulfilment, %", "pct"),
        "forecast_vs_plan_pct": Col("Forecast vs plan", "pct"),
        # Painted only when the whole likely range falls short of the plan.
        "behind": Col("Behind plan", "flag", warn="true"),
        "fact": Col("Fact", kind), "plan": Col("Plan", kind), "forecast": Col("Forecast", kind),
        "gap": Col("Gap", kind), "required_daily_rate": Col("Needed a day", kind),
        "last_year_fact": Col("Last year", kind),
        "vs_last_year_pct": Col("vs last year", "pct", warn="negative"),
    }  # fmt: skip
    rows["behind"] = [
        None if pd.isna(p) else plans.plan_side(p, lo, hi) < 0
        for p, lo, hi in zip(rows["plan"], rows["forecast_low"], rows["forecast_high"], strict=True)
    ]
    # The forecast with its likely range, "≈ 315 (300–330)", as on every other screen.
    rows["forecast"] = [plans.forecast_text(metric, r) for _, r in rows.iterrows()]
    cols["forecast"] = Col(cols["forecast"].label)
    if metric != "revenue":  # clients come whole: how many more, not a fraction a day
        rows["required_daily_rate"] = [
            fmt.DASH if pd.isna(v) else fmt.number(v) for v in rows["still_needed"]
        ]
        cols["required_daily_rate"] = Col("Still needed")
    title = plan_metric_label(metric) + (f", {CURRENCY}" if metric == "revenue" else "")
    st.markdown(f"**{title}**")
    picked = tables.show(rows, cols, key=f"card_{metric}", selectable=selectable)
    # The picked row: a manager's code, or "" for the team row (no manager).
    if picked is None:
        return None
    return "" if team.iloc[picked] else rows["manager_code"].iloc[picked]


def headline_tiles(card: pd.DataFrame) -> None:
    """The team's (or the KAM's own) three plans: fact, forecast against plan, % and last year."""
    for col, metric in zip(st.columns(len(PLAN_METRICS)), PLAN_METRICS, strict=True):
        r = plans.fulfilment_rows(tiles.headline(card, frame.context().viewer), metric).iloc[0]
        value = fmt.money_short if metric == "revenue" else fmt.number
        ahead = r["forecast_vs_plan_pct"]
        with col.container(border=True):
            # Coloured only when the whole likely range is on one side of the plan.
            sure = plans.plan_side(r["plan"], r["forecast_low"], r["forecast_high"]) != 0
            st.metric(
                plan_metric_label(metric), value(r["fact"]),
                None if pd.isna(ahead) else t("{pct} forecast vs plan", pct=fmt.percent(ahead / 100)),
                delta_color="normal" if sure else "off",
            )  # fmt: skip
            st.caption(plans.forecast_text(metric, r))
            st.caption(
                t("{pct} of plan {plan} · last year {last}",
                  pct=fmt.DASH if pd.isna(r["fulfilment_pct"]) else fmt.percent(r["fulfilment_pct"] / 100),
                  plan=fmt.DASH if pd.isna(r["plan"]) else value(r["plan"]), last=value(r["last_year_fact"]))
            )  # fmt: skip


ctx = frame.context()
today = clock.today()

st.title(t("Plan fulfilment"))
period = widgets.period_picker(today)
as_of = plans.as_of_for(period, today)
cal = plans.calendar(period, as_of)
st.caption(
    t(
        "{period}, up to and including {day} · {elapsed} of {total} working days",
        period=widgets.period_label(period), day=fmt.date(as_of), elapsed=cal.elapsed, total=cal.total,
    )
)  # fmt: skip

scope = reports.Scope(as_of=as_of, period=period)
card = data.load(reports.plan_report, viewer=ctx.viewer, scope=scope)
team = data.load(managers.managers, viewer=ctx.viewer)
names = dict(zip(team["code"], team["name"], strict=True))
if card.empty:
    st.info(t("Nobody has sales or plans in this period."), icon=":material/info:")
    st.stop()
if card["plan"].isna().all():
    st.info(
        t("No plans are set for {period}. The head of sales sets them on the Plans page.",
          period=widgets.period_label(period)),
        icon=":material/info:",
    )  # fmt: skip

headline_tiles(card)
picked = show_metric(card, "revenue", names, selectable=ctx.viewer.sees_all)
# A row picked in the revenue table chooses whose clients and pacing to show (?manager=K01).
if picked is not None and picked != st.session_state.get("plan_picked"):
    st.session_state["plan_picked"] = picked
    state.put("manager", picked or None)
manager_rows = card[~is_team(card)]
ids = dict(zip(manager_rows["manager_code"], manager_rows["manager_id"], strict=True))
code = state.get("manager", "", state.one_of(ids)) if ctx.viewer.sees_all else next(iter(ids), "")
manager_id = int(ids[code]) if code in ids else None
who = widgets.inert(names.get(code, code)) if manager_id else t("the team")

chart_col, behind_col = st.columns(2)
with chart_col:
    pace = data.load(
        plans.pacing, viewer=ctx.viewer, period=period, as_of=as_of, manager_id=manager_id
    )
    st.markdown("**" + t("Revenue through the period: {who}", who=who) + "**")
    memo.chart(plan_charts.pacing, pace)
with behind_col:
    if manager_id is None:  # the team: the clients with a plan of their own
        st.markdown("**" + t("Client plans") + f", {CURRENCY}**")
        shown = data.load(plans.client_plans, viewer=ctx.viewer, period=period, as_of=as_of)
        cols = {"manager_code": Col("Manager"), "fact": Col("Fact", "number")}
        hint = t("Pick a manager's row in the revenue table to see the clients behind it.")
    else:  # one manager: every client behind the figures, with its plan where it has one
        st.markdown("**" + t("Clients behind the figures: {who}", who=who) + f", {CURRENCY}**")
        shown = data.load(
            plans.clients_behind, viewer=ctx.viewer, period=period, as_of=as_of,
            manager_id=manager_id,
        )  # fmt: skip
        cols = {"revenue": Col("Revenue", "number"), "active": Col("Active", "flag"),
                "new": Col("New", "flag")}  # fmt: skip
        hint = None
    tables.show(
        shown,
        {"client_code": Col("Client", "client"), "client_name": Col("Name"), **cols,
         "plan": Col("Client plan", "number"), "fulfilment_pct": Col("Fulfilment, %", "pct")},
        key="clients", height=320,
    )  # fmt: skip
    if hint:
        st.caption(hint)
    elif ctx.viewer.sees_all and st.button(t("Back to the team"), icon=":material/close:"):
        state.put("manager", None)
        st.rerun()
for metric in PLAN_METRICS[1:]:
    show_metric(card, metric, names)

# The export is the CLI's `report plan`: the same function, the same columns.
tables.export_buttons(
    card[reports.COLUMNS["plan"]], f"plan-{period.code}", where=st.container(width=360)
)
