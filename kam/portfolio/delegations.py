"""Delegations: a manager's portfolio given to another from one date to another, set,
cancelled and listed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, aliased

from kam.core import audit, clock
from kam.core.access import Capability, Viewer, require, roles_with
from kam.core.audit import Actor
from kam.core.i18n import N_, Msg
from kam.core.models import Delegation, Manager
from kam.core.validation import Checker, NotFound, ValidationError, column_length, years_from
from kam.core.writes import values_of

# Who may delegate, and who may stand in: kam.core.access.
DELEGATION_YEARS_AHEAD = 1
DELEGATION_COLUMNS = [
    "delegation_id",
    "from_manager_id",
    "from_code",
    "from_name",
    "to_manager_id",
    "to_code",
    "to_name",
    "starts_on",
    "ends_on",
    "reason",
    "status",
    "created_by",
]
PEOPLE_COLUMNS = ["manager_id", "code", "name", "email", "role", "active", "clients", "version"]


def delegate(
    session: Session,
    *,
    viewer: Viewer,
    actor: Actor,
    from_manager_id: int,
    to_manager_id: int,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str | None = None,
    today: dt.date | None = None,
) -> Delegation:
    """Give a manager's portfolio to another from ``starts_on`` to ``ends_on`` inclusive (head,
    admin). Not to oneself, to an active KAM or head, not over an existing delegation of it."""
    require(viewer, Capability.MANAGE_PORTFOLIOS)
    today = today or clock.today()
    checker = Checker()
    source = session.get(Manager, from_manager_id) if from_manager_id else None
    target = session.get(Manager, to_manager_id) if to_manager_id else None
    if source is None:
        checker.add("from_manager_id", "Choose whose portfolio is delegated.")
    if target is None:
        checker.add("to_manager_id", "Choose who takes the portfolio.")
    elif source is not None and source.id == target.id:
        checker.add("to_manager_id", "A portfolio cannot be delegated to its own manager.")
    elif not target.active:
        checker.add("to_manager_id", Msg("{name} is deactivated.", name=target.name))
    elif target.role not in roles_with(Capability.SUBSTITUTE):
        # Of the roles a manager may hold, only the administrator's may not stand in.
        checker.add(
            "to_manager_id",
            Msg("{name} is an administrator, who may not change client data.", name=target.name),
        )
    latest = years_from(today, DELEGATION_YEARS_AHEAD)
    window = dict(earliest=years_from(today, -DELEGATION_YEARS_AHEAD), latest=latest,
                  why_earliest=N_("more than a year ago"), why_latest=N_("more than a year ahead"))  # fmt: skip
    starts_on = checker.date_between("starts_on", starts_on, label=N_("From"), **window)
    ends_on = checker.date_between("ends_on", ends_on, label=N_("To"), **window)
    if starts_on and ends_on and "ends_on" not in checker.problems:
        in_order = checker.not_before(
            "ends_on", ends_on, label=N_("To"), start=starts_on, start_label=N_("From")
        )
        if in_order and ends_on < today:
            checker.add("ends_on", Msg("To {end} is already past.", end=ends_on.isoformat()))
    clean_reason = checker.text(
        "reason", reason, label=N_("Reason"), max_length=column_length(Delegation.reason)
    )
    if source is not None and starts_on and ends_on and not checker.problems:
        clash = session.execute(
            select(Delegation, Manager.name)
            .join(Manager, Manager.id == Delegation.to_manager_id)
            .where(
                Delegation.from_manager_id == source.id,
                Delegation.starts_on <= ends_on,
                Delegation.ends_on >= starts_on,
            )
            .limit(1)
        ).first()
        if clash is not None:
            other, name = clash
            checker.add(
                "starts_on",
                Msg(
                    "{source}'s portfolio is already delegated to {name} from {start} to {end}; "
                    "the dates overlap.",
                    source=source.name,
                    name=name,
                    start=other.starts_on.isoformat(),
                    end=other.ends_on.isoformat(),
                ),
            )
    checker.raise_if_any()
    row = Delegation(
        from_manager_id=source.id, to_manager_id=target.id, starts_on=starts_on, ends_on=ends_on,
        reason=clean_reason, created_by_id=actor.id,
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(
        session, actor=actor, entity="delegation", entity_id=row.id, action="create",
        after=_delegation_values(row),
    )  # fmt: skip
    return row


def _delegation_values(row: Delegation) -> dict:
    return values_of(row, ("from_manager_id", "to_manager_id", "starts_on", "ends_on", "reason"))


def cancel_delegation(
    session: Session,
    *,
    viewer: Viewer,
    actor: Actor,
    delegation_id: int,
    today: dt.date | None = None,
) -> Delegation | None:
    """Cancel a delegation (head, admin): one not yet begun (or begun today) is removed, a running
    one ends yesterday; one already over cannot be cancelled. The ended row, or None if removed."""
    require(viewer, Capability.MANAGE_PORTFOLIOS)
    today = today or clock.today()
    row = session.get(Delegation, delegation_id, with_for_update=True)
    if row is None:
        raise NotFound(Msg("This delegation no longer exists; it was cancelled meanwhile."))
    if row.ends_on < today:
        raise ValidationError({"delegation_id": N_("This delegation is already over.")})
    before = _delegation_values(row)
    if row.starts_on >= today:
        session.execute(delete(Delegation).where(Delegation.id == row.id))
        audit.record(
            session, actor=actor, entity="delegation", entity_id=delegation_id, action="delete",
            before=before,
        )  # fmt: skip
        return None
    row.ends_on = today - dt.timedelta(days=1)
    session.flush()
    audit.record(
        session, actor=actor, entity="delegation", entity_id=row.id, action="cancel",
        before=before, after=_delegation_values(row),
    )  # fmt: skip
    return row


def delegation_status(starts_on: dt.date, ends_on: dt.date, today: dt.date) -> str:
    """upcoming, current or past, seen on ``today``."""
    if today < starts_on:
        return "upcoming"
    return "past" if today > ends_on else "current"


def delegations(
    session: Session,
    *,
    viewer: Viewer,
    today: dt.date,
    include_past: bool = False,
    manager_id: int | None = None,
) -> pd.DataFrame:
    """Delegations, latest start first (columns DELEGATION_COLUMNS); a KAM sees only those
    given by or to him or her; ``manager_id`` keeps those of one manager either way."""
    giver, taker, creator = aliased(Manager), aliased(Manager), aliased(Manager)
    query = (
        select(
            Delegation.id, Delegation.from_manager_id, giver.code, giver.name,
            Delegation.to_manager_id, taker.code, taker.name, Delegation.starts_on,
            Delegation.ends_on, Delegation.reason, creator.name,
        )
        .join(giver, giver.id == Delegation.from_manager_id)
        .join(taker, taker.id == Delegation.to_manager_id)
        .outerjoin(creator, creator.id == Delegation.created_by_id)
        .order_by(Delegation.starts_on.desc(), Delegation.id.desc())
    )  # fmt: skip
    mine = viewer.manager_id if not viewer.sees_all else manager_id
    if not viewer.sees_all or manager_id is not None:
        query = query.where(
            (Delegation.from_manager_id == mine) | (Delegation.to_manager_id == mine)
        )
    if not include_past:
        query = query.where(Delegation.ends_on >= today)
    rows = [(*r[:10], delegation_status(r[7], r[8], today), r[10]) for r in session.execute(query)]
    return pd.DataFrame(rows, columns=DELEGATION_COLUMNS)
