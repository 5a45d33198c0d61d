"""DSO and payment discipline at each month end: the collection trend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kam import sales
from kam.core.access import Viewer
from kam.core.models import Client, Manager
from kam.core.money import ZERO, to_cent
from kam.core.periods import add_months
from kam.core.team import TEAM
from kam.receivables.discipline import (
    average_days_late,
    collection_figures,
    days_sales_outstanding,
)

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False

TREND_COLUMNS = [
    "as_of",
    "manager_id",
    "manager_code",
    "outstanding",
    "revenue_90d",
    "dso",
    "paid_12m",
    "avg_days_late",
]


def trend_days(as_of: dt.date, months: int = 12) -> list[dt.date]:
    """The last days of the ``months`` months ending with ``as_of``'s month, the last one cut at
    ``as_of``; oldest first."""
    days = []
    for back in range(months - 1, 0, -1):
        days.append(add_months(as_of, -back + 1) - dt.timedelta(days=1))
    return [*days, as_of]


def collection_trend(
    session: Session, *, viewer: Viewer, as_of: dt.date, months: int = 12
) -> pd.DataFrame:
    """DSO and payment discipline at each of ``trend_days(as_of, months)`` (columns TREND_COLUMNS).

    One row per day and manager (the clients' own manager), then, for those who see all, a
    company row (a team row) per day. The days the store does not cover are allocated in one SQL
    statement; each row's figures are those ``dso`` and ``payment_discipline`` give for that day.
    """
    days = trend_days(as_of, months)
    fig = collection_figures(session, days, viewer=viewer)
    query = (
        select(
            fig.c.as_of,
            Client.manager_id,
            Manager.code,
            func.sum(fig.c.outstanding),
            func.sum(fig.c.revenue_90d),
            func.sum(fig.c.paid_12m),
            func.sum(fig.c.late_days),
        )
        .join(Client, Client.id == fig.c.client_id)
        .join(Manager, Manager.id == Client.manager_id)
        .group_by(fig.c.as_of, Client.manager_id, Manager.code)
    )
    found: dict[tuple[dt.date, int], tuple] = {}
    codes: dict[int, str] = {}
    for day, mid, code, owed, revenue, paid, late in session.execute(query):
        codes[mid] = code
        found[(sales.as_date(day), mid)] = (
            to_cent(owed),
            to_cent(revenue),
            to_cent(paid),
            Decimal(str(late or 0)),
        )
    rows = []
    for day in days:
        for mid in sorted(codes, key=codes.__getitem__):
            rows.append(_trend_row(day, mid, codes[mid], found.get((day, mid))))
        if viewer.sees_all:
            mine = [v for (d, _), v in found.items() if d == day]
            total = tuple(sum((v[i] for v in mine), Decimal(0)) for i in range(4))
            rows.append(_trend_row(day, TEAM, TEAM, total))
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def _trend_row(day: dt.date, mid: int | None, code: str | None, values: tuple | None) -> tuple:
    owed, revenue, paid, late = values or (ZERO, ZERO, ZERO, Decimal(0))
    return (
        day,
        mid,
        code,
        owed,
        revenue,
        days_sales_outstanding(owed, revenue),
        paid,
        average_days_late(late, paid),
    )
