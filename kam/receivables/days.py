"""The as-of days the receivables are computed on, and the windows each figure looks back over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import CTE, Date, literal, select, union_all

from kam.core.periods import last_12_months

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False

DSO_DAYS = 90  # DSO weighs the outstanding against the revenue of this many days up to D


def as_of_days(days: Sequence[dt.date]) -> CTE:
    """The days as a CTE: as_of, year_from (discipline counts money paid from it on) and
    sales_from (the first day of DSO's revenue)."""
    rows = [
        select(
            literal(day, Date).label("as_of"),
            literal(last_12_months(day)[0], Date).label("year_from"),
            literal(day - dt.timedelta(days=DSO_DAYS - 1), Date).label("sales_from"),
        )
        for day in sorted(set(days))
    ]
    return (rows[0] if len(rows) == 1 else union_all(*rows)).cte("as_of_days")
