"""The one clock: KAM_TODAY fixes today and now for the whole process; a bad value is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from kam.core import clock


def test_kam_today_sets_today_and_the_day_of_now(monkeypatch):
    monkeypatch.setenv("KAM_TODAY", "2027-01-11")
    assert clock.today() == dt.date(2027, 1, 11)
    now = clock.now()
    assert now.date() == dt.date(2027, 1, 11) and now.tzinfo is not None


def test_without_kam_today_the_machine_date(monkeypatch):
    monkeypatch.delenv("KAM_TODAY", raising=False)
    before = dt.date.today()
    assert clock.today() in (before, dt.date.today())  # midnight may pass in between
    assert clock.fixed_today() is None


@pytest.mark.parametrize("text", ["2027-1-11", "11.01.2027", "2027-02-30", "today"])
def test_a_bad_kam_today_says_what_was_expected(monkeypatch, text):
    monkeypatch.setenv("KAM_TODAY", text)
    with pytest.raises(ValueError, match=r"KAM_TODAY=.*expected a date as YYYY-MM-DD"):
        clock.today()
