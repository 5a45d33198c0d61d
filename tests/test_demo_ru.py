"""The demo in Russian: Russian names and texts, surnames that agree with the person, and the
same figures as the English demo of the same seed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import text

from kam import demo
from kam.core import config, db, migrate
from kam.demo import names_en, names_ru

TODAY = dt.date(2026, 11, 18)
SEED = 11
# Written out here rather than taken from the names modules, so a wrong list there shows.
FEMALE = {
    "en": {"Anna", "Irina", "Olga", "Natalia", "Elena", "Marina", "Tatiana", "Svetlana", "Yulia"},
    "ru": {"Анна", "Ирина", "Ольга", "Наталья", "Елена", "Марина", "Татьяна", "Светлана", "Юлия"},
}
FEMALE_ENDINGS = {"en": ("ova", "eva", "ina", "aya"), "ru": ("ова", "ева", "ина", "ая")}
MALE_ENDINGS = {"en": ("ov", "ev", "in", "y"), "ru": ("ов", "ев", "ин", "ий")}
CYRILLIC = re.compile(r"^[А-Яа-яЁё0-9 «»№.,%/()+-]+$")
PARALLEL = ("SEGMENTS", "REGIONS", "PRICE_COLUMNS", "FIRST", "LAST", "LAST_FEMALE", "POSITIONS",
            "CATEGORIES", "RETURN_REASONS", "REFUSAL_REASONS", "COMPETITORS", "OUTCOMES",
            "NEXT_STEPS", "CLAIM_KINDS", "ROOT_CAUSES", "RESOLUTIONS", "NOTE_TEXTS")  # fmt: skip
# Codes (documents, contracts) may stay Latin in a Russian text; words may not.
CODE = re.compile(r"\b[A-Z]{1,3}-[\d/-]+\b")


def build(tmp_path_factory: pytest.TempPathFactory, language: str) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo-' + language) / 'demo.db'}"
    eng = db.engine(url)
    migrate.upgrade(eng)
    with db.writing(eng) as s:
        demo.load(s, today=TODAY, lines=5_000, seed=SEED, language=language)
    eng.dispose()
    return url


@pytest.fixture(scope="module")
def urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {lang: build(tmp_path_factory, lang) for lang in ("en", "ru")}


def rows(url: str, sql: str) -> list[tuple]:
    eng = db.engine(url)
    try:
        with db.reading(eng) as s:
            return [tuple(r) for r in s.execute(text(sql)).all()]
    finally:
        eng.dispose()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_surnames_agree_with_the_persons_gender(urls, language):
    people = rows(urls[language], "SELECT name FROM managers UNION ALL SELECT name FROM contacts")
    assert len(people) > 400
    for (name,) in people:
        first, last = name.split()
        if first in FEMALE[language]:
            assert last.endswith(FEMALE_ENDINGS[language]), name
        else:
            assert last.endswith(MALE_ENDINGS[language]), name
            assert not last.endswith(FEMALE_ENDINGS[language]), name


def test_the_english_women_carry_female_surnames(urls):
    managers = {name for (name,) in rows(urls["en"], "SELECT name FROM managers")}
    assert {"Elena Kozlova", "Olga Popova", "Irina Smirnova", "Natalia Sokolova"} <= managers
    emails = {e for (e,) in rows(urls["en"], "SELECT email FROM managers")}
    assert "e.kozlova@demo-wholesale.example" in emails


def test_russian_demo_names_are_cyrillic(urls):
    url = urls["ru"]
    for sql in (
        "SELECT name FROM clients",
        "SELECT DISTINCT segment FROM clients",
        "SELECT DISTINCT region FROM clients",
        "SELECT DISTINCT price_column FROM clients",
        "SELECT name FROM managers",
        "SELECT name FROM products",
        "SELECT DISTINCT category FROM products",
        "SELECT name FROM competitors",
    ):
        for (value,) in rows(url, sql):
            assert CYRILLIC.match(value), (sql, value)
    competitors = {name for (name,) in rows(url, "SELECT name FROM competitors")}
    assert {"Метро", "Ашан", "Лента"} <= competitors
    categories = {c for (c,) in rows(url, "SELECT DISTINCT category FROM products")}
    assert {"Молочная продукция", "Бакалея", "Напитки"} <= categories
    names = [n for (n,) in rows(url, "SELECT name FROM clients")]
    assert len(set(names)) == len(names) == demo.N_CLIENTS
    assert any(n.startswith("ИП ") for n in names)
    assert any(n.startswith("Кафе «") for n in names)
    assert any(n.startswith("Столовая школы № ") for n in names)


def test_russian_demo_texts_have_no_latin_words(urls):
    url = urls["ru"]
    for sql in (
        "SELECT name || ' ' || position FROM contacts",
        "SELECT coalesce(outcome, '') || ' ' || coalesce(next_step, '') FROM visits",
        "SELECT description || ' ' || coalesce(resolution, '') FROM claims",
        "SELECT category || ' ' || text FROM competitor_notes",
        "SELECT DISTINCT reason FROM sales_lines WHERE reason IS NOT NULL",
    ):
        for (value,) in rows(url, sql):
            assert not re.search("[A-Za-z]", CODE.sub("", value)), (sql, value)
    resolved = rows(url, "SELECT DISTINCT resolution FROM claims WHERE resolution IS NOT NULL")
    assert {r for (r,) in resolved} <= set(names_ru.RESOLUTIONS)


def test_same_seed_same_figures_in_both_languages(urls):
    figures = (
        "SELECT count(*), round(sum(amount), 2), round(sum(cost), 2) FROM sales_lines",
        "SELECT doc_no, line_no, doc_date, client_id, product_id, amount FROM sales_lines "
        "ORDER BY doc_no, line_no",
        "SELECT count(*), round(sum(amount), 2) FROM invoices",
        "SELECT count(*), round(sum(amount), 2) FROM payments",
        "SELECT client_id, manager_id, status, amount FROM claims ORDER BY id",
        "SELECT id, manager_id, credit_limit, payment_terms_days FROM clients ORDER BY id",
        "SELECT period, manager_id, metric, target FROM plans ORDER BY 1, 2, 3, 4",
        "SELECT count(*) FROM visits",
    )
    for sql in figures:
        assert rows(urls["en"], sql) == rows(urls["ru"], sql), sql


def test_the_word_lists_are_parallel():
    # The draws pick positions in these lists: a list of another length changes the figures.
    for name in PARALLEL:
        assert len(getattr(names_ru, name)) == len(getattr(names_en, name)), name
    assert list(names_en.CLAIM_KINDS) == list(names_ru.CLAIM_KINDS)
    assert list(names_en.NOTE_TEXTS) == list(names_ru.NOTE_TEXTS)
    assert list(names_en.PRICE_COLUMNS.values()) == list(names_ru.PRICE_COLUMNS.values())
    for items in names_ru.PRODUCT_ITEMS:
        assert len(items) * len(names_ru.BRANDS) == demo.SKUS_PER_CATEGORY


def test_cli_refuses_an_unknown_language(capsys, tmp_path):
    from kam.__main__ import main

    with pytest.raises(SystemExit) as exc:
        main(["demo", "--language", "xx", "--database", f"sqlite:///{tmp_path / 'x.db'}"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--language" in err and "expected en or ru" in err and "'xx'" in err


def test_load_refuses_an_unknown_language(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    migrate.upgrade(db.engine(url))
    with pytest.raises(ValueError, match="en or ru"), db.writing(db.engine(url)) as s:
        demo.load(s, today=TODAY, lines=1_000, language="de")
    db.engine(url).dispose()


@pytest.mark.parametrize(
    ("configured", "expected"), [("ru", "ru"), ("ru_RU", "ru"), ("en", "en"), ("de", "en")]
)
def test_the_default_language_is_the_deployments(monkeypatch, configured, expected):
    from kam.commands import demo as command

    monkeypatch.setattr(config, "settings", lambda: config.Settings(language=configured))
    assert command._default_language() == expected


def test_cli_builds_the_russian_demo_for_a_russian_deployment(monkeypatch, capsys, tmp_path):
    from kam.__main__ import main

    monkeypatch.setattr(config, "settings", lambda: config.Settings(language="ru"))
    url = f"sqlite:///{tmp_path / 'x.db'}"
    argv = ["demo", "--lines", "1000", "--today", TODAY.isoformat(), "--database", url]
    assert main(argv) == 0
    assert "(ru)" in capsys.readouterr().out
    assert "Метро" in {name for (name,) in rows(url, "SELECT name FROM competitors")}
