"""What a weekly review covers: the week and the day it is seen on, the KAMs, their clients.

A review week runs Monday to Sunday; it is seen on its **review date**, the week's last working
day (today while the week is still running). "Since last week" compares the data as of the
review date with the data as of seven days before it: the window is the seven days
``review_date - 6 .. review_date``.

The rules of what a review shows are written here, once (docs/METRICS.md, "Weekly review"):

- **Month just closed**: while the review date is among the first CLOSED_MONTH_WORKING_DAYS
  working days of its month, the review also shows the previous month's final figures.
- **A week ago**: plan gaps a week ago are the review month's plans minus the fact as of
  ``week_before``; when that day is before the month began, the month is **new**.
- **Movers window**: the last MOVER_WEEKS full weeks (Mon–Sun) up to the review date against
  the same weeks 52 weeks earlier.
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
# The month just closed shows beside the new one this many working days into the new month
# (the week holding the first working day of a month always qualifies: at most five of them).
CLOSED_MONTH_WORKING_DAYS = 5
MOVER_WEEKS = 4
# "The same weeks a year before": 52 weeks back, so Mondays stay Mondays.
YEAR_OF_WEEKS = dt.timedelta(weeks=52)


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

    @property
    def closed_month(self) -> periods.Period | None:
        """The month just closed, shown with its final figures beside the review month: while
        the review date is within the first CLOSED_MONTH_WORKING_DAYS working days of its month."""
        month = self.month
        if periods.working_days(month.start, self.review_date) > CLOSED_MONTH_WORKING_DAYS:
            return None
        return periods.month_of(month.start - dt.timedelta(days=1))

    @property
    def new_month(self) -> bool:
        """True when the review month began after the day "a week ago": its gap a week ago is the
        whole plan, which is no change to speak of."""
        return self.week_before < self.month.start

    @property
    def movers_window(self) -> tuple[dt.date, dt.date]:
        """The movers' days: the last MOVER_WEEKS full weeks, Monday to Sunday, cut at the review
        date. The reviewed week counts as full once the review date is its last working day."""
        full = self.review_date >= last_working_day(self.monday)
        last_monday = self.monday if full else periods.add_weeks(self.monday, -1)
        first = periods.add_weeks(last_monday, 1 - MOVER_WEEKS)
        return first, min(periods.sunday_of(last_monday), self.review_date)

    @property
    def movers_window_year_before(self) -> tuple[dt.date, dt.date]:
        """The same weeks a year before: the movers window moved back 52 weeks."""
        first, last = self.movers_window
        return first - YEAR_OF_WEEKS, last - YEAR_OF_WEEKS


def last_working_day(day: dt.date) -> dt.date:
    """The last working day of the week containing ``day`` (a week without one: its Sunday)."""
    days = periods.week_of(day)
    working = [d for d in days if periods.is_working_day(d)]
    return working[-1] if working else days[-1]


def review_week(day: dt.date, today: dt.date) -> ReviewWeek:
    """The week containing ``day`` (a later week than today's becomes today's), seen on its last
    working day, or today when that is earlier (a week without working days: its Sunday)."""
    monday = periods.monday_of(min(day, today))
    return ReviewWeek(monday=monday, review_date=min(last_working_day(monday), today))


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
