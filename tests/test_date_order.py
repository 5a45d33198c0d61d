"""A date not before its start (an end, a closing, a next step, a due date): one check,
Checker.not_before, with the same words in every form and in the importer."""

from __future__ import annotations

import datetime as dt

import pytest

from kam.core.validation import Checker, ValidationError

D = dt.date


def test_not_before_allows_the_same_day_and_a_missing_date():
    c = Checker()
    assert c.not_before(
        "end", D(2026, 11, 18), label="To", start=D(2026, 11, 18), start_label="From"
    )
    assert c.not_before("end", None, label="To", start=D(2026, 11, 18), start_label="From")
    assert c.not_before("end", D(2026, 11, 18), label="To", start=None, start_label="From")
    c.raise_if_any()  # no problem


def test_not_before_names_both_dates():
    c = Checker()
    assert not c.not_before(
        "ends_on", D(2026, 11, 17), label="To", start=D(2026, 11, 18), start_label="From"
    )
    with pytest.raises(ValidationError) as err:
        c.raise_if_any()
    problem = err.value.problems["ends_on"]
    assert problem == "To 2026-11-17 is before From 2026-11-18."
    assert problem.msgid == "{label} {day} is before {start_label} {start}."


def test_the_first_problem_of_a_field_stays():
    c = Checker()
    c.add("closed_on", "Closing date 2027-01-01 is in the future.")
    c.not_before("closed_on", D(2026, 1, 1), label="Closing date", start=D(2026, 2, 1),
                 start_label="the claim's opening date")  # fmt: skip
    assert c.problems == {"closed_on": "Closing date 2027-01-01 is in the future."}
