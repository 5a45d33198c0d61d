"""Money: exact to the cent, as ``Decimal`` with two decimals (see docs/METRICS.md, Amounts), and
the one rule that reads a number typed in a form or written in an import file."""

from __future__ import annotations

import re
from decimal import Decimal

from kam.core.i18n import N_, Msg

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# Amounts have two decimals, so "greater than 0" is "greater than half a cent": on SQLite the
# sums are floats and 0.1 + 0.2 - 0.3 is not exactly 0. A float, to compare with in SQL.
HALF_CENT = 0.005


def to_cent(value: Decimal | float | int | str | None) -> Decimal:
    """``value`` (a sum from the database, a computed Decimal) rounded to the cent; None is 0."""
    # Through str: a float from SQLite becomes the decimal it prints as, not its binary expansion.
    return ZERO if value is None else Decimal(str(value)).quantize(CENT)


class NumberError(ValueError):
    """Typed or exported text that is not a number; the message (a ``Msg``) says what was
    expected, and ``ambiguous`` is true when it is a number read two ways (``1,234``)."""

    def __init__(self, message: str, *, ambiguous: bool = False) -> None:
        super().__init__(message)
        self.ambiguous = ambiguous


# Thousands separators seen in exports and typed text: space, no-break space, narrow no-break
# space, thin space, apostrophe and typographic apostrophe.
GROUP_MARKS = " \u00a0\u202f\u2009'’"
_MINUS = "-\u2212"
_SIGN = r"(?P<sign>[+\-\u2212]?)"
_NUMBER = re.compile(
    _SIGN + r"(?P<int>\d{1,3}(?:[" + GROUP_MARKS + r"]\d{3})+|\d+)"
    r"(?:(?P<mark>[.,])(?P<frac>\d+))?",
    re.ASCII,  # \d is 0-9 only: Decimal would read other scripts' digits too
)
# English grouping: commas between thousands, and then only a point may mark decimals.
_COMMA_GROUPED = re.compile(
    _SIGN + r"(?P<int>\d{1,3}(?:,\d{3})+)(?:\.(?P<frac>\d+))?",
    re.ASCII,
)
NOT_A_NUMBER = N_("'{value}' is not a number; expected a number like 1234.56 or 1 234,56")
AMBIGUOUS = N_(
    "'{value}' is ambiguous (a thousands comma or a decimal one); expected {whole} or "
    "{grouped} for a whole number, {fraction} for a fraction"
)


def parse_number(text: str) -> Decimal:
    """A number as people type it and exports write it; NumberError otherwise.

    The rule, the same for forms and imports: a point always marks decimals; a comma marks
    decimals too, unless commas group thousands before a point or before more commas
    (``1,234.56``, ``1,234,567``); a lone comma followed by exactly three digits (``1,234``) is
    refused as ambiguous. Thousands may also be grouped by spaces or apostrophes (``1 234,56``).
    """
    value = text.strip()
    match = _NUMBER.fullmatch(value)
    if match is not None:
        digits, frac = match["int"], match["frac"]
        sign = "-" if match["sign"] and match["sign"] in _MINUS else ""
        if (
            match["mark"] == ","
            and len(frac) == 3
            and digits.isdigit()
            and len(digits) <= 3
            and not digits.startswith("0")
        ):
            raise NumberError(
                Msg(
                    AMBIGUOUS,
                    value=value,
                    whole=f"{sign}{digits}{frac}",
                    grouped=f"{sign}{digits} {frac}",
                    fraction=f"{sign}{digits}.{frac}",
                ),
                ambiguous=True,
            )
    else:
        match = _COMMA_GROUPED.fullmatch(value)
        if match is None:
            raise NumberError(Msg(NOT_A_NUMBER, value=value))
        frac = match["frac"]
    sign = "-" if match["sign"] and match["sign"] in _MINUS else ""
    whole = "".join(c for c in match["int"] if c.isdigit())
    return Decimal(f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}")
