"""The working-day calendar (Russia's official one) and the 12-month window, checked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from kam.core import periods

D = dt.date


def test_transfers_and_working_saturdays_follow_the_official_calendar():
    assert periods.is_working_day(D(2025, 11, 1), "RU")  # a working Saturday
    assert not periods.is_working_day(D(2025, 11, 3), "RU")  # the Monday it was swapped for
    assert not periods.is_working_day(D(2025, 11, 4), "RU")  # Unity Day
    assert not periods.is_working_day(D(2026, 5, 11), "RU")  # transferred day off
    assert not periods.is_working_day(D(2026, 12, 31), "RU")  # transferred from 3 January
    assert periods.is_working_day(D(2027, 2, 20), "RU")  # a working Saturday
    assert periods.is_working_day(D(2026, 12, 30), "RU")


def test_working_days_of_months_and_spans():
    # December 2026: 23 weekdays, 31 December off.
    assert periods.working_days(D(2026, 12, 1), D(2026, 12, 31), "RU") == 22
    # January 2027: 21 weekdays, 1–8 January off (6 of them weekdays).
    assert periods.working_days(D(2027, 1, 1), D(2027, 1, 31), "RU") == 15
    assert periods.working_days(D(2026, 12, 1), D(2027, 1, 31), "RU") == 37  # across the year
    # November 2025: 20 weekdays − 3 and 4 November + Saturday 1 November.
    assert periods.working_days(D(2025, 11, 1), D(2025, 11, 30), "RU") == 19
    assert periods.working_days(D(2026, 5, 2), D(2026, 5, 1), "RU") == 0  # end before start
    first = next(
        D(2027, 1, 1) + dt.timedelta(days=n)
        for n in range(31)
        if periods.is_working_day(D(2027, 1, 1) + dt.timedelta(days=n), "RU")
    )
    assert first == D(2027, 1, 11)


def test_working_days_after_counts_in_bulk():
    got = periods.working_days_after(
        [D(2026, 12, 30), D(2026, 12, 30), D(2026, 12, 30), D(2027, 1, 12), D(2025, 10, 31)],
        [D(2027, 1, 12), D(2027, 1, 25), D(2026, 12, 30), D(2026, 12, 30), D(2025, 11, 5)],
        "RU",
    )
    # 11, 12 Jan; 11–15, 18–22, 25 Jan; the same day; backwards; 1 (Saturday) and 5 November.
    assert got.tolist() == [2, 11, 0, -2, 2]
    assert periods.working_days_after([], [], "RU").tolist() == []
    with pytest.raises(ValueError):
        periods.working_days_after([D(2026, 1, 1)], [], "RU")


def test_working_days_after_matches_working_days():
    start, ends = D(2024, 12, 20), [D(2024, 12, 20) + dt.timedelta(days=n) for n in range(800)]
    got = periods.working_days_after([start] * len(ends), ends, "RU").tolist()
    assert got == [periods.working_days(start + dt.timedelta(days=1), e, "RU") for e in ends]


@pytest.mark.parametrize(
    ("as_of", "start"),
    [
        (D(2026, 6, 30), D(2025, 7, 1)),
        (D(2026, 1, 1), D(2025, 1, 2)),
        (D(2028, 2, 29), D(2027, 3, 1)),  # a year before 29 February is 28 February, exclusive
        (D(2029, 2, 28), D(2028, 2, 29)),  # the leap day is in the window
        (D(2028, 3, 1), D(2027, 3, 2)),
    ],
)
def test_last_12_months(as_of, start):
    assert periods.last_12_months(as_of) == (start, as_of)
