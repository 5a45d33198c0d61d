"""Weeks and the period containing a day, from kam.core.periods: the one home of week arithmetic
and of period codes."""

from __future__ import annotations

import datetime as dt

import pytest

from kam.core import periods

D = dt.date


@pytest.mark.parametrize(
    ("day", "monday", "sunday"),
    [
        (D(2026, 11, 18), D(2026, 11, 16), D(2026, 11, 22)),  # a Wednesday
        (D(2026, 11, 16), D(2026, 11, 16), D(2026, 11, 22)),  # a Monday is its own
        (D(2026, 11, 22), D(2026, 11, 16), D(2026, 11, 22)),  # a Sunday ends its week
        (D(2026, 1, 1), D(2025, 12, 29), D(2026, 1, 4)),  # across the new year
        (D(2024, 3, 1), D(2024, 2, 26), D(2024, 3, 3)),  # across 29 February
    ],
)
def test_a_week_runs_monday_to_sunday(day, monday, sunday):
    assert periods.monday_of(day) == monday
    assert periods.sunday_of(day) == sunday
    days = periods.week_of(day)
    assert days == [monday + dt.timedelta(days=i) for i in range(7)]
    assert (days[0], days[-1]) == (monday, sunday)


def test_weeks_after_and_before():
    wednesday = D(2026, 11, 18)
    assert periods.add_weeks(wednesday, 0) == D(2026, 11, 16)
    assert periods.add_weeks(wednesday, 1) == D(2026, 11, 23)
    assert periods.add_weeks(wednesday, -1) == D(2026, 11, 9)
    assert periods.add_weeks(D(2026, 12, 30), 1) == D(2027, 1, 4)


@pytest.mark.parametrize(
    ("day", "quarter", "year"),
    [
        (D(2026, 1, 1), "2026-Q1", "2026"),
        (D(2026, 3, 31), "2026-Q1", "2026"),
        (D(2026, 4, 1), "2026-Q2", "2026"),
        (D(2026, 11, 18), "2026-Q4", "2026"),
        (D(2026, 12, 31), "2026-Q4", "2026"),
    ],
)
def test_the_quarter_and_year_of_a_day(day, quarter, year):
    assert periods.quarter_of(day).code == quarter
    assert periods.quarter_of(day).contains(day)
    assert periods.year_of(day).code == year
    assert periods.year_of(day) == periods.parse(year)


def test_a_quarter_spans_three_whole_months():
    q = periods.quarter_of(D(2026, 11, 18))
    assert (q.start, q.end, q.kind) == (D(2026, 10, 1), D(2026, 12, 31), "quarter")
    assert q == periods.parse("2026-Q4")
