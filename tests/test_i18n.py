"""Messages built in kam/ carry their id and values, so a page shows them in the UI language."""

from __future__ import annotations

import datetime as dt
import pickle
import re
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from kam.core import i18n, labels
from kam.core.i18n import Msg, t, text_of, tn
from kam.core.validation import Checker, ConflictError, ValidationError


@pytest.fixture
def russian():
    # The real Russian catalog (kam/locale/ru), compiled by make or by tests/conftest.py.
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
    assert t(Msg("There is no unicorn with id {id}.", id=7)) == "There is no unicorn with id 7."


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
    assert t(text_of(exc)) == "В вашем портфеле нет претензии с id 42."
    assert text_of(ValueError("plain")) == "plain"
    conflict = ConflictError(
        entity="claim", entity_id=1, expected_version=2, current={"version": 3}
    )
    assert isinstance(text_of(conflict), Msg)
    assert "у вас была версия 2, сейчас — 3" in t(text_of(conflict))


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


def test_counted_text_takes_the_form_its_language_needs():
    # Russian has three forms a count chooses between: 1 and 21 "one", 2–4 "few", 5–20 "many".
    assert [tn("{n} day", "{n} days", n, n=n) for n in (1, 2, 5)] == ["1 day", "2 days", "5 days"]
    i18n.set_language("ru")
    try:
        got = [tn("{n} day", "{n} days", n, n=n) for n in (1, 2, 5, 21, 11, 22, 0)]
        assert got == ["1 день", "2 дня", "5 дней", "21 день", "11 дней", "22 дня", "0 дней"]
        plans = [tn("Plan {n} contact", "Plan {n} contacts", n, n=n) for n in (1, 3, 12)]
        assert plans == [
            "Запланировать 1 контакт", "Запланировать 3 контакта", "Запланировать 12 контактов",
        ]  # fmt: skip
        assert tn("{n} day", "{n} days", 1.5, n="1,5") == "1,5 дня"  # a fraction: like 2
        assert tn("{n} week", "{n} weeks", 2, n=2) == "2 weeks"  # no entry: English
    finally:
        i18n.set_language("en")


def test_russian_reads_the_trade_s_words(russian):
    assert t("My desk") == "Мой рабочий стол"
    assert t("Receivables") == "Дебиторская задолженность"
    assert t("Overdue debt") == "Просрочка"
    assert labels.claim_kind_label("mis_grade") == "Пересортица"
    assert labels.claim_kind_label("shortage") == "Недостача"
    assert labels.plan_metric_label("active_clients") == "АКБ"
    assert t("Weekly review") == "Еженедельная планёрка"
    assert t(Msg("{label} is required.", label=Msg("Client"))) == "Поле «Клиент» обязательно."


def test_choosing_the_language():
    choose = i18n.choose_language
    # The person's own setting wins, then the link, then the browser, then the deployment.
    assert choose(own="ru", url="en", browser="en-GB", default="en") == "ru"
    assert choose(own=None, url="ru", browser="en-GB", default="en") == "ru"
    assert choose(url=None, browser="ru-RU", default="en") == "ru"
    assert choose(browser=None, default="ru") == "ru"
    # A language without a catalog is passed over, whatever the spelling of the code.
    assert choose(own="de", url="fr", browser="RU_ru", default="en") == "ru"
    assert choose(own="", url="xx", browser="de-DE", default="en") == "en"
    assert choose(default="de") == "en"
    assert i18n.supported("en-US") == "en" and i18n.supported("uk") is None


# --- The catalogs --------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
POT = ROOT / "kam" / "locale" / "kam.pot"


def _po(lang: str) -> Catalog:
    with (ROOT / "kam" / "locale" / lang / "LC_MESSAGES" / "kam.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def _entries(catalog: Catalog) -> dict[str, Message]:
    """Each message by its (singular) id, the header left out."""
    return {(m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalog if m.id}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def _forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def test_every_message_has_a_russian_translation():
    with POT.open("rb") as fh:
        template = _entries(read_po(fh))
    russian = _entries(_po("ru"))
    assert template, "kam.pot is empty: run make messages"
    missing = [
        msgid for msgid in template
        if msgid not in russian or russian[msgid].fuzzy or not all(_forms(russian[msgid]))
    ]  # fmt: skip
    assert not missing, f"{len(missing)} without Russian (make messages, then translate)"
    # Russian has three plural forms, each written.
    for message in russian.values():
        if message.pluralizable:
            assert len(_forms(message)) == 3, message.id


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_placeholders_of_a_translation_are_those_of_its_id(lang):
    wrong = []
    for message in _entries(_po(lang)).values():
        wanted = _placeholders(_ids(message)[-1])  # the plural id names the count too
        for form in _forms(message):
            if form and _placeholders(form) != wanted and not (
                message.pluralizable and _placeholders(form) <= wanted | _placeholders(message.id[0])
            ):
                wrong.append((message.id, form))
    assert not wrong


def test_the_template_holds_every_message_of_the_sources(tmp_path):
    # The same extraction as `make messages`, with the Makefile's keywords.
    keywords = re.search(r"^KEYWORDS := (.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert keywords
    out = tmp_path / "kam.pot"
    args = ["pybabel", "--quiet", "extract", "--no-default-keywords", *keywords.group(1).split()]
    args += ["-F", str(ROOT / "babel.cfg"), "-o", str(out), str(ROOT)]
    CommandLineInterface().run(args)
    with out.open("rb") as fh:
        extracted = set(_entries(read_po(fh)))
    with POT.open("rb") as fh:
        committed = set(_entries(read_po(fh)))
    assert not extracted - committed, "new messages: run make messages and translate them"
    assert not committed - extracted, "messages gone from the sources: run make messages"
