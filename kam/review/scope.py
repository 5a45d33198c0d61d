"""What a weekly review covers: the week and the day it is seen on, the KAMs, their clients.

A review week runs Monday to Sunday; it is seen on its **review date**, the week's last working
day (today while the week is still running). "Since last week" compares the data as of the
review date with the data as of seven days before it: the window is the seven days
``review_date - 6 .. review_date``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from kam.core import periods
from kam.core.access import Viewer
from kam.core.models import Client, Manager
from kam.portfolio import managers

CLIENT_COLUMNS = ["client_id", "client_code", "client_name", "manager_code"]


@dataclass(frozen=True)
class ReviewWeek:
    """The week under review and the day its figures are seen on."""

    monday: dt.date
    review_date: dt.date

    @property
    def sunday(self) -> dt.date:
        return periods.sunday_of(self.monday)

    @property
    def week_before(self) -> dt.date:
        """The day "last week" is seen on: seven days before the review date."""
        return self.review_date - dt.timedelta(days=7)

    @property
    def window_start(self) -> dt.date:
        """First day of the seven days "since last week" (the review date is the last)."""
        return self.review_date - dt.timedelta(days=6)

    @property
    def month(self) -> periods.Period:
        """The month whose plans the review looks at: the review date's."""
        return periods.month_of(self.review_date)

    @property
    def next_monday(self) -> dt.date:
        return periods.add_weeks(self.monday, 1)


def review_week(day: dt.date, today: dt.date) -> ReviewWeek:
    """The week containing ``day`` (a later week than today's becomes today's), seen on its last
    working day, or today when that is earlier (a week without working days: its Sunday)."""
    monday = periods.monday_of(min(day, today))
    days = periods.week_of(monday)
    working = [d for d in days if periods.is_working_day(d)]
    last = working[-1] if working else days[-1]
    return ReviewWeek(monday=monday, review_date=min(last, today))


def recent_weeks(today: dt.date, count: int = 12) -> list[dt.date]:
    """The Mondays of the ``count`` weeks up to today's, newest first."""
    return [periods.add_weeks(today, -i) for i in range(count)]


def review_managers(
    session: Session, *, viewer: Viewer, manager_id: int | None = None
) -> pd.DataFrame:
    """The KAMs with a slide (manager_id, code, name, role), by code: the chosen one or all."""
    team = managers.managers(session, viewer=viewer).sort_values("code").reset_index(drop=True)
    if manager_id is not None:
        team = team[team["manager_id"] == manager_id].reset_index(drop=True)
    return team


def visible_clients(session: Session, viewer: Viewer) -> pd.DataFrame:
    """Visible clients with code, name and manager code (CLIENT_COLUMNS), indexed by client_id."""
    query = (
        select(Client.id, Client.code, Client.name, Manager.code)
        .join(Manager, Manager.id == Client.manager_id)
        .where(viewer.client_condition())
    )
    return pd.DataFrame(session.execute(query).all(), columns=CLIENT_COLUMNS).set_index(
        "client_id", drop=False
    )


def with_names(rows: pd.DataFrame, names: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``rows`` (with client_id) joined to client code, name and manager code of ``names``
    (visible_clients), cut to ``columns``."""
    if rows.empty:
        return pd.DataFrame(columns=columns)
    extra = [c for c in CLIENT_COLUMNS if c != "client_id"]
    merged = rows.drop(columns=[c for c in extra if c in rows.columns]).merge(
        names[extra], left_on="client_id", right_index=True
    )
    return merged[columns].reset_index(drop=True)
