"""Money: exact to the cent, as ``Decimal`` with two decimals (see docs/METRICS.md, Amounts)."""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# Amounts have two decimals, so "greater than 0" is "greater than half a cent": on SQLite the
# sums are floats and 0.1 + 0.2 - 0.3 is not exactly 0. A float, to compare with in SQL.
HALF_CENT = 0.005


def to_cent(value: Decimal | float | int | str | None) -> Decimal:
    """``value`` (a sum from the database, a computed Decimal) rounded to the cent; None is 0."""
    # Through str: a float from SQLite becomes the decimal it prints as, not its binary expansion.
    return ZERO if value is None else Decimal(str(value)).quantize(CENT)
