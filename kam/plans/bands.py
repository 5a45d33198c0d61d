"""Likely ranges of the plan forecasts, learned from the back-test's own errors: per metric,
level and working day, the errors (ratios actual ÷ forecast; for new clients, in units of
√forecast) that 80 % of the replayed months kept within (docs/METRICS.md, "Plans")."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from kam.core.models import ForecastBand

SHARE = 0.8  # the range should hold the actual this often
MIN_SAMPLES = 4  # fewer replayed months than this teach no range
COUNT_METRICS = frozenset({"active_clients", "new_clients"})
# Revenue and active clients err in proportion to their size: their bands are ratios actual ÷
# forecast. New clients are a small count that errs as a Poisson count does: their bands are the
# error in units of √forecast (at least 1), so a forecast of 2 is not given a range ten times it.
STANDARDISED = frozenset({"new_clients"})


@dataclass(frozen=True)
class Band:
    """The low and high end of the likely range, as errors (see ``error``)."""

    low: float
    high: float


# (metric, level) → working day of the month → band
Bands = dict[tuple[str, str], dict[int, Band]]


def bounds(ratios: Sequence[float], share: float = SHARE) -> Band | None:
    """The k-th smallest and k-th largest of n ratios, k = ⌊(n + 1)(1 − share) / 2⌋ (at least 1):
    a new month, alike to these, falls between them with probability (n + 1 − 2k) / (n + 1)."""
    if len(ratios) < MIN_SAMPLES:
        return None
    ordered = sorted(ratios)
    n = len(ordered)
    k = max(1, math.floor((n + 1) * (1 - share) / 2))
    return Band(ordered[k - 1], ordered[n - k])


def at(table: Bands, metric: str, level: str, elapsed: int, total: int, months: int) -> Band | None:
    """The band on a day ``elapsed`` of ``total`` working days in a period of ``months`` months:
    interpolated between the learned working days, narrowing to nothing at the period's end.
    Quarters and years take the month's band at the same share of working days elapsed."""
    learned = table.get((metric, level))
    if not learned or total <= 0:
        return None
    month_total = total / months
    day = elapsed / total * month_total  # the same share of a month, in its working days
    points = sorted((float(d), b) for d, b in learned.items() if d < month_total)
    if not points:
        return None
    points.append((month_total, neutral(metric)))
    if day <= points[0][0]:
        return points[0][1]
    for (d0, b0), (d1, b1) in pairwise(points):
        if day <= d1:
            f = (day - d0) / (d1 - d0)
            return Band(b0.low + f * (b1.low - b0.low), b0.high + f * (b1.high - b0.high))
    return neutral(metric)


def neutral(metric: str) -> Band:
    """The band of no error (the period's end)."""
    return Band(0.0, 0.0) if metric in STANDARDISED else Band(1.0, 1.0)


def error(metric: str, actual: float, forecast: float) -> float | None:
    """How far the actual fell from the forecast, in the metric's band scale (None: a ratio to a
    forecast of 0, which says nothing)."""
    if metric in STANDARDISED:
        return (actual - forecast) / math.sqrt(max(forecast, 1.0))
    return actual / forecast if forecast > 0 else None


def _moved(metric: str, value: Decimal, by: float) -> Decimal:
    if metric in STANDARDISED:
        return value + Decimal(repr(by * math.sqrt(max(float(value), 1.0))))
    return value * Decimal(repr(by))


def range_of(
    metric: str, value: Decimal, fact: Decimal, cap: Decimal | None, band: Band
) -> tuple[Decimal, Decimal]:
    """The likely range around ``value``: the value moved by each end of the band, never below
    the fact or above the cap, always holding the value itself; counts rounded to whole
    clients."""
    low = min(value, _moved(metric, value, band.low))
    high = max(value, _moved(metric, value, band.high))
    if metric in COUNT_METRICS:
        low, high = low.to_integral_value(), high.to_integral_value()
    low = max(low, fact)
    if cap is not None:
        high = min(high, max(cap, value))
    return low, max(high, low)


def learn(rows: Iterable[tuple[str, str, int, float, float]]) -> dict[tuple[str, str, int], Band]:
    """Bands per (metric, level, day) from replayed (metric, level, day, actual, forecast)."""
    ratios: dict[tuple[str, str, int], list[float]] = {}
    for metric, level, day, actual, forecast in rows:
        found = error(metric, actual, forecast)
        if found is not None:
            ratios.setdefault((metric, level, day), []).append(found)
    out = {}
    for key, values in ratios.items():
        band = bounds(values)
        if band is not None:
            out[key] = band
    return out


def load(session: Session) -> Bands:
    """The bands last stored (empty before the first back-test)."""
    table: Bands = {}
    for metric, level, day, low, high in session.execute(
        select(ForecastBand.metric, ForecastBand.level, ForecastBand.day, ForecastBand.low,
               ForecastBand.high)
    ):  # fmt: skip
        table.setdefault((metric, level), {})[int(day)] = Band(float(low), float(high))
    return table


def store(
    session: Session,
    learned: dict[tuple[str, str, int], Band],
    samples: dict[tuple[str, str, int], int],
    learned_on: dt.date,
) -> None:
    """Replace the stored bands with ``learned`` (in the caller's transaction)."""
    session.execute(delete(ForecastBand))
    if learned:
        session.execute(
            insert(ForecastBand),
            [
                {"metric": m, "level": lv, "day": d, "low": b.low, "high": b.high,
                 "samples": samples[(m, lv, d)], "learned_on": learned_on}
                for (m, lv, d), b in sorted(learned.items())
            ],
        )  # fmt: skip
