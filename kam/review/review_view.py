"""The weekly review's slides as words and formatted numbers, for the screen and the PDF alike.

kam.review.figures computes the figures; this module turns each slide's figures into a SlideView:
a title, a subtitle and rows of blocks (tiles with a key figure, tables, a chart), translated
and formatted once, so the meeting room, the laptop and the pack show the same text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import altair as alt
import pandas as pd

from kam import review, sales
from kam.charts import review as review_charts
from kam.core import formatting as fmt
from kam.core.i18n import t
from kam.core.team import is_team

METRICS = ("revenue", "active_clients", "new_clients")
METRIC_LABELS = {
    "revenue": "Revenue",
    "active_clients": "Active clients",
    "new_clients": "New clients",
}
GOOD, BAD = "good", "bad"
TABLE_ROWS = 9  # rows a table shows before "and N more": what fits a slide


@dataclass(frozen=True)
class Tile:
    """A key figure with its label and up to three short lines under it."""

    label: str
    value: str
    lines: tuple[str, ...] = ()
    tone: str = ""  # "", good, bad


@dataclass(frozen=True)
class Tiles:
    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class Table:
    """A small table: header, formatted rows, alignment per column (l/r), tone per row."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...]
    tones: tuple[str, ...] = ()
    empty: str = ""
    more: str = ""  # "and N more" when rows were left off
    widths: tuple[float, ...] = ()  # relative column widths; default from the alignment
    tone_col: int = -1  # the column painted in the row's tone
    large: bool = False  # larger type: a slide with the table alone


@dataclass(frozen=True, eq=False)
class Chart:
    title: str
    chart: alt.TopLevelMixin


Block = Tiles | Table | Chart


@dataclass(frozen=True)
class Row:
    """Blocks side by side with their relative widths; a growing row takes the height left."""

    blocks: tuple[tuple[Block, float], ...]
    grow: bool = False


@dataclass(frozen=True)
class SlideView:
    key: str
    title: str
    subtitle: str
    rows: tuple[Row, ...] = field(default_factory=tuple)


# --- Formatting helpers --------------------------------------------------------------------


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def metric_value(metric: str, value: Any) -> str:
    """A plan figure: money in short form for revenue, a count otherwise."""
    if _missing(value):
        return fmt.DASH
    return fmt.money_short(value) if metric == "revenue" else fmt.number(value)


def pct(value: Any) -> str:
    """87.5 → 88% (whole percents read better from afar)."""
    return fmt.DASH if _missing(value) else fmt.percent(float(value) / 100, 0)


def signed_money(value: Decimal) -> str:
    """A change of money with its sign: +RUB 1.2M, −RUB 0.5M."""
    text = fmt.money_short(value)
    return text if value < 0 else "+" + text


def week_subtitle(week: review.ReviewWeek) -> str:
    return t(
        "Week {first} – {last} · figures as of {day}",
        first=fmt.date(week.monday),
        last=fmt.date(week.sunday),
        day=fmt.date(week.review_date),
    )


def _table(
    title: str,
    header: list[str],
    rows: list[tuple[str, ...]],
    align: str,
    *,
    tones: list[str] | None = None,
    empty: str = "",
    limit: int = TABLE_ROWS,
    widths: tuple[float, ...] = (),
    tone_col: int = -1,
    large: bool = False,
) -> Table:
    more = "" if len(rows) <= limit else t("and {n} more", n=fmt.number(len(rows) - limit))
    return Table(
        title=title,
        header=tuple(header),
        rows=tuple(rows[:limit]),
        align=tuple(align),
        tones=tuple((tones or [])[:limit]),
        empty=empty,
        more=more,
        widths=widths,
        tone_col=tone_col,
        large=large,
    )


# --- Slides --------------------------------------------------------------------------------


def _plan_tile(row: Any, metric: str, gap_then: Any = None, with_gap: bool = False) -> Tile:
    label = t(METRIC_LABELS[metric])
    if row is None:
        return Tile(label, fmt.DASH)
    lines = []
    if _missing(row.plan):
        lines.append(t("No plan set"))
    else:
        lines.append(t("{pct} of plan {plan}", pct=pct(row.fulfilment_pct), plan=metric_value(metric, row.plan)))  # fmt: skip
    lines.append(
        t(
            "Forecast {forecast} ({pct})",
            forecast=metric_value(metric, row.forecast),
            pct=pct(row.forecast_pct),
        )  # fmt: skip
    )
    if with_gap and not _missing(row.plan):
        lines.append(
            t(
                "Gap {now} · a week ago {then}",
                now=metric_value(metric, row.gap),
                then=metric_value(metric, gap_then),
            )  # fmt: skip
        )
    else:
        lines.append(t("Last year {value}", value=metric_value(metric, row.last_year_fact)))
    tone = ""
    if not _missing(row.forecast_pct):
        tone = GOOD if float(row.forecast_pct) >= 100 else BAD
    return Tile(label, metric_value(metric, row.fact), tuple(lines), tone)


def _rows_by_metric(card: pd.DataFrame) -> dict[str, Any]:
    return {r.metric: r for r in card.itertuples()}


def team_slide(week: review.ReviewWeek, plan: review.TeamPlan) -> SlideView:
    """Slide 1: the team's three plans, the pacing chart and each manager's fulfilment."""
    card = plan.scorecard
    team = card[is_team(card)]
    headline = _rows_by_metric(team if not team.empty else card)
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
        tones.append("" if _missing(rev.forecast_pct) else GOOD if rev.forecast_pct >= 100 else BAD)
    table = _table(
        t("Managers"),
        [t("Manager"), t("Revenue"), t("Of plan"), t("Forecast"), t("Active"), t("New")],
        rows, "lrrrrr", tones=tones, tone_col=3, widths=(2.6, 1.9, 1.4, 1.5, 1.2, 1),
    )  # fmt: skip
    return SlideView(
        key="team",
        title=t("Team plan · {month}", month=fmt.month(week.month.start)),
        subtitle=week_subtitle(week),
        rows=(
            Row(((Tiles(tuple(_plan_tile(headline.get(m), m) for m in METRICS)), 1),)),
            Row(
                (
                    (Chart(t("Revenue against the plan line"), review_charts.pacing(plan.pacing)), 1),
                    (table, 1),
                ),
                grow=True,
            ),
        ),
    )  # fmt: skip


def manager_slide(week: review.ReviewWeek, m: review.ManagerReview) -> SlideView:
    """One KAM: the three plans with the gap a week ago, debt, claims, contacts, pacing."""
    by = _rows_by_metric(m.scorecard)
    then = {r.metric: r.gap_then for r in m.gaps.itertuples()}
    plan_tiles = tuple(_plan_tile(by.get(x), x, then.get(x), with_gap=True) for x in METRICS)
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
    over = _table(
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


def _top(frame: pd.DataFrame, text: Any, n: int = 2) -> tuple[str, ...]:
    return tuple(text(r) for r in frame.head(n).itertuples())


def changes_slide(week: review.ReviewWeek, c: review.Changes) -> SlideView:
    """What changed between seven days before the review date and the review date."""
    total = review.Changes.total

    def invoices(label: str, frame: pd.DataFrame) -> Tile:
        return Tile(
            label,
            fmt.money_short(total(frame, "unpaid")),
            (t("{n} invoices", n=fmt.number(len(frame))),)
            + _top(frame, lambda r: f"{r.client_name} · {fmt.money_short(r.unpaid)}"),
            BAD if len(frame) else GOOD,
        )

    buckets = {r.bucket: r for r in c.buckets.itertuples()}
    overdue = buckets["overdue"]
    debt = (
        invoices(t("New overdue debt"), c.new_overdue),
        invoices(t("Moved into 61–90 days"), c.into_61_90),
        invoices(t("Moved over 90 days"), c.into_90_plus),
        Tile(
            t("Overdue debt, all"),
            fmt.money_short(overdue.now),
            (
                t("a week ago {value}", value=fmt.money_short(overdue.then)),
                t("change {value}", value=signed_money(overdue.now - overdue.then)),
            ),
            BAD if overdue.now > overdue.then else GOOD,
        ),
    )
    opened_amount = sum((a for a in c.claims_opened["amount"] if not _missing(a)), Decimal(0))
    clients = (
        Tile(
            t("Went over their limit"),
            fmt.number(len(c.went_over_limit)),
            _top(c.went_over_limit, lambda r: f"{r.client_name} · {fmt.money_short(r.outstanding)}"),
            BAD if len(c.went_over_limit) else GOOD,
        ),
        Tile(
            t("Fell silent"),
            fmt.number(len(c.fell_silent)),
            _top(c.fell_silent, lambda r: t("{name} · {days} days", name=r.client_name, days=fmt.number(r.days_since))),
            BAD if len(c.fell_silent) else GOOD,
        ),
        Tile(
            t("Claims opened"),
            fmt.number(len(c.claims_opened)),
            (t("worth {amount}", amount=fmt.money_short(opened_amount)),)
            + _top(c.claims_opened, lambda r: f"{r.client_name} · {t(str(r.kind).replace('_', ' '))}", 1),
            BAD if len(c.claims_opened) else GOOD,
        ),
        Tile(
            t("Claims closed"),
            fmt.number(len(c.claims_closed)),
            (t("{n} justified", n=fmt.number(int((c.claims_closed["justified"] == True).sum()))),),  # noqa: E712
            GOOD if len(c.claims_closed) else "",
        ),
    )  # fmt: skip
    team = c.gaps[is_team(c.gaps)]
    if team.empty:
        team = c.gaps
    gap_tiles = []
    for r in team.itertuples():
        if _missing(r.plan):
            gap_tiles.append(Tile(t("{metric}: plan gap", metric=t(METRIC_LABELS[r.metric])), fmt.DASH, (t("No plan set"),)))  # fmt: skip
            continue
        gap_tiles.append(
            Tile(
                t("{metric}: plan gap", metric=t(METRIC_LABELS[r.metric])),
                metric_value(r.metric, r.gap_now),
                (t("a week ago {value}", value=metric_value(r.metric, r.gap_then)),),
            )
        )
    return SlideView(
        key="changes",
        title=t("What changed since last week"),
        subtitle=t(
            "{then} → {now}", then=fmt.date(week.week_before), now=fmt.date(week.review_date)
        ),
        rows=(Row(((Tiles(debt), 1),)), Row(((Tiles(clients), 1),)), Row(((Tiles(tuple(gap_tiles)), 1),))),
    )  # fmt: skip


def movers_slide(week: review.ReviewWeek, mv: review.Movers) -> SlideView:
    """The clients most above and most below last year's pace, with the amounts."""

    def table(title: str, frame: pd.DataFrame, tone: str) -> Table:
        return _table(
            title,
            [t("Client"), t("Manager"), t("This year"), t("Last year"), t("Change"), "%"],
            [
                (r.client_name, r.manager_code, fmt.money_short(r.revenue),
                 fmt.money_short(r.last_year), signed_money(r.change), _signed_pct(r.change_pct))
                for r in frame.itertuples()
            ],
            "llrrrr", tones=[tone] * len(frame), empty=t("Nobody."), limit=5,
            widths=(3.6, 1.2, 1.8, 1.8, 1.9, 1.2), tone_col=4, large=True,
        )  # fmt: skip

    ly = sales.last_year_span(week.month, week.review_date)
    return SlideView(
        key="movers",
        title=t("Movers against last year"),
        subtitle=t(
            "{first} – {last} against {ly_first} – {ly_last}",
            first=fmt.date(mv.start),
            last=fmt.date(mv.end),
            ly_first=fmt.date(ly[0]),
            ly_last=fmt.date(ly[1]),
        ),  # fmt: skip
        rows=(
            Row(((table(t("Most above last year's pace"), mv.up, GOOD), 1),), grow=True),
            Row(((table(t("Most below last year's pace"), mv.down, BAD), 1),), grow=True),
        ),
    )


def market_slide(week: review.ReviewWeek, frame: pd.DataFrame) -> SlideView:
    """Competitor notes of the week, one row per competitor, with the price gaps."""
    rows = []
    for r in frame.itertuples():
        gap = fmt.DASH
        if not _missing(r.avg_gap_pct):
            gap = t(
                "{avg} ({low} … {high})",
                avg=_signed_pct(r.avg_gap_pct), low=_signed_pct(r.min_gap_pct),
                high=_signed_pct(r.max_gap_pct),
            )  # fmt: skip
        rows.append((r.competitor, fmt.number(r.notes), gap, r.latest))
    table = _table(
        t("Competitors seen this week"),
        [t("Competitor"), t("Notes"), t("Their price vs ours"), t("Latest note")],
        rows, "lrrl", empty=t("No competitor notes this week."), limit=7,
        widths=(2.2, 0.9, 2.4, 5), large=True,
    )  # fmt: skip
    return SlideView(
        key="market",
        title=t("Market"),
        subtitle=t(
            "Competitor notes of {first} – {last} · price gap: + they are dearer, − cheaper",
            first=fmt.date(week.window_start),
            last=fmt.date(week.review_date),
        ),  # fmt: skip
        rows=(Row(((table, 1),), grow=True),),
    )


def _signed_pct(value: float | None) -> str:
    if _missing(value):
        return fmt.DASH
    text = fmt.percent(float(value) / 100, 0)
    return text if value <= 0 else "+" + text


def next_week_slide(week: review.ReviewWeek, nw: review.NextWeek) -> SlideView:
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
    managers = _table(
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
    late = _table(
        t("A clients past the target, nothing planned"),
        [t("Client"), t("Manager"), t("Last contact")],
        [
            (
                r.client_name,
                r.manager_code,
                fmt.date(r.last_contact) if not _missing(r.last_contact) else t("never"),
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
            last=fmt.date(nw.monday + dt.timedelta(days=6)),
            days=nw.target_days,
        ),  # fmt: skip
        rows=(Row(((Tiles(tiles), 1),)), Row(((managers, 3), (late, 2)), grow=True)),
    )


def all_slides(r: review.Review) -> list[SlideView]:
    """Every slide of a review in meeting order."""
    return [
        team_slide(r.week, r.team),
        *(manager_slide(r.week, m) for m in r.managers),
        changes_slide(r.week, r.changes),
        movers_slide(r.week, r.movers),
        market_slide(r.week, r.market),
        next_week_slide(r.week, r.next_week),
    ]
