"""Periods (month ``YYYY-MM``, quarter ``YYYY-Qn``, year ``YYYY``), weeks and working days."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import holidays

from kam.core import config

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, quarter or year; ``end`` is inclusive."""

    start: dt.date
    end: dt.date
    kind: str  # month / quarter / year

    @property
    def code(self) -> str:
        """The period as written: ``2026-11``, ``2026-Q4`` or ``2026``."""
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{self.quarter}"
        return str(self.start.year)

    @property
    def quarter(self) -> int:
        """The quarter (1–4) the period starts in."""
        return _quarter(self.start)

    def months(self) -> list[dt.date]:
        """The first day of each month in the period."""
        out, day = [], self.start
        while day <= self.end:
            out.append(day)
            day = add_months(day, 1)
        return out

    def year_before(self) -> Period:
        """The same period a year earlier."""
        return parse(f"{self.start.year - 1}{self.code[4:]}")

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` falls in the period."""
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.code


def parse(code: str) -> Period:
    """Parse ``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``; raise ValueError saying what is expected."""
    text = (code or "").strip()
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(f"unknown period {code!r}: the month must be 01 to 12")
        start = dt.date(year, month, 1)
        return Period(start, add_months(start, 1) - dt.timedelta(days=1), "month")
    if m := _QUARTER.match(text):
        start = dt.date(int(m[1]), 3 * (int(m[2]) - 1) + 1, 1)
        return Period(start, add_months(start, 3) - dt.timedelta(days=1), "quarter")
    if m := _YEAR.match(text):
        year = int(m[1])
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    raise ValueError(f"unknown period {code!r}: expected YYYY-MM, YYYY-Qn or YYYY")


def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def month_of(day: dt.date) -> Period:
    """The month containing ``day``."""
    return parse(f"{day.year}-{day.month:02d}")


def quarter_of(day: dt.date) -> Period:
    """The quarter containing ``day``."""
    return parse(f"{day.year}-Q{_quarter(day)}")


def year_of(day: dt.date) -> Period:
    """The year containing ``day``."""
    return parse(str(day.year))


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def same_day_year_before(day: dt.date) -> dt.date:
    """``day`` a year earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


# Weeks run Monday to Sunday. A week is named by its Monday (``?week=2026-11-16``).
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # by date.weekday()


def monday_of(day: dt.date) -> dt.date:
    """The Monday of the week containing ``day``."""
    return day - dt.timedelta(days=day.weekday())


def sunday_of(day: dt.date) -> dt.date:
    """The Sunday of the week containing ``day``: the week's last day."""
    return monday_of(day) + dt.timedelta(days=6)


def week_of(day: dt.date) -> list[dt.date]:
    """Monday to Sunday of the week containing ``day``."""
    monday = monday_of(day)
    return [monday + dt.timedelta(days=i) for i in range(7)]


def add_weeks(day: dt.date, weeks: int) -> dt.date:
    """The Monday of the week ``weeks`` after the one containing ``day`` (negative: before)."""
    return monday_of(day) + dt.timedelta(days=7 * weeks)


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(country, years=year).keys())


def is_working_day(day: dt.date, country: str | None = None) -> bool:
    """Monday to Friday and not a public holiday of the configured country."""
    return day.weekday() < 5 and day not in _holidays(
        country or config.settings().country, day.year
    )


def working_days(start: dt.date, end: dt.date, country: str | None = None) -> int:
    """Working days from ``start`` to ``end``, both included (0 when end < start)."""
    count, day = 0, start
    while day <= end:
        count += is_working_day(day, country)
        day += dt.timedelta(days=1)
    return count
