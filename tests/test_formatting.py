"""Formatting equals Babel's own output for each UI language, and reads as people expect."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from babel import numbers as babel_numbers

from kam.core import formatting as fmt
from kam.core.i18n import set_language

VALUES = [0, 5, -5, 999.5, 1234, -1234567.891, Decimal("1234567.89"), 10**9, 0.125]


@pytest.fixture(params=["en", "ru"])
def language(request):
    set_language(request.param)
    yield {"en": "en_GB", "ru": "ru_RU"}[request.param]
    set_language("en")


@pytest.mark.parametrize("value", VALUES)
def test_numbers_equal_babel(language, value):
    for decimals in (0, 2):
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        expected = babel_numbers.format_decimal(value, format=pattern, locale=language)
        assert fmt.number(value, decimals) == expected


@pytest.mark.parametrize("value", VALUES)
def test_money_equals_babel(language, value):
    for decimals in (0, 2):
        pattern = babel_numbers.parse_pattern(
            babel_numbers.Locale.parse(language).currency_formats["standard"].pattern
        )
        fraction = "." + "0" * decimals if decimals else ""
        babel_pattern = pattern.pattern.split(";")[0].replace(".00", fraction)
        expected = babel_numbers.format_currency(
            value, "RUB", format=babel_pattern, currency_digits=False, locale=language
        )
        assert fmt.money(value, decimals).replace("RUB\u00a0", "RUB") == expected


@pytest.mark.parametrize("value", [0, 0.875, -0.1234, 1.5, 12.3456])
def test_percent_equals_babel(language, value):
    expected = babel_numbers.format_percent(value, format="#,##0.0%", locale=language)
    if language == "ru_RU":  # CLDR's Russian percent pattern puts a no-break space before %
        expected = babel_numbers.format_percent(value, format="#,##0.0\u00a0%", locale=language)
    assert fmt.percent(value) == expected


def test_a_value_that_rounds_to_zero_has_no_minus():
    # Babel writes "-0"; people read that as a mistake.
    set_language("en")
    assert fmt.number(Decimal("-0.004")) == "0"
    assert fmt.money(-0.4) == "RUB\u00a00"


@pytest.mark.parametrize("value", [0, 950, -950, 12_345_678, -12_345_678, 10**9, 0.4])
def test_money_short_is_babels_compact_currency(language, value):
    # Babel's own text for the locale, with the one thing Babel leaves out: CLDR's space
    # between a letter symbol ("RUB") and the digits.
    expected = babel_numbers.format_compact_currency(
        value, "RUB", fraction_digits=1, locale=language
    )
    assert fmt.money_short(value).replace("RUB\u00a0", "RUB") == expected


@pytest.mark.parametrize("value", [0, 950, -950, 12_345_678, 10**9])
def test_number_short_is_babels_compact_decimal(language, value):
    expected = babel_numbers.format_compact_decimal(value, fraction_digits=1, locale=language)
    assert fmt.number_short(value) == expected


def test_a_money_forecast_names_its_currency_once(language):
    text = fmt.forecast_range(190_100_000, 138_300_000, 241_800_000, money=True)
    assert text.startswith("≈\u00a0" + fmt.money_short(190_100_000))
    assert text.endswith(f"({fmt.number_short(138_300_000)}–{fmt.number_short(241_800_000)})")
    assert text.count("RUB") + text.count("₽") == 1


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_examples_people_read():
    # Anchors computed by hand that hold whatever CLDR revision Babel carries: the digits,
    # the sign, the symbol and which side of the number it stands on.
    set_language("en")
    assert _digits(fmt.money(1234567.8)) == "1234568"
    assert fmt.money(1234567.8).startswith("RUB\u00a01")
    assert fmt.money(-1234.5, 2).startswith("-") and _digits(fmt.money(-1234.5, 2)) == "123450"
    assert fmt.percent(0.875).startswith("87.5")
    assert fmt.number(None) == fmt.DASH
    assert fmt.date(dt.date(2026, 11, 22)) == "22 Nov 2026"
    short = fmt.money_short(12_345_678)
    assert short.startswith("RUB\u00a012.3") and short[-1].lower() == "m"
    set_language("ru")
    assert _digits(fmt.money(1234567.8)) == "1234568" and fmt.money(1234567.8).endswith("₽")
    assert fmt.percent(0.875).startswith("87,5")
    short = fmt.money_short(12_345_678)
    assert short.startswith("12,3") and "млн" in short and short.endswith("₽")
    set_language("en")


def test_times_are_shown_in_the_deployments_zone_never_utc():
    # 21:30 UTC on 30 November is 00:30 on 1 December in Moscow (UTC+3), the default zone.
    stored = dt.datetime(2026, 11, 30, 21, 30, 59, tzinfo=dt.UTC)
    set_language("en")
    assert fmt.moment(stored) == "1 Dec 2026, 00:30"
    assert fmt.moment(stored.replace(tzinfo=None)) == "1 Dec 2026, 00:30"  # naive: stored UTC
    assert fmt.moment(None) == fmt.DASH
    set_language("ru")
    try:
        assert re.sub(r"\s", " ", fmt.moment(stored)) == "1 дек. 2026 г., 00:30"
    finally:
        set_language("en")


def test_a_week_is_one_span_with_its_year_said_once():
    def span(first: dt.date, last: dt.date) -> str:
        return re.sub(r"\s", " ", fmt.date_range(first, last))  # Babel sets thin spaces

    set_language("en")
    assert span(dt.date(2026, 11, 30), dt.date(2026, 12, 6)) == "30 Nov – 6 Dec 2026"
    assert span(dt.date(2026, 12, 28), dt.date(2027, 1, 3)) == "28 Dec 2026 – 3 Jan 2027"
    set_language("ru")
    try:
        assert span(dt.date(2026, 11, 30), dt.date(2026, 12, 6)) == "30 нояб. — 6 дек. 2026 г."
    finally:
        set_language("en")
