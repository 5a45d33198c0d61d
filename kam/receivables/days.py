"""The as-of days the receivables are computed on, and the windows each figure looks back over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import CTE, ColumnElement, Date, case, literal, select, union_all

from kam.core.periods import last_12_months
from kam.core.sqlfn import days_between

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False

DSO_DAYS = 90  # DSO weighs the outstanding against the revenue of this many days up to D


def as_of_days(days: Sequence[dt.date], name: str = "as_of_days") -> CTE:
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
    return (rows[0] if len(rows) == 1 else union_all(*rows)).cte(name)


def days_late(payment_date: ColumnElement, due_date: ColumnElement) -> ColumnElement[int]:
    """Days late of money paid on ``payment_date`` for an invoice due on ``due_date``: money paid
    by its due date (a prepayment too) is 0 days late."""
    past_due = days_between(payment_date, due_date)
    return case((past_due > 0, past_due), else_=literal(0))
