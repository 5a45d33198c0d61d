"""The Weekly plan's reads: the contacts of a week Monday to Sunday, planned contacts whose day
passed, the coverage of A/B/C clients, and the client picker of the planning form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ColumnElement, case, false, func, or_, select
from sqlalchemy.orm import Session

from kam import portfolio
from kam.core import clock, config, periods
from kam.core.access import Viewer
from kam.core.db import is_sqlite
from kam.core.models import Client, Manager, Visit

WEEK_COLUMNS = [
    "visit_id",
    "version",
    "day",
    "weekday",
    "manager_id",
    "manager_code",
    "client_id",
    "client_code",
    "client_name",
    "kind",
    "status",
    "planned_for",
    "done_at",
    "outcome",
    "notes",
    "next_step",
    "next_step_date",
    "overdue",
]
COVERAGE_COLUMNS = ["abc_class", "days", "clients", "contacted", "share_pct"]
NOT_CONTACTED_COLUMNS = [
    "client_id",
    "client_code",
    "client_name",
    "manager_id",
    "abc_class",
    "last_contact",
    "days_since",
]


@dataclass(frozen=True)
class ClientChoice:
    """A client offered by the picker; ``own`` when it is in the viewer's portfolio."""

    id: int
    code: str
    name: str
    own: bool


@dataclass(frozen=True)
class Coverage:
    """Per ABC class the share of clients contacted recently, and who was not."""

    summary: pd.DataFrame  # COVERAGE_COLUMNS, rows A, B, C
    not_contacted: pd.DataFrame  # NOT_CONTACTED_COLUMNS


def _as_date(value: dt.date | str | None) -> dt.date | None:
    # SQLite hands a CASE over date columns back as ISO text.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def week_grid(
    session: Session,
    *,
    viewer: Viewer,
    week_start: dt.date,
    manager_id: int | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Visible contacts of the week containing ``week_start``, Monday to Sunday (WEEK_COLUMNS);
    done ones on their done day, others on their planned day; ``overdue``: planned, day passed."""
    days = periods.week_of(week_start)
    today = today or clock.today()
    day = case(
        (Visit.status == "done", func.coalesce(Visit.done_at, Visit.planned_for)),
        else_=Visit.planned_for,
    )
    query = (
        select(
            Visit.id,
            Visit.version,
            day,
            Visit.manager_id,
            Manager.code,
            Visit.client_id,
            Client.code,
            Client.name,
            Visit.kind,
            Visit.status,
            Visit.planned_for,
            Visit.done_at,
            Visit.outcome,
            Visit.notes,
            Visit.next_step,
            Visit.next_step_date,
        )
        .join(Client, Client.id == Visit.client_id)
        .join(Manager, Manager.id == Visit.manager_id)
        .where(day.between(days[0], days[-1]), viewer.client_condition())
        .order_by(day, Manager.code, Client.code, Visit.id)
    )
    if manager_id is not None:
        query = query.where(Visit.manager_id == manager_id)
    rows = []
    for r in session.execute(query):
        on = _as_date(r[2])
        assert on is not None
        overdue = r.status == "planned" and on < today
        rows.append((r[0], r[1], on, periods.WEEKDAYS[on.weekday()], *r[3:], overdue))
    return pd.DataFrame(rows, columns=WEEK_COLUMNS)


def coverage(
    session: Session,
    *,
    viewer: Viewer,
    as_of: dt.date,
    manager_id: int | None = None,
    classes: Mapping[int, str] | None = None,
) -> Coverage:
    """Per ABC class the share of visible, not lost clients with a done contact at most
    coverage_days_a/b/c days before ``as_of``, and the others; classes default to abc_xyz."""
    if classes is None:
        abc = portfolio.abc_xyz(session, viewer=viewer, as_of=as_of, manager_id=manager_id)
        classes = dict(zip(abc["client_id"], abc["abc_class"], strict=True))
    settings = config.settings()
    limits = {
        "A": settings.coverage_days_a,
        "B": settings.coverage_days_b,
        "C": settings.coverage_days_c,
    }
    last = (
        select(Visit.client_id, func.max(Visit.done_at).label("last_contact"))
        .where(Visit.status == "done", Visit.done_at <= as_of)
        .group_by(Visit.client_id)
        .subquery()
    )
    query = (
        select(Client.id, Client.code, Client.name, Client.manager_id, last.c.last_contact)
        .outerjoin(last, last.c.client_id == Client.id)
        .where(viewer.client_condition(), Client.status != "lost")
        .order_by(Client.code)
    )
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    counts = {cls: [0, 0] for cls in limits}
    missing = []
    for cid, code, name, mid, last_contact in session.execute(query):
        cls = classes.get(cid)
        if cls not in limits:
            continue
        on = _as_date(last_contact)
        days_since = None if on is None else (as_of - on).days
        counts[cls][0] += 1
        if days_since is not None and days_since <= limits[cls]:
            counts[cls][1] += 1
        else:
            missing.append((cid, code, name, mid, cls, on, days_since))
    summary = pd.DataFrame(
        [
            (cls, limits[cls], n, done, None if n == 0 else round(done * 100 / n, 1))
            for cls, (n, done) in counts.items()
        ],
        columns=COVERAGE_COLUMNS,
    )
    # Never contacted first, then the longest silence, within each class.
    missing.sort(key=lambda m: (m[4], m[6] is not None, -(m[6] or 0), m[1]))
    not_contacted = pd.DataFrame(missing, columns=NOT_CONTACTED_COLUMNS)
    not_contacted["days_since"] = not_contacted["days_since"].astype("Int64")
    return Coverage(summary, not_contacted)


def overdue_planned(
    session: Session, *, viewer: Viewer, today: dt.date | None = None, manager_id: int | None = None
) -> pd.DataFrame:
    """Visible planned contacts dated before today, oldest first (WEEK_COLUMNS)."""
    today = today or clock.today()
    query = (
        select(Visit.planned_for)
        .join(Client, Client.id == Visit.client_id)
        .where(Visit.status == "planned", Visit.planned_for < today, viewer.client_condition())
    )
    if manager_id is not None:
        query = query.where(Visit.manager_id == manager_id)
    weeks = sorted({periods.monday_of(d) for (d,) in session.execute(query)})
    frames = [
        week_grid(session, viewer=viewer, week_start=w, manager_id=manager_id, today=today)
        for w in weeks
    ]
    if not frames:
        return pd.DataFrame(columns=WEEK_COLUMNS)
    grid = pd.concat(frames, ignore_index=True)
    return grid[grid["overdue"]].reset_index(drop=True)


def _lower(session: Session) -> Callable[[ColumnElement[str]], ColumnElement[str]]:
    """SQL lower() that also folds Cyrillic and other scripts on SQLite (whose own is ASCII-only)."""
    if not is_sqlite(session):
        return func.lower
    raw = session.connection().connection.driver_connection
    raw.create_function(
        "kam_lower", 1, lambda s: None if s is None else s.lower(), deterministic=True
    )
    return func.kam_lower


def client_search(
    session: Session, *, viewer: Viewer, text: str, limit: int = 20
) -> list[ClientChoice]:
    """Visible clients whose code or name contains ``text`` in any case: own clients first,
    then codes starting with it, then by code."""
    needle = " ".join((text or "").split()).lower()
    lower = _lower(session)
    own = Client.manager_id == viewer.manager_id if viewer.manager_id is not None else false()
    query = select(Client.id, Client.code, Client.name, own).where(viewer.client_condition())
    order = [case((own, 0), else_=1)]
    if needle:
        query = query.where(
            or_(
                lower(Client.code).contains(needle, autoescape=True),
                lower(Client.name).contains(needle, autoescape=True),
            )
        )
        order.append(case((lower(Client.code).startswith(needle, autoescape=True), 0), else_=1))
    query = query.order_by(*order, Client.code).limit(limit)
    return [
        ClientChoice(cid, code, name, bool(is_own))
        for cid, code, name, is_own in session.execute(query)
    ]
