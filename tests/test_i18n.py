"""Messages built in kam/ carry their id and values, so a page shows them in the UI language."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from kam.core import i18n
from kam.core.i18n import Msg, t, text_of, tn
from kam.core.validation import Checker, ConflictError, ValidationError

# A stand-in Russian catalog: the real one comes with the Russian UI.
CATALOG = {
    "{label} is required.": "Поле «{label}» обязательно.",
    "Client": "Клиент",
    "Next step date": "Дата следующего шага",
    "{label} {day} is {why}; {limit} is the latest allowed.": "{label}: {day} — {why}; "
    "самая поздняя допустимая дата {limit}.",
    "more than {span} ahead": "больше чем на {span} вперёд",
    "1 year": "1 год",
    "There is no claim with id {id} in your portfolio.": "В вашем портфеле нет претензии {id}.",
}


@pytest.fixture
def russian(monkeypatch):
    monkeypatch.setattr(i18n, "_catalog", lambda code: CATALOG if code == "ru" else {})
    i18n.set_language("ru")
    yield
    i18n.set_language("en")


def test_a_message_reads_as_its_english_text():
    message = Msg("{label} is required.", label=Msg("Client"))
    assert message == "Client is required."
    assert isinstance(message, str)
    assert message.msgid == "{label} is required."
    assert t(message) == "Client is required."  # English: no catalog


def test_t_translates_the_template_and_the_messages_among_its_values(russian):
    assert t(Msg("{label} is required.", label=Msg("Client"))) == "Поле «Клиент» обязательно."
    # A code a person typed is data, not a message: it stays as it is.
    assert t(Msg("{label} is required.", label="Client")) == "Поле «Client» обязательно."
    # No entry in the catalog: the English text, values filled in.
    assert t(Msg("There is no client with id {id}.", id=7)) == "There is no client with id 7."


def test_checker_problems_translate_with_their_labels(russian):
    checker = Checker()
    checker.required("client_id", None, label="Client")
    checker.planned_date(
        "next_step_date", dt.date(2028, 1, 10), label="Next step date", today=dt.date(2026, 11, 22)
    )
    with pytest.raises(ValidationError) as err:
        checker.raise_if_any()
    problems = err.value.problems
    assert problems["client_id"] == "Client is required."
    assert t(problems["client_id"]) == "Поле «Клиент» обязательно."
    assert problems["next_step_date"] == (
        "Next step date 2028-01-10 is more than 1 year ahead; 2027-11-22 is the latest allowed."
    )
    assert t(problems["next_step_date"]) == (
        "Дата следующего шага: 2028-01-10 — больше чем на 1 год вперёд; "
        "самая поздняя допустимая дата 2027-11-22."
    )


def test_a_plain_problem_string_still_works_as_its_own_id(russian):
    err = ValidationError({"kind": "Client"})
    assert t(err.problems["kind"]) == "Клиент"


def test_refusals_keep_their_message_for_the_page(russian):
    exc = LookupError(Msg("There is no claim with id {id} in your portfolio.", id=42))
    assert str(exc) == "There is no claim with id 42 in your portfolio."
    assert t(text_of(exc)) == "В вашем портфеле нет претензии 42."
    assert text_of(ValueError("plain")) == "plain"
    conflict = ConflictError(
        entity="claim", entity_id=1, expected_version=2, current={"version": 3}
    )
    assert isinstance(text_of(conflict), Msg)
    assert "you had version 2, it is now version 3" in t(text_of(conflict))


def test_a_message_survives_pickling():
    # Streamlit keeps problems in session state and may pickle cached values.
    message = Msg(
        "{label} is {n} characters long; at most {most} fit.", label=Msg("Notes"), n=5, most=4
    )
    back = pickle.loads(pickle.dumps(message))
    assert back == "Notes is 5 characters long; at most 4 fit."
    assert back.msgid == message.msgid
    assert back.values == {"label": "Notes", "n": 5, "most": 4}
    assert isinstance(back.values["label"], Msg)
    braces = Msg("{x}")  # no values: the text as given, never formatted
    assert pickle.loads(pickle.dumps(braces)) == "{x}"


def test_counted_text_takes_the_form_its_language_needs(monkeypatch):
    # Russian has three forms a count chooses between: 1 and 21 "one", 2–4 "few", 5–20 "many".
    forms = {"one": "{n} день", "few": "{n} дня", "many": "{n} дней", "other": "{n} дня"}
    monkeypatch.setattr(i18n, "_catalog", lambda code: {"{n} day": forms} if code == "ru" else {})
    assert [tn("{n} day", "{n} days", n, n=n) for n in (1, 2, 5)] == ["1 day", "2 days", "5 days"]
    i18n.set_language("ru")
    try:
        got = [tn("{n} day", "{n} days", n, n=n) for n in (1, 3, 5, 11, 21, 22)]
        assert got == ["1 день", "3 дня", "5 дней", "11 дней", "21 день", "22 дня"]
        assert tn("{n} week", "{n} weeks", 2, n=2) == "2 weeks"  # no entry: English
    finally:
        i18n.set_language("en")
