"""Money has one home, kam.core.money: exact to the cent, whoever computes it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kam.core import money


@pytest.mark.parametrize(
    ("value", "cents"),
    [
        (None, Decimal("0.00")),
        (0, Decimal("0.00")),
        (12, Decimal("12.00")),
        (0.1 + 0.2, Decimal("0.30")),  # a float sum from SQLite: 0.30000000000000004
        ("1200.5", Decimal("1200.50")),
        (Decimal("7.125"), Decimal("7.12")),  # half to even, as Decimal rounds by default
        (Decimal("-3.456"), Decimal("-3.46")),
    ],
)
def test_money_is_rounded_to_the_cent(value, cents):
    got = money.to_cent(value)
    assert got == cents
    assert got.as_tuple().exponent == -2
