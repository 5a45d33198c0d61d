"""The people in the team and their portfolios: who can be picked as a manager, the users
(add, change, deactivate), moving clients from one manager to another, and delegations."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, aliased

from kam.core import audit, clock
from kam.core.access import Viewer
from kam.core.audit import Actor
from kam.core.cache import ledger_only
from kam.core.i18n import Msg
from kam.core.models import ROLES, Client, Delegation, Manager, Plan
from kam.core.periods import month_of
from kam.core.validation import Checker, NotFound, ValidationError, years_from
from kam.core.writes import resubmitted, values_of

# The people writes are the admin's job, the portfolio writes the head's (and the admin's);
# "system" is the command line. kam.core.writes.require_writer does not apply: it keeps the admin
# away from client data, not from users.
USER_ROLES = ("admin", "system")
PORTFOLIO_ROLES = ("head", "admin", "system")
# A substitute must be able to work the clients: an admin only reads client data.
SUBSTITUTE_ROLES = ("kam", "head")
DELEGATION_YEARS_AHEAD = 1
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MANAGER_FIELDS = ("code", "name", "email", "role", "active", "version")
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


@dataclass(frozen=True)
class Reassignment:
    """What reassign_clients moved: the clients, and how many of their per-client plans."""

    client_ids: list[int]
    plans_moved: int


@ledger_only
def managers(
    session: Session, *, viewer: Viewer, roles: tuple[str, ...] = ("kam",)
) -> pd.DataFrame:
    """Active managers with one of ``roles`` the viewer may pick: manager_id, code, name, role.

    A KAM picks only himself or herself; head and admin pick anyone.
    """
    query = (
        select(Manager.id, Manager.code, Manager.name, Manager.role)
        .where(Manager.active.is_(True), Manager.role.in_(roles))
        .order_by(Manager.name)
    )
    if not viewer.sees_all:
        query = query.where(Manager.id == viewer.manager_id)
    return pd.DataFrame(
        session.execute(query).all(), columns=["manager_id", "code", "name", "role"]
    )


def require_user_admin(viewer: Viewer) -> None:
    """Raise PermissionError unless the viewer manages users (admin)."""
    if viewer.role not in USER_ROLES:
        raise PermissionError(
            Msg(
                "{name} signed in as {role}; only an administrator adds or changes users.",
                name=viewer.name,
                role=Msg(viewer.role),
            )
        )


def require_portfolio_admin(viewer: Viewer) -> None:
    """Raise PermissionError unless the viewer moves and delegates portfolios (head, admin)."""
    if viewer.role not in PORTFOLIO_ROLES:
        raise PermissionError(
            Msg(
                "{name} signed in as {role}; only the head of sales or an administrator reassigns "
                "clients or delegates a portfolio.",
                name=viewer.name,
                role=Msg(viewer.role),
            )
        )


def people(session: Session, *, viewer: Viewer) -> pd.DataFrame:
    """Every manager, active first then by name, with the number of clients each owns
    (columns PEOPLE_COLUMNS); head and admin only."""
    if not viewer.sees_all:
        raise PermissionError("Only the head of sales and administrators see the list of users.")
    owned = (
        select(Client.manager_id, func.count().label("n")).group_by(Client.manager_id).subquery()
    )
    query = (
        select(
            Manager.id, Manager.code, Manager.name, Manager.email, Manager.role, Manager.active,
            func.coalesce(owned.c.n, 0), Manager.version,
        )
        .outerjoin(owned, owned.c.manager_id == Manager.id)
        .order_by(Manager.active.desc(), Manager.name)
    )  # fmt: skip
    return pd.DataFrame(session.execute(query).all(), columns=PEOPLE_COLUMNS)


def _check_person(
    session: Session,
    checker: Checker,
    *,
    name: str | None,
    email: str | None,
    role: str | None,
    exclude_id: int | None,
) -> tuple[str | None, str | None, str | None]:
    clean_name = checker.text(
        "name", name, label="Name", max_length=_length(Manager.name), required=True
    )
    clean_email = checker.text("email", email, label="E-mail", max_length=_length(Manager.email))
    if clean_email is not None and "email" not in checker.problems:
        if not _EMAIL.match(clean_email):
            checker.add(
                "email",
                Msg(
                    "E-mail {email} is not an e-mail address (name@company.com).",
                    email=repr(clean_email),
                ),
            )
        else:
            query = select(Manager.name).where(func.lower(Manager.email) == clean_email.lower())
            if exclude_id is not None:
                query = query.where(Manager.id != exclude_id)
            taken = session.execute(query).scalars().first()
            if taken is not None:
                checker.add(
                    "email",
                    Msg("E-mail {email} is already used by {name}.", email=clean_email, name=taken),
                )
    clean_role = checker.choice("role", role, label="Role", choices=ROLES)
    return clean_name, clean_email, clean_role


def _length(column) -> int:  # noqa: ANN001
    return column.property.columns[0].type.length


def add_manager(
    session: Session,
    *,
    viewer: Viewer,
    actor: Actor,
    code: str,
    name: str,
    email: str | None,
    role: str = "kam",
) -> Manager:
    """Add an active manager (admin only); e-mail unique in any case, role one of ROLES."""
    require_user_admin(viewer)
    checker = Checker()
    clean_code = checker.text(
        "code", code, label="Code", max_length=_length(Manager.code), required=True
    )
    if clean_code and "code" not in checker.problems:
        taken = session.execute(
            select(Manager.name).where(func.lower(Manager.code) == clean_code.lower())
        ).scalar_one_or_none()
        if taken is not None:
            checker.add(
                "code", Msg("Code {code} is already used by {name}.", code=clean_code, name=taken)
            )
    clean_name, clean_email, clean_role = _check_person(
        session, checker, name=name, email=email, role=role, exclude_id=None
    )
    checker.raise_if_any()
    row = Manager(code=clean_code, name=clean_name, email=clean_email, role=clean_role, active=True)
    session.add(row)
    session.flush()
    audit.record(
        session, actor=actor, entity="manager", entity_id=row.id, action="create",
        after=values_of(row, MANAGER_FIELDS),
    )  # fmt: skip
    return row


def update_manager(
    session: Session,
    *,
    viewer: Viewer,
    actor: Actor,
    manager_id: int,
    expected_version: int,
    name: str,
    email: str | None,
    role: str,
    active: bool,
) -> Manager:
    """Change a manager's name, e-mail, role or active flag (admin only; active=False
    deactivates: the person can no longer sign in or be picked, the history stays)."""
    require_user_admin(viewer)
    row = session.get(Manager, manager_id, with_for_update=True)
    if row is None:
        raise NotFound(Msg("No manager has the id {id}.", id=manager_id))
    checker = Checker()
    clean_name, clean_email, clean_role = _check_person(
        session, checker, name=name, email=email, role=role, exclude_id=manager_id
    )
    # An administrator cannot lock himself or herself out of the users page.
    if manager_id == viewer.manager_id and not active:
        checker.add("active", "You cannot deactivate yourself; ask another administrator.")
    if manager_id == viewer.manager_id and clean_role and clean_role != viewer.role:
        checker.add("role", "You cannot change your own role; ask another administrator.")
    checker.raise_if_any()
    values = {"name": clean_name, "email": clean_email, "role": clean_role, "active": bool(active)}
    if resubmitted(
        session, row, entity="manager", expected_version=expected_version, values=values
    ):
        return row
    before = values_of(row, MANAGER_FIELDS)
    if all(getattr(row, k) == v for k, v in values.items()):
        return row  # nothing changed: no audit row, no new version
    for key, value in values.items():
        setattr(row, key, value)
    row.version += 1
    session.flush()
    action = "deactivate" if before["active"] and not row.active else "update"
    audit.record(
        session, actor=actor, entity="manager", entity_id=row.id, action=action,
        before=before, after=values_of(row, MANAGER_FIELDS),
    )  # fmt: skip
    return row


def reassign_clients(
    session: Session,
    *,
    viewer: Viewer,
    actor: Actor,
    from_manager_id: int,
    to_manager_id: int,
    client_ids: list[int] | None = None,
    today: dt.date | None = None,
) -> Reassignment:
    """Give all (``client_ids=None``) or the chosen clients of one manager to another (head,
    admin), with their per-client plans from this month on; sales stay credited as they were."""
    require_portfolio_admin(viewer)
    today = today or clock.today()
    checker = Checker()
    source = session.get(Manager, from_manager_id)
    target = session.get(Manager, to_manager_id)
    if source is None:
        checker.add("from_manager_id", "Choose the manager whose clients move.")
    if target is None:
        checker.add("to_manager_id", "Choose the manager who takes the clients.")
    elif not target.active:
        checker.add(
            "to_manager_id", Msg("{name} is deactivated and cannot take clients.", name=target.name)
        )
    elif target.role == "admin":
        checker.add(
            "to_manager_id",
            Msg("{name} is an administrator and cannot own clients.", name=target.name),
        )
    elif from_manager_id == to_manager_id:
        checker.add("to_manager_id", "The clients already belong to this manager.")
    checker.raise_if_any()
    query = select(Client).where(Client.manager_id == from_manager_id).order_by(Client.code)
    if client_ids is not None:
        if not client_ids:
            raise ValidationError({"client_ids": "Choose at least one client to move."})
        query = query.where(Client.id.in_(client_ids))
    moving = session.execute(query.with_for_update()).scalars().all()
    if client_ids is not None and len(moving) != len(set(client_ids)):
        raise ValidationError(
            {
                "client_ids": Msg(
                    "Some chosen clients no longer belong to {name}; reload and choose again.",
                    name=source.name,
                )
            }
        )
    for client in moving:
        session.execute(
            update(Client)
            .where(Client.id == client.id)
            .values(manager_id=to_manager_id, version=Client.version + 1)
            .execution_options(synchronize_session=False)
        )
        audit.record(
            session, actor=actor, entity="client", entity_id=client.id, action="reassign",
            before={"code": client.code, "manager_id": from_manager_id, "manager": source.code},
            after={"code": client.code, "manager_id": to_manager_id, "manager": target.code},
        )  # fmt: skip
    moved = [c.id for c in moving]
    plans_moved = _move_client_plans(
        session, actor=actor, client_ids=moved, from_manager_id=from_manager_id,
        to_manager_id=to_manager_id, since=month_of(today).start,
    )  # fmt: skip
    session.expire_all()
    return Reassignment(client_ids=moved, plans_moved=plans_moved)


def _move_client_plans(
    session: Session,
    *,
    actor: Actor,
    client_ids: list[int],
    from_manager_id: int,
    to_manager_id: int,
    since: dt.date,
) -> int:
    """Give the clients' per-client plans of ``since``'s month and later to the new manager;
    how many moved. Earlier months stay: they are what the old manager was asked for."""
    if not client_ids:
        return 0
    plans = session.scalars(
        select(Plan)
        .where(
            Plan.manager_id == from_manager_id,
            Plan.metric == "revenue",
            Plan.client_id.in_(client_ids),
            Plan.period >= since,
        )
        .order_by(Plan.period, Plan.client_id)
        .with_for_update()
    ).all()
    taken = set(
        session.execute(
            select(Plan.client_id, Plan.period).where(
                Plan.manager_id == to_manager_id,
                Plan.metric == "revenue",
                Plan.client_id.in_(client_ids),
                Plan.period >= since,
            )
        ).all()
    )
    moved = 0
    for plan in plans:
        before = values_of(plan)
        if (plan.client_id, plan.period) in taken:
            # The new manager already holds a plan for this client and month: someone set it
            # for him or her by name (an import naming the incoming manager, or an earlier
            # spell with the client), so it stands. Adding the two would double the client's
            # plan; the moved one was set for a manager who no longer has the client. The
            # audit row keeps its target.
            session.execute(delete(Plan).where(Plan.id == plan.id))
            audit.record(
                session, actor=actor, entity="plan", entity_id=before["id"], action="delete",
                before=before,
            )  # fmt: skip
            continue
        plan.manager_id = to_manager_id
        plan.version += 1  # a plan grid opened before the move must not save over it
        session.flush()
        audit.record(
            session, actor=actor, entity="plan", entity_id=plan.id, action="reassign",
            before=before, after=values_of(plan),
        )  # fmt: skip
        moved += 1
    return moved


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
    require_portfolio_admin(viewer)
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
    elif target.role not in SUBSTITUTE_ROLES:
        checker.add(
            "to_manager_id",
            Msg("{name} is an administrator, who may not change client data.", name=target.name),
        )
    latest = years_from(today, DELEGATION_YEARS_AHEAD)
    window = dict(earliest=years_from(today, -DELEGATION_YEARS_AHEAD), latest=latest,
                  why_earliest="more than a year ago", why_latest="more than a year ahead")  # fmt: skip
    starts_on = checker.date_between("starts_on", starts_on, label="From", **window)
    ends_on = checker.date_between("ends_on", ends_on, label="To", **window)
    if starts_on and ends_on and "ends_on" not in checker.problems:
        if ends_on < starts_on:
            checker.add(
                "ends_on",
                Msg(
                    "To {end} is before From {start}.",
                    end=ends_on.isoformat(),
                    start=starts_on.isoformat(),
                ),
            )
        elif ends_on < today:
            checker.add("ends_on", Msg("To {end} is already past.", end=ends_on.isoformat()))
    clean_reason = checker.text(
        "reason", reason, label="Reason", max_length=_length(Delegation.reason)
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
    require_portfolio_admin(viewer)
    today = today or clock.today()
    row = session.get(Delegation, delegation_id, with_for_update=True)
    if row is None:
        raise NotFound(Msg("This delegation no longer exists; it was cancelled meanwhile."))
    if row.ends_on < today:
        raise ValidationError({"delegation_id": "This delegation is already over."})
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


def portfolio_clients(session: Session, *, viewer: Viewer, manager_id: int) -> pd.DataFrame:
    """The clients a manager owns, for choosing which to move: client_id, code, name, status."""
    require_portfolio_admin(viewer)
    query = (
        select(Client.id, Client.code, Client.name, Client.status)
        .where(Client.manager_id == manager_id)
        .order_by(Client.code)
    )
    return pd.DataFrame(
        session.execute(query).all(), columns=["client_id", "code", "name", "status"]
    )
