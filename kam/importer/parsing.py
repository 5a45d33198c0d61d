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

from kam.core.i18n import N_, Msg, text_of
from kam.core.money import NOT_A_NUMBER, NumberError, parse_number

# Digits with at most one decimal mark: most cells of a large file, read without the full rule.
PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?", re.ASCII)
# ASCII digits only, as for numbers (kam.core.money): int() would read other scripts' digits too.
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?", re.ASCII)
_PERIOD = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Control characters other than tab and line breaks (which a quoted value may hold): NUL cannot
# be stored in PostgreSQL, and the others only come from binary junk or a wrong encoding. So does
# a byte order mark (U+FEFF) inside the text, from files joined together: an invisible character
# that would make "\ufeffC4" a key of its own, not C4.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
# Dates an export can sensibly hold; outside them a date is a typo, and date arithmetic (a due
# date from payment terms) could overflow.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
_TRUE = frozenset({"true", "yes", "y", "1", "t", "да", "д"})
_FALSE = frozenset({"false", "no", "n", "0", "f", "нет", "н"})

# Whole sentences, so a translation can order its words as its language needs.
_NOT_A_NUMBER = NOT_A_NUMBER
_TOO_PRECISE = N_("'{value}' has more than {places} decimal places; expected at most {places}")
_NOT_WHOLE = N_("'{value}' is not a whole number; expected digits like 30")
_NOT_A_DATE = N_("'{value}' is not a date; expected a date as YYYY-MM-DD or DD.MM.YYYY")


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
    if (control := _CONTROL.search(text)) is not None:
        raise CellError(
            Msg(
                "holds the control character U+{code} at position {position}; expected text "
                "without control characters (tab and line breaks are allowed)",
                code=f"{ord(control[0]):04X}",
                position=control.start() + 1,
            )
        )
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
    """A number by the rule forms use too (kam.core.money.parse_number), at most ``places``
    decimals."""
    if type(value) is str:
        text = value.strip()
        if not text:
            return None
        try:
            number = parse_number(text)
        except NumberError as exc:
            raise CellError(text_of(exc)) from None
    elif value is None:
        return None
    elif isinstance(value, bool):
        raise CellError(Msg(_NOT_A_NUMBER, value=cell_text(value)))
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if not number.is_finite():  # an XLSX cell may hold inf or nan
            raise CellError(Msg(_NOT_A_NUMBER, value=cell_text(value)))
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
    if not isinstance(value, str):  # an XLSX date or time cell
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
        return _in_range(value.date(), cell_text(value))
    if isinstance(value, dt.date):
        return _in_range(value, cell_text(value))
    raise CellError(Msg(_NOT_A_DATE, value=cell_text(value)))


def _in_range(day: dt.date, shown: str) -> dt.date:
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise CellError(
            Msg(
                "'{value}' is outside the years {first} to {last}; expected a date from {earliest} "
                "to {latest}",
                value=shown,
                first=EARLIEST_DATE.year,
                last=LATEST_DATE.year,
                earliest=EARLIEST_DATE.isoformat(),
                latest=LATEST_DATE.isoformat(),
            )
        )
    return day


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
        return _in_range(dt.date(int(year), int(month), int(day)), text)
    except CellError:
        raise
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
        return _in_range(value.replace(day=1), cell_text(value))
    text = cell_text(value).strip()
    if not text:
        return None
    match = _PERIOD.fullmatch(text)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise CellError(Msg("'{value}' is not a month; expected YYYY-MM, like 2024-03", value=text))
    return _in_range(dt.date(int(match[1]), int(match[2]), 1), text)


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
