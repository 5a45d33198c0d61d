"""The shared form checks: every rule, its plain-words message, and text kept exactly as typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kam.core.models import Claim, Plan, Visit
from kam.core.validation import (
    LONG_TEXT_MAX,
    Checker,
    ConflictError,
    ValidationError,
    column_length,
    years_from,
)

TODAY = dt.date(2026, 11, 18)


def test_all_problems_are_reported_at_once():
    c = Checker()
    c.required("client_id", None, label="Client")
    c.choice("kind", "telegram", label="Kind", choices=("visit", "call"))
    c.text("outcome", "x" * 512, label="Outcome", max_length=500)
    with pytest.raises(ValidationError) as err:
        c.raise_if_any()
    assert err.value.problems == {
        "client_id": "Client is required.",
        "kind": "Kind must be one of visit, call (got 'telegram').",
        "outcome": "Outcome is 512 characters long; at most 500 fit.",
    }
    assert isinstance(err.value, ValueError)  # pages catch ValueError like every other input error


def test_first_problem_per_field_wins_and_no_problem_raises_nothing():
    c = Checker()
    c.add("date", "first")
    c.add("date", "second")
    assert c.problems == {"date": "first"}
    Checker().raise_if_any()


def test_column_lengths_come_from_the_model():
    assert column_length(Visit.outcome) == 500
    assert column_length(Claim.document_ref) == 64
    assert column_length(Visit.notes) == LONG_TEXT_MAX  # Text has no size: the cap applies


@pytest.mark.parametrize(
    "typed",
    [
        "Договорились о поставке 🍎 «Антоновка»",
        "取引先と面談しました",
        "He said \"no\" — it's 'final'",
        "<script>alert('x')</script>",
        "'; DROP TABLE visits; --",
        "line one\nline two\ttabbed",
    ],
)
def test_text_is_kept_exactly_as_typed(typed):
    c = Checker()
    assert c.text("notes", typed, label="Notes", max_length=LONG_TEXT_MAX) == typed
    assert c.problems == {}


def test_text_strips_only_surrounding_whitespace_and_blank_is_none():
    c = Checker()
    assert c.text("f", "  inner  spaces \n", label="F", max_length=50) == "inner  spaces"
    assert c.text("f", "   ", label="F", max_length=50) is None
    assert c.text("g", "", label="Outcome", max_length=50, required=True) is None
    assert c.problems == {"g": "Outcome is required."}


def test_nul_character_is_refused_plainly():
    c = Checker()
    c.text("notes", "pasted\x00junk", label="Notes", max_length=100)
    assert c.problems == {
        "notes": "Notes contains a NUL character that cannot be saved; remove it."
    }


def test_length_counts_characters_not_bytes():
    c = Checker()
    assert c.text("f", "я" * 500, label="Outcome", max_length=500) == "я" * 500
    assert c.problems == {}
    c.text("f", "🍎" * 501, label="Outcome", max_length=500)
    assert c.problems == {"f": "Outcome is 501 characters long; at most 500 fit."}


def test_past_date_limits():
    c = Checker()
    assert c.past_date("a", TODAY, label="Date", today=TODAY) == TODAY
    assert c.past_date("b", dt.date(2024, 11, 18), label="Date", today=TODAY) == dt.date(
        2024, 11, 18
    )
    c.past_date("c", dt.date(2024, 11, 17), label="Date", today=TODAY)
    c.past_date("d", dt.date(2026, 11, 19), label="Date", today=TODAY)
    c.past_date("e", None, label="Date", today=TODAY)
    c.past_date("f", "2026-11-01", label="Date", today=TODAY)  # type: ignore[arg-type]
    assert c.problems == {
        "c": "Date 2024-11-17 is more than 2 years ago; 2024-11-18 is the earliest allowed.",
        "d": "Date 2026-11-19 is in the future; 2026-11-18 is the latest allowed.",
        "e": "Date is required.",
        "f": "Date must be a date (got '2026-11-01').",
    }


def test_planned_date_limits():
    c = Checker()
    assert c.planned_date("a", dt.date(2027, 11, 18), label="Planned date", today=TODAY)
    assert c.planned_date("b", dt.date(2025, 11, 18), label="Planned date", today=TODAY)
    c.planned_date("c", dt.date(2027, 11, 19), label="Planned date", today=TODAY)
    c.planned_date("d", dt.date(2025, 11, 17), label="Planned date", today=TODAY)
    assert c.planned_date("e", None, label="Next step date", today=TODAY, required=False) is None
    assert c.problems == {
        "c": "Planned date 2027-11-19 is more than 1 year ahead; 2027-11-18 is the latest allowed.",
        "d": "Planned date 2025-11-17 is more than 1 year ago; 2025-11-18 is the earliest allowed.",
    }


def test_years_from_handles_29_february():
    assert years_from(dt.date(2028, 2, 29), -2) == dt.date(2026, 2, 28)
    assert years_from(dt.date(2026, 3, 1), 1) == dt.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 200,50", Decimal("1200.50")),
        ("1200.5", Decimal("1200.50")),
        ("1,200.50", Decimal("1200.50")),
        (0.1, Decimal("0.10")),
        (7, Decimal("7.00")),
        (Decimal("0"), Decimal("0.00")),
        ("999999999999.99", Decimal("999999999999.99")),
    ],
)
def test_amount_is_forgiving_about_how_it_is_typed(typed, expected):
    c = Checker()
    assert c.amount("amount", typed, label="Amount", column=Claim.amount) == expected
    assert c.problems == {}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "Amount cannot be negative (got -5)."),
        (-0.01, "Amount cannot be negative (got -0.01)."),
        ("abc", "Amount must be a number (got 'abc')."),
        (float("nan"), "Amount must be a number (got nan)."),
        ("Infinity", "Amount must be a number (got 'Infinity')."),
        (True, "Amount must be a number (got True)."),
        ("12.345", "Amount has more than 2 decimal places (got 12.345)."),
        ("1000000000000", "Amount 1000000000000 is too large; it must be below 10^12."),
        (
            "123456789012345678901234567890.123",
            "Amount 123456789012345678901234567890.123 is too large; it must be below 10^12.",
        ),
    ],
)
def test_amount_problems(typed, message):
    c = Checker()
    assert c.amount("amount", typed, label="Amount", column=Claim.amount) is None
    assert c.problems == {"amount": message}


def test_amount_blank_required_whole_and_quantity_scale():
    c = Checker()
    assert c.amount("a", "", label="Amount", column=Claim.amount) is None
    assert c.problems == {}
    c.amount("b", None, label="Target", column=Plan.target, required=True)
    c.amount("c", "2.5", label="Active clients", column=Plan.target, whole=True)
    assert c.amount("d", "12", label="Active clients", column=Plan.target, whole=True) == Decimal(
        "12.00"
    )
    assert c.amount("e", "1.125", label="Quantity", column=Claim.qty) == Decimal("1.125")
    assert c.amount("f", "12.340", label="Amount", column=Claim.amount) == Decimal("12.34")
    assert c.problems == {
        "b": "Target is required.",
        "c": "Active clients must be a whole number (got 2.5).",
    }


def test_choice_identifier_and_key():
    c = Checker()
    assert c.choice("k", "call", label="Kind", choices=("visit", "call")) == "call"
    assert c.choice("k2", None, label="Kind", choices=("visit",), required=False) is None
    c.choice("k3", "", label="Kind", choices=("visit",))
    assert c.identifier("i", 5, label="Client") == 5
    c.identifier("i2", -1, label="Client")
    c.identifier("i3", "5", label="Client")
    assert c.idempotency_key("  abc ") == "abc"
    c2 = Checker()
    c2.idempotency_key("k" * 65)
    assert c.problems == {
        "k3": "Kind is required.",
        "i2": "Client is not a known record (got -1).",
        "i3": "Client is not a known record (got '5').",
    }
    assert c2.problems == {"idempotency_key": "Form key is 65 characters long; at most 64 fit."}


def test_conflict_error_says_who_and_carries_current_values():
    err = ConflictError(
        entity="claim",
        entity_id=7,
        expected_version=1,
        current={"status": "resolved", "version": 2},
        changed_by="Irina",
        changed_at=dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC),
    )
    assert err.current == {"status": "resolved", "version": 2}
    assert str(err) == (
        # 09:30 UTC is 12:30 in Moscow, the deployment's default zone.
        "This claim was changed by Irina at 18 Nov 2026, 12:30 while you were editing it "
        "(you had version 1, it is now version 2). Nothing was saved: check the current values "
        "and apply your change again."
    )
