"""Cell values as ERP exports write them: numbers, dates, months, yes/no and text.

Each parser takes a raw cell (a string from CSV, or a number/date/bool from XLSX), returns the
value or None for an empty cell, and raises ``CellError`` saying what is wrong and what was
expected.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from kam.core.i18n import Msg

# Thousands separators seen in exports: space, no-break space, narrow no-break space, apostrophe.
_GROUP = " \u00a0\u202f'’"
PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
_NO_GROUPS = str.maketrans("", "", _GROUP)
_NUMBER = re.compile(
    r"(?P<sign>[+\-\u2212]?)"
    r"(?P<int>\d{1,3}(?:[" + _GROUP + r"]\d{3})+|\d+)"
    r"(?:[.,](?P<frac>\d+))?"
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
_PERIOD = re.compile(r"(\d{4})-(\d{1,2})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TRUE = frozenset({"true", "yes", "y", "1", "t", "да", "д"})
_FALSE = frozenset({"false", "no", "n", "0", "f", "нет", "н"})

# Whole sentences, so a translation can order its words as its language needs.
_NOT_A_NUMBER = "'{value}' is not a number; expected a number like 1234.56 or 1 234,56"
_TOO_PRECISE = "'{value}' has more than {places} decimal places; expected at most {places}"
_NOT_WHOLE = "'{value}' is not a whole number; expected digits like 30"
_NOT_A_DATE = "'{value}' is not a date; expected a date as YYYY-MM-DD or DD.MM.YYYY"


class CellError(ValueError):
    """A cell that cannot be read; the message (a ``Msg``) says what is wrong and what was
    expected."""


def cell_text(value: Any) -> str:
    """The cell as text, the way a person would type it (used for messages and rejected rows)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def parse_text(value: Any, max_length: int | None = None) -> str | None:
    """Text with surrounding spaces removed; None when empty."""
    if value is None:
        return None
    text = (value if type(value) is str else cell_text(value)).strip()
    if not text:
        return None
    if max_length is not None and len(text) > max_length:
        raise CellError(
            Msg(
                "is {length} characters long; expected at most {most} characters",
                length=len(text),
                most=max_length,
            )
        )
    return text


def parse_decimal(value: Any, places: int) -> Decimal | None:
    """A number with a decimal point or comma and optional thousands separators."""
    if type(value) is str:
        text = value.strip()
        if not text:
            return None
        if PLAIN_NUMBER.fullmatch(text):
            # The common case, kept fast: digits with at most one decimal point or comma.
            dot = max(text.find("."), text.find(","))
            if dot >= 0 and len(text) - dot - 1 > places:
                raise CellError(Msg(_TOO_PRECISE, value=text, places=places))
            return Decimal(text.replace(",", ".") if dot >= 0 else text)
        match = _NUMBER.fullmatch(text)
        if match is None:
            raise CellError(Msg(_NOT_A_NUMBER, value=text))
        digits = match["int"].translate(_NO_GROUPS)
        sign = "-" if match["sign"] in ("-", "\u2212") else ""
        frac = match["frac"]
        number = Decimal(f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}")
    elif value is None:
        return None
    elif isinstance(value, bool):
        raise CellError(Msg(_NOT_A_NUMBER, value=cell_text(value)))
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else value
    else:
        raise CellError(Msg(_NOT_A_NUMBER, value=cell_text(value)))
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        shown = cell_text(value).strip()
        raise CellError(Msg(_TOO_PRECISE, value=shown, places=places))
    return number


def parse_int(value: Any) -> int | None:
    """A whole number (an XLSX float such as 30.0 counts)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(Msg(_NOT_WHOLE, value=cell_text(value)))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(Msg(_NOT_WHOLE, value=cell_text(value)))
    text = value.strip()
    if not text:
        return None
    try:
        number = parse_decimal(text, places=10)
    except CellError:
        number = None
    if number is None or number != number.to_integral_value():
        raise CellError(Msg(_NOT_WHOLE, value=text))
    return int(number)


DATES: dict[str, dt.date] = {}


def parse_date(value: Any) -> dt.date | None:
    """A date as YYYY-MM-DD or DD.MM.YYYY, with or without a time part (which is dropped)."""
    if type(value) is str:
        # Exports repeat the same few hundred dates: remember the ones already read.
        known = DATES.get(value)
        if known is None:
            known = _parse_date_text(value)
            if known is not None:
                if len(DATES) > 100_000:
                    DATES.clear()
                DATES[value] = known
        return known
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise CellError(Msg(_NOT_A_DATE, value=cell_text(value)))


def _parse_date_text(value: str) -> dt.date | None:
    text = value.strip()
    if not text:
        return None
    day_part, _, time_part = text.replace("T", " ", 1).partition(" ")
    time_part = time_part.strip()
    if time_part and not _TIME.fullmatch(time_part):
        raise CellError(
            Msg(
                "'{value}' is not a date; expected a date as YYYY-MM-DD or DD.MM.YYYY, "
                "optionally with a time",
                value=text,
            )
        )
    if match := _ISO_DATE.fullmatch(day_part):
        year, month, day = match.groups()
    elif match := _DOTTED_DATE.fullmatch(day_part):
        day, month, year = match.groups()
    else:
        raise CellError(Msg(_NOT_A_DATE, value=text))
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(
            Msg(
                "'{value}' is not a real date; expected a date as YYYY-MM-DD or DD.MM.YYYY",
                value=text,
            )
        ) from None


def parse_period(value: Any) -> dt.date | None:
    """A month as YYYY-MM, stored as its first day (an XLSX date counts as its month)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = cell_text(value).strip()
    if not text:
        return None
    match = _PERIOD.fullmatch(text)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise CellError(Msg("'{value}' is not a month; expected YYYY-MM, like 2024-03", value=text))
    return dt.date(int(match[1]), int(match[2]), 1)


def parse_bool(value: Any) -> bool | None:
    """Yes or no: true/false, yes/no, 1/0 (and да/нет)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = cell_text(value).strip().lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(
        Msg(
            "'{value}' is not yes or no; expected true/false, yes/no or 1/0",
            value=cell_text(value).strip(),
        )
    )


def parse_email(value: Any, max_length: int | None = None) -> str | None:
    """An e-mail address (only its shape is checked)."""
    text = parse_text(value, max_length)
    if text is not None and not _EMAIL.fullmatch(text):
        raise CellError(
            Msg(
                "'{value}' is not an e-mail address; expected one like name@example.com", value=text
            )
        )
    return text


def parse_choice(value: Any, choices: tuple[str, ...]) -> str | None:
    """One of ``choices``, matched case-insensitively."""
    text = parse_text(value)
    if text is None:
        return None
    lowered = text.lower()
    if lowered not in choices:
        raise CellError(
            Msg(
                "'{value}' is not allowed; expected one of {choices}",
                value=text,
                choices=", ".join(choices),
            )
        )
    return lowered
