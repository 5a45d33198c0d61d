"""The plan slides of the weekly review as words: the team plan, one slide per KAM, next week."""

from __future__ import annotations

from typing import Any

import pandas as pd

from kam.charts import review as review_charts
from kam.core import formatting as fmt
from kam.core import periods
from kam.core.i18n import t
from kam.core.labels import no_plan_label, plan_metric_label
from kam.core.team import is_team
from kam.plans import forecast_text
from kam.review.layout import BAD, GOOD, Chart, Row, SlideView, Tile, Tiles, table
from kam.review.plan_figures import ManagerReview, NextWeek, TeamPlan
from kam.review.scope import ReviewWeek
from kam.review.slide_text import (
    METRICS,
    metric_value,
    missing,
    pct,
    range_tone,
    week_subtitle,
)


def _closed_line(week: ReviewWeek, closed: Any, metric: str) -> str:
    """The month just closed, final, as one line: "November final 1.2M · 98% of plan"."""
    month = week.closed_month
    assert month is not None
    if closed is None:
        return t("{month} final: no figures", month=fmt.month(month.start))
    if missing(closed.plan):
        share = no_plan_label(in_sentence=True)
    elif missing(closed.fulfilment_pct):  # a plan of 0
        share = t("plan {plan}", plan=metric_value(metric, closed.plan))
    else:
        share = t("{pct} of plan", pct=pct(closed.fulfilment_pct))
    return t(
        "{month} final {fact} · {share}",
        month=fmt.month(month.start), fact=metric_value(metric, closed.fact), share=share,
    )  # fmt: skip


def _plan_tile(
    row: Any,
    metric: str,
    gap_then: Any = None,
    with_gap: bool = False,
    *,
    week: ReviewWeek | None = None,
    closed: dict[str, Any] | None = None,
) -> Tile:
    """One plan's tile; with ``closed`` (the month just closed, by metric) a last line for it."""
    tile = _month_tile(
        row, metric, gap_then, with_gap, new_month=week is not None and week.new_month
    )
    if week is None or closed is None:
        return tile
    return Tile(tile.label, tile.value, (*tile.lines, _closed_line(week, closed.get(metric), metric)), tile.tone)  # fmt: skip


def _month_tile(
    row: Any, metric: str, gap_then: Any = None, with_gap: bool = False, new_month: bool = False
) -> Tile:
    label = plan_metric_label(metric)
    if row is None:
        return Tile(label, fmt.DASH)
    lines = []
    if missing(row.plan):
        lines.append(no_plan_label())
    else:
        lines.append(t("{pct} of plan {plan}", pct=pct(row.fulfilment_pct), plan=metric_value(metric, row.plan)))  # fmt: skip
    lines.append(
        t(
            "Forecast {forecast} ({pct})",
            forecast=forecast_text(metric, row),
            pct=pct(row.forecast_pct),
        )  # fmt: skip
    )
    if with_gap and not missing(row.plan) and new_month:
        lines.append(t("Gap {now} · new month", now=metric_value(metric, row.gap)))
    elif with_gap and not missing(row.plan):
        lines.append(
            t(
                "Gap {now} · a week ago {then}",
                now=metric_value(metric, row.gap),
                then=metric_value(metric, gap_then),
            )  # fmt: skip
        )
    else:
        lines.append(t("Last year {value}", value=metric_value(metric, row.last_year_fact)))
    return Tile(label, metric_value(metric, row.fact), tuple(lines), range_tone(row))


def _rows_by_metric(card: pd.DataFrame) -> dict[str, Any]:
    return {r.metric: r for r in card.itertuples()}


def team_slide(week: ReviewWeek, plan: TeamPlan) -> SlideView:
    """The team's three plans, the pacing chart and each manager's fulfilment."""
    card = plan.scorecard
    team = card[is_team(card)]
    headline = _rows_by_metric(team if not team.empty else card)
    closed = None
    if plan.closed is not None:
        closed_team = plan.closed[is_team(plan.closed)]
        closed = _rows_by_metric(closed_team if not closed_team.empty else plan.closed)
    per = {}
    for r in card[~is_team(card)].itertuples():
        per.setdefault(r.manager_code, {})[r.metric] = r
    rows, tones = [], []
    for code, by in per.items():
        rev = by.get("revenue")
        rows.append(
            (
                plan.names.get(code, code),
                metric_value("revenue", rev.fact),
                pct(rev.fulfilment_pct),
                pct(rev.forecast_pct),
                metric_value("active_clients", by["active_clients"].fact),
                metric_value("new_clients", by["new_clients"].fact),
            )
        )
        tones.append(range_tone(rev))
    per_manager = table(
        t("Managers"),
        [t("Manager"), t("Revenue"), t("Of plan"), t("Forecast"), t("Active"), t("New")],
        rows, "lrrrrr", tones=tones, tone_col=3, widths=(2.6, 1.9, 1.4, 1.5, 1.2, 1),
    )  # fmt: skip
    return SlideView(
        key="team",
        title=(
            t("Team plan · {month}", month=fmt.month(week.month.start)) if plan.own is None
            else t("{name}: plan · {month}", name=plan.own, month=fmt.month(week.month.start))
        ),
        subtitle=week_subtitle(week),
        rows=(
            Row(((Tiles(tuple(_plan_tile(headline.get(m), m, week=week, closed=closed) for m in METRICS)), 1),)),
            Row(
                (
                    (Chart(t("Revenue against the plan line"), review_charts.pacing(plan.pacing)), 1),
                    (per_manager, 1),
                ),
                grow=True,
            ),
        ),
    )  # fmt: skip


def manager_slide(week: ReviewWeek, m: ManagerReview) -> SlideView:
    """One KAM: the three plans with the gap a week ago, debt, claims, contacts, pacing."""
    by = _rows_by_metric(m.scorecard)
    then = {r.metric: r.gap_then for r in m.gaps.itertuples()}
    closed = None if m.closed is None else _rows_by_metric(m.closed)
    plan_tiles = tuple(
        _plan_tile(by.get(x), x, then.get(x), with_gap=True, week=week, closed=closed)
        for x in METRICS
    )
    risk = (
        Tile(
            t("Overdue debt"),
            fmt.money_short(m.overdue),
            (t("of {total} outstanding", total=fmt.money_short(m.outstanding)),),
            BAD if m.overdue > 0 else GOOD,
        ),
        Tile(
            t("Clients over their limit"),
            fmt.number(m.over_limit_clients),
            (),
            BAD if m.over_limit_clients else GOOD,
        ),
        Tile(
            t("Open claims"),
            fmt.number(m.open_claims),
            (t("worth {amount}", amount=fmt.money_short(m.open_claims_amount)),),
            BAD if m.open_claims else GOOD,
        ),
        Tile(
            t("Contacts this week"),
            fmt.number(m.contacts_done),
            (
                t("done, against {planned} planned", planned=fmt.number(m.contacts_planned)),
                t("{done} of the planned ones done", done=fmt.number(m.planned_done)),
            ),
            GOOD if m.planned_done == m.contacts_planned else "",
        ),
    )
    over = table(
        t("Over the credit limit"),
        [t("Client"), t("Debt"), t("Limit")],
        [
            (r.client_name, fmt.money_short(r.outstanding), fmt.money_short(r.credit_limit))
            for r in m.over_limit.itertuples()
        ],
        "lrr",
        widths=(2.5, 1.6, 1.4),
        empty=t("No client is over its limit."),
        limit=5,
    )
    return SlideView(
        key=f"manager-{m.code}",
        title=f"{m.name} ({m.code})",
        subtitle=week_subtitle(week),
        rows=(
            Row(((Tiles(plan_tiles), 1),)),
            Row(((Tiles(risk), 1),)),
            Row(
                ((Chart(t("Revenue against the plan line"), review_charts.pacing(m.pacing)), 3), (over, 2)),
                grow=True,
            ),
        ),
    )  # fmt: skip


def next_week_slide(week: ReviewWeek, nw: NextWeek) -> SlideView:
    """Contacts planned for next week against the A-client coverage target."""
    per = nw.per_manager
    planned, a_total = int(per["planned"].sum()), int(per["a_clients"].sum())
    a_planned, a_unplanned = int(per["a_planned"].sum()), int(per["a_unplanned"].sum())
    tiles = (
        Tile(t("Contacts planned"), fmt.number(planned), (t("for the whole week"),)),
        Tile(
            t("A clients with a contact planned"),
            fmt.number(a_planned),
            (t("of {n} A clients", n=fmt.number(a_total)),),
            GOOD if a_unplanned == 0 else "",
        ),
        Tile(
            t("A clients with nothing planned"),
            fmt.number(a_unplanned),
            (
                t(
                    "{n} of them past the {days}-day target",
                    n=fmt.number(len(nw.unplanned)),
                    days=nw.target_days,
                ),
            ),  # fmt: skip
            BAD if len(nw.unplanned) else GOOD,
        ),
    )
    managers = table(
        t("Per manager"),
        [
            t("Manager"),
            t("Planned"),
            t("A clients"),
            t("A planned"),
            t("A not planned"),
            t("A in target now"),
        ],  # fmt: skip
        [
            (
                r.manager_name,
                fmt.number(r.planned),
                fmt.number(r.a_clients),
                fmt.number(r.a_planned),
                fmt.number(r.a_unplanned),
                pct(r.a_covered_pct),
            )
            for r in per.itertuples()
        ],  # fmt: skip
        "lrrrrr",
        tones=[BAD if r.a_unplanned else "" for r in per.itertuples()],
        tone_col=4,
        widths=(2.6, 1.1, 1.1, 1.1, 1.3, 1.4),
    )
    late = table(
        t("A clients past the target, nothing planned"),
        [t("Client"), t("Manager"), t("Last contact")],
        [
            (
                r.client_name,
                r.manager_code,
                fmt.date(r.last_contact) if not missing(r.last_contact) else t("never"),
            )
            for r in nw.unplanned.itertuples()
        ],  # fmt: skip
        "llr",
        widths=(3, 1.4, 1.8),
        empty=t("None: every A client past the target has a contact planned."),
        limit=8,
    )
    return SlideView(
        key="next_week",
        title=t("Next week"),
        subtitle=t(
            "Week {first} – {last} · an A client is contacted at least every {days} days",
            first=fmt.date(nw.monday),
            last=fmt.date(periods.sunday_of(nw.monday)),
            days=nw.target_days,
        ),  # fmt: skip
        rows=(Row(((Tiles(tiles), 1),)), Row(((managers, 3), (late, 2)), grow=True)),
    )
