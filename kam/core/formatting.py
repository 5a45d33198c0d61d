"""The one place numbers, money, percentages and dates are formatted for people.

The locale's symbols and patterns come from Babel (CLDR); applying them is done here with
Python's own number formatting, because a table of a few thousand cells formatted through
Babel's general machinery costs a visible fraction of a second on every rerun.
tests/test_formatting.py proves the output equals Babel's own.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pandas as pd
from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from kam.core import config
from kam.core.i18n import babel_locale

Number = int | float | Decimal

DASH = "—"
NBSP = "\u00a0"


class _Style(NamedTuple):
    group: str
    decimal: str
    minus: str
    prefix: str
    suffix: str


def _spaced(symbol: str) -> bool:
    """CLDR's currency spacing, which Babel does not apply: a symbol that ends in a letter
    ("RUB") stands apart from the digits by a no-break space; "₽" and "$" do not."""
    return bool(symbol) and symbol[-1].isalpha()


@lru_cache(maxsize=64)
def _symbol(currency: str, locale_name: str) -> str:
    return babel_numbers.get_currency_symbol(currency, locale=locale_name)


@lru_cache(maxsize=64)
def _style(locale_name: str, kind: str, currency: str = "") -> _Style:
    """Symbols and affixes of ``kind`` (decimal, currency, percent) in a locale."""
    locale = Locale.parse(locale_name)
    symbols = locale.number_symbols.get("latn", locale.number_symbols)
    prefix = suffix = ""
    if kind == "currency":
        pattern = babel_numbers.parse_pattern(locale.currency_formats["standard"].pattern)
        symbol = _symbol(currency, locale_name)
        prefix = pattern.prefix[0].replace("¤", symbol)
        suffix = pattern.suffix[0].replace("¤", symbol)
        if prefix.endswith(symbol) and _spaced(symbol):
            prefix += NBSP
    elif kind == "percent":
        pattern = babel_numbers.parse_pattern(locale.percent_formats[None].pattern)
        prefix = pattern.prefix[0].replace("%", symbols["percentSign"])
        suffix = pattern.suffix[0].replace("%", symbols["percentSign"])
    return _Style(symbols["group"], symbols["decimal"], symbols["minusSign"], prefix, suffix)


def _apply(value: Number, decimals: int, style: _Style) -> str:
    text = f"{abs(value):,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", style.decimal).replace("\0", style.group)
    negative = value < 0 and text.strip("0.,\u00a0 " + style.group + style.decimal) != ""
    return f"{style.minus if negative else ''}{style.prefix}{text}{style.suffix}"


def missing(value: object) -> bool:
    """True for a figure that is not there (None, NA, NaN): it is shown as a dash."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def number(value: Number | None, decimals: int = 0) -> str:
    """``1234567.8`` → ``1,234,568`` (grouping per locale)."""
    if value is None:
        return DASH
    return _apply(value, decimals, _style(babel_locale(), "decimal"))


def currency_symbol(currency: str | None = None) -> str:
    """The configured currency as the UI language writes it: ``RUB`` (en), ``₽`` (ru), for a
    heading or axis title that names the unit of its figures."""
    return _symbol(currency or config.settings().currency, babel_locale())


def money(value: Number | None, decimals: int = 0, currency: str | None = None) -> str:
    """``1234567.8`` → ``RUB 1,234,568`` in the configured currency; whole units by default."""
    if value is None:
        return DASH
    code = currency or config.settings().currency
    return _apply(value, decimals, _style(babel_locale(), "currency", code))


def money_short(value: Number | None, currency: str | None = None) -> str:
    """``12345678`` → ``RUB 12.3m`` (en), ``12,3 млн ₽`` (ru): Babel's compact currency, for
    tiles where space is short."""
    if value is None:
        return DASH
    code = currency or config.settings().currency
    locale_name = babel_locale()
    text = babel_numbers.format_compact_currency(value, code, fraction_digits=1, locale=locale_name)
    symbol = _symbol(code, locale_name)
    if _spaced(symbol):
        text = re.sub(re.escape(symbol) + r"(?=\d)", symbol + NBSP, text)
    return text


def number_short(value: Number | None) -> str:
    """``12345678`` → ``12.3m`` (en), ``12,3 млн`` (ru): Babel's compact decimal."""
    if value is None:
        return DASH
    return babel_numbers.format_compact_decimal(value, fraction_digits=1, locale=babel_locale())


def percent(ratio: Number | None, decimals: int = 1) -> str:
    """``0.875`` → ``87.5%``."""
    if ratio is None:
        return DASH
    return _apply(ratio * 100, decimals, _style(babel_locale(), "percent"))


def forecast_range(
    value: Number | None, low: Number | None, high: Number | None, money: bool = False
) -> str:
    """A forecast with its likely range: ``≈ 315 (300–330)``; money in short form; the range is
    left out when it rounds to the forecast itself."""
    if value is None:
        return DASH

    # The currency is said once, by the forecast: the range's ends are bare short numbers.
    text = "≈" + NBSP + (money_short(value) if money else number(value))
    if low is None or high is None:
        return text
    one = number_short if money else number
    lo, hi = one(low), one(high)
    if lo == hi == one(value):
        return text
    return f"{text} ({lo}–{hi})"


@lru_cache(maxsize=8192)
def _date(value: dt.date, pattern: str, locale_name: str) -> str:
    return babel_dates.format_date(value, format=pattern, locale=locale_name)


def date(value: dt.date | None) -> str:
    """``2026-11-22`` → ``22 Nov 2026``."""
    if value is None:
        return DASH
    return _date(value, "medium", babel_locale())


@lru_cache(maxsize=1024)
def _interval(first: dt.date, last: dt.date, locale_name: str) -> str:
    return babel_dates.format_interval(first, last, "yMMMd", locale=locale_name)


def date_range(first: dt.date, last: dt.date) -> str:
    """Two days as one span, the year said once when shared: ``30 Nov – 6 Dec 2026``."""
    return _interval(first, last, babel_locale())


def zone() -> ZoneInfo:
    """The deployment's time zone (setting ``timezone``), in which times are shown."""
    return _zone(config.settings().timezone)


@lru_cache(maxsize=4)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def moment(value: dt.datetime | pd.Timestamp | None) -> str:
    """A stored time (UTC; naive means UTC) in the deployment's zone: ``1 Dec 2026, 22:34``
    (en), ``1 дек. 2026 г., 22:34`` (ru)."""
    if value is None or value is pd.NaT or missing(value):
        return DASH
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(zone())
    # To the minute: seconds are noise to a reader, and a cache key that repeats.
    return _moment(local.replace(second=0, microsecond=0, tzinfo=None), babel_locale())


@lru_cache(maxsize=4096)
def _moment(local: dt.datetime, locale_name: str) -> str:
    day = babel_dates.format_date(local.date(), "medium", locale=locale_name)
    time = babel_dates.format_time(local.time(), "short", locale=locale_name)
    # CLDR's pattern joining a date and a time, "{1}, {0}" in both our languages.
    pattern = str(babel_dates.get_datetime_format("medium", locale=locale_name))
    return pattern.replace("{1}", day).replace("{0}", time)


def moments(values: pd.Series) -> pd.Series:
    """``moment`` of every time in a column."""
    return values.map(moment)


def month(value: dt.date | None) -> str:
    """``2026-11-01`` → ``Nov 2026``."""
    if value is None:
        return DASH
    return _date(value, "LLL yyyy", babel_locale())
