"""The change slides of the weekly review as words: what changed since last week, the movers
against last year and the market."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from kam.core import formatting as fmt
from kam.core.i18n import t
from kam.core.labels import claim_kind_label, no_plan_label, plan_metric_label
from kam.core.team import is_team
from kam.review.change_figures import Changes, Movers
from kam.review.layout import BAD, GOOD, Row, SlideView, Table, Tile, Tiles, table
from kam.review.scope import ReviewWeek
from kam.review.slide_text import (
    metric_value,
    missing,
    signed_money,
    signed_pct,
)


def _top(frame: pd.DataFrame, text: Any, n: int = 2) -> tuple[str, ...]:
    return tuple(text(r) for r in frame.head(n).itertuples())


def changes_slide(week: ReviewWeek, c: Changes) -> SlideView:
    """What changed between seven days before the review date and the review date."""
    total = Changes.total

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
    opened_amount = sum((a for a in c.claims_opened["amount"] if not missing(a)), Decimal(0))
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
            + _top(c.claims_opened, lambda r: f"{r.client_name} · {claim_kind_label(str(r.kind))}", 1),
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
        if missing(r.plan):
            gap_tiles.append(Tile(t("{metric}: plan gap", metric=plan_metric_label(r.metric)), fmt.DASH, (no_plan_label(),)))  # fmt: skip
            continue
        gap_tiles.append(
            Tile(
                t("{metric}: plan gap", metric=plan_metric_label(r.metric)),
                metric_value(r.metric, r.gap_now),
                (
                    t("new month: nothing to compare with")
                    if week.new_month
                    else t("a week ago {value}", value=metric_value(r.metric, r.gap_then)),
                ),
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


def movers_slide(week: ReviewWeek, mv: Movers) -> SlideView:
    """The clients most above and most below last year's pace, with the amounts."""

    def listing(title: str, frame: pd.DataFrame, tone: str) -> Table:
        return table(
            title,
            [t("Client"), t("Manager"), t("This year"), t("Last year"), t("Change"), "%"],
            [
                (r.client_name, r.manager_code, fmt.money_short(r.revenue),
                 fmt.money_short(r.last_year), signed_money(r.change), signed_pct(r.change_pct))
                for r in frame.itertuples()
            ],
            "llrrrr", tones=[tone] * len(frame), empty=t("Nobody."), limit=5,
            widths=(3.6, 1.2, 1.8, 1.8, 1.9, 1.2), tone_col=4, large=True,
        )  # fmt: skip

    return SlideView(
        key="movers",
        title=t("Movers against last year"),
        subtitle=t(
            "{first} – {last} against {ly_first} – {ly_last}",
            first=fmt.date(mv.start),
            last=fmt.date(mv.end),
            ly_first=fmt.date(mv.last_year_start),
            ly_last=fmt.date(mv.last_year_end),
        ),  # fmt: skip
        rows=(
            Row(((listing(t("Most above last year's pace"), mv.up, GOOD), 1),), grow=True),
            Row(((listing(t("Most below last year's pace"), mv.down, BAD), 1),), grow=True),
        ),
    )


def market_slide(week: ReviewWeek, frame: pd.DataFrame) -> SlideView:
    """Competitor notes of the week, one row per competitor, with the price gaps."""
    rows = []
    for r in frame.itertuples():
        gap = fmt.DASH
        if not missing(r.avg_gap_pct):
            gap = t(
                "{avg} ({low} … {high})",
                avg=signed_pct(r.avg_gap_pct), low=signed_pct(r.min_gap_pct),
                high=signed_pct(r.max_gap_pct),
            )  # fmt: skip
        rows.append((r.competitor, fmt.number(r.notes), gap, r.latest))
    competitors = table(
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
        rows=(Row(((competitors, 1),), grow=True),),
    )
