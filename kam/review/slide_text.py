"""How the review's slides write their figures: plan figures, percents, signed changes, the week,
and the tone a forecast earns."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam.core import formatting as fmt
from kam.core.i18n import t
from kam.plans.forecast import plan_side
from kam.review.layout import BAD, GOOD
from kam.review.scope import ReviewWeek

METRICS = ("revenue", "active_clients", "new_clients")


missing = fmt.missing


def metric_value(metric: str, value: Any) -> str:
    """A plan figure: money in short form for revenue, a count otherwise."""
    if missing(value):
        return fmt.DASH
    return fmt.money_short(value) if metric == "revenue" else fmt.number(value)


def pct(value: Any) -> str:
    """87.5 → 88% (whole percents read better from afar)."""
    return fmt.DASH if missing(value) else fmt.percent(float(value) / 100, 0)


def signed_pct(value: Any) -> str:
    """A change in percent with its sign: +12%, −5%."""
    if missing(value):
        return fmt.DASH
    text = fmt.percent(float(value) / 100, 0)
    return text if value <= 0 else "+" + text


def signed_money(value: Decimal) -> str:
    """A change of money with its sign: +RUB 1.2M, −RUB 0.5M."""
    text = fmt.money_short(value)
    return text if value < 0 else "+" + text


def range_tone(row: Any) -> str:
    """Good when the forecast's whole likely range reaches the plan, bad when all of it falls
    short, none when the plan lies inside the range or there is no plan."""
    side = plan_side(
        None if missing(row.plan) else row.plan,
        getattr(row, "forecast_low", None),
        getattr(row, "forecast_high", None),
    )
    return GOOD if side > 0 else BAD if side < 0 else ""


def week_subtitle(week: ReviewWeek) -> str:
    """The week and the day its figures are seen on."""
    return t(
        "Week {first} – {last} · figures as of {day}",
        first=fmt.date(week.monday),
        last=fmt.date(week.sunday),
        day=fmt.date(week.review_date),
    )
