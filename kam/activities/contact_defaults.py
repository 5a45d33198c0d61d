"""What a new contact starts from: the planned contact it completes, and the kind preselected
(the plan's, else the manager's most common)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kam.core.access import Viewer
from kam.core.i18n import Msg
from kam.core.models import VISIT_KINDS, Client, Visit
from kam.core.validation import Checker

KIND_WINDOW_DAYS = 180  # "most common" looks at this half year: habits change with the season


@dataclass(frozen=True)
class OpenPlan:
    """A planned contact a logged one may complete."""

    visit_id: int
    version: int
    kind: str
    planned_for: dt.date


def open_plans(session: Session, *, client_id: int, on: dt.date) -> list[OpenPlan]:
    """The client's planned contacts a contact on ``on`` completes, the best first: planned for
    that day or before (overdue), the latest first. One planned for a later day stays open: an
    e-mail on Tuesday is not Wednesday's visit."""
    rows = session.execute(
        select(Visit.id, Visit.version, Visit.kind, Visit.planned_for)
        .where(Visit.client_id == client_id, Visit.status == "planned", Visit.planned_for <= on)
        .order_by(Visit.planned_for.desc(), Visit.id)
    ).all()  # fmt: skip
    return [OpenPlan(i, v, k, d) for i, v, k, d in rows]


def plan_to_complete(
    session: Session,
    checker: Checker,
    *,
    client_id: int | None,
    on: dt.date | None,
    plan_id: int | None,
    complete: bool,
) -> Visit | None:
    """The planned contact a logged contact completes: ``plan_id`` when given (a problem under
    ``plan_id`` unless it is the client's and still planned), else the best open one; None when
    ``complete`` is off or there is none."""
    if not complete or client_id is None or on is None:
        return None
    if plan_id is None:
        found = open_plans(session, client_id=client_id, on=on)
        return session.get(Visit, found[0].visit_id) if found else None
    row = session.get(Visit, plan_id, populate_existing=True)
    if row is None or row.client_id != client_id:
        checker.add("plan_id", Msg("There is no planned contact {id} for this client.", id=plan_id))
        return None
    if row.status != "planned":
        # Completed meanwhile (by the Weekly plan, or this form sent twice): log it anew.
        return None
    return row


def usual_kind(
    session: Session, *, viewer: Viewer, client_id: int | None, today: dt.date
) -> str:
    """The kind a new contact starts with: the client's open plan's, else the kind this manager
    (or, for one who sees all without a portfolio, everyone visible) logs most, else a visit."""
    if client_id is not None:
        found = open_plans(session, client_id=client_id, on=today)
        if found:
            return found[0].kind
    since = today - dt.timedelta(days=KIND_WINDOW_DAYS)
    query = (
        select(Visit.kind, func.count())
        .join(Client, Client.id == Visit.client_id)
        .where(Visit.status == "done", Visit.done_at >= since, viewer.client_condition())
        .group_by(Visit.kind)
    )
    if viewer.manager_id is not None:
        query = query.where(Visit.manager_id == viewer.manager_id)
    counts = Counter({kind: int(n) for kind, n in session.execute(query)})
    if not counts:
        return VISIT_KINDS[0]
    # Ties go to the order of VISIT_KINDS, so the choice does not flicker between reruns.
    return max(VISIT_KINDS, key=lambda k: (counts[k], -VISIT_KINDS.index(k)))
