"""Periods (month ``YYYY-MM``, quarter ``YYYY-Qn``, year ``YYYY``), weeks and working days."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import holidays
import numpy as np

from kam.core import config
from kam.core.i18n import N_, Msg

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
            raise ValueError(
                Msg("unknown period {code}: the month must be 01 to 12", code=repr(code))
            )
        start = dt.date(year, month, 1)
        return Period(start, add_months(start, 1) - dt.timedelta(days=1), "month")
    if m := _QUARTER.match(text):
        start = dt.date(int(m[1]), 3 * (int(m[2]) - 1) + 1, 1)
        return Period(start, add_months(start, 3) - dt.timedelta(days=1), "quarter")
    if m := _YEAR.match(text):
        year = int(m[1])
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    raise ValueError(
        Msg("unknown period {code}: expected YYYY-MM, YYYY-Qn or YYYY", code=repr(code))
    )


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
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))  # by weekday()


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


def last_12_months(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The 12 months up to and including ``as_of``: from the same day a year earlier,
    exclusive (so the first day is the day after it), to ``as_of``; both ends included."""
    return same_day_year_before(as_of) + dt.timedelta(days=1), as_of


# The working-day calendar is the country's official one, as the ``holidays`` package knows it:
# public holidays, days off transferred by decree and the working Saturdays they are swapped
# with (in Russia 1 November 2025 was a working Saturday). It is read once per country and year
# into a running count, so counting the working days of any span costs two look-ups a year.
@lru_cache(maxsize=64)
def _running_count(country: str, year: int) -> tuple[int, ...]:
    """Working days from 1 January of ``year`` up to and including each day of it; index 0 is
    the day before 1 January (0), index n the n-th day of the year."""
    calendar = holidays.country_holidays(country, years=year)
    first = dt.date(year, 1, 1)
    counts, total = [0], 0
    for offset in range((dt.date(year + 1, 1, 1) - first).days):
        total += calendar.is_working_day(first + dt.timedelta(days=offset))
        counts.append(total)
    return tuple(counts)


def _country(country: str | None) -> str:
    return country or config.settings().country


def is_working_day(day: dt.date, country: str | None = None) -> bool:
    """A working day of the configured country's official calendar: Monday to Friday unless a
    holiday or a transferred day off, and a weekend day declared a working day."""
    counts = _running_count(_country(country), day.year)
    index = day.timetuple().tm_yday
    return counts[index] > counts[index - 1]


def working_days(start: dt.date, end: dt.date, country: str | None = None) -> int:
    """Working days from ``start`` to ``end``, both included (0 when end < start)."""
    code, total = _country(country), 0
    for year in range(start.year, end.year + 1):
        counts = _running_count(code, year)
        first = start.timetuple().tm_yday if year == start.year else 1
        last = end.timetuple().tm_yday if year == end.year else len(counts) - 1
        total += counts[last] - counts[first - 1]
    return max(total, 0)


def working_days_after(
    earlier: Sequence[dt.date], later: Sequence[dt.date], country: str | None = None
) -> np.ndarray:
    """For each pair, the working days after ``earlier`` up to and including ``later`` (negative
    when ``later`` comes first): the distance between two days counted in working days. One
    running count over the years spanned serves all pairs, however many."""
    if len(earlier) != len(later):
        raise ValueError("earlier and later must be as long as each other")
    if not len(earlier):
        return np.zeros(0, dtype=np.int64)
    days = np.concatenate(
        [np.asarray(earlier, dtype="datetime64[D]"), np.asarray(later, dtype="datetime64[D]")]
    )
    first_year, last_year = int(str(days.min())[:4]), int(str(days.max())[:4])
    code = _country(country)
    # One running count from the first year on: each year's counts shifted by those before it.
    running, carried = [], 0
    for year in range(first_year, last_year + 1):
        counts = np.asarray(_running_count(code, year)[1:], dtype=np.int64)
        running.append(counts + carried)
        carried += int(counts[-1])
    index = np.concatenate(running)
    position = (days - np.datetime64(f"{first_year:04d}-01-01", "D")).astype(np.int64)
    count = index[position]
    n = len(earlier)
    return count[n:] - count[:n]
