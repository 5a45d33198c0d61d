"""The people in the team: who can be picked as a manager, and the users (add, change,
deactivate); moving clients is kam.portfolio.moves, delegations kam.portfolio.delegations."""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kam.core import audit
from kam.core.access import Capability, Viewer, require
from kam.core.audit import Actor
from kam.core.cache import ledger_only
from kam.core.collation import sort_by_name
from kam.core.i18n import LANGUAGES, N_, Msg
from kam.core.models import ROLES, Client, Manager
from kam.core.validation import Checker, NotFound, column_length
from kam.core.writes import resubmitted, values_of

# Who may see and change the users: kam.core.access.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MANAGER_FIELDS = ("code", "name", "email", "role", "active", "version")
PEOPLE_COLUMNS = ["manager_id", "code", "name", "email", "role", "active", "clients", "version"]


@ledger_only
def managers(
    session: Session, *, viewer: Viewer, roles: tuple[str, ...] = ("kam",)
) -> pd.DataFrame:
    """Active managers with one of ``roles`` the viewer may pick: manager_id, code, name, role.

    A KAM picks only himself or herself; head and admin pick anyone.
    """
    query = select(Manager.id, Manager.code, Manager.name, Manager.role).where(
        Manager.active.is_(True), Manager.role.in_(roles)
    )
    if not viewer.sees_all:
        query = query.where(Manager.id == viewer.manager_id)
    # Sorted here, not by ORDER BY: neither database's default collation is Russian order.
    return sort_by_name(
        pd.DataFrame(session.execute(query).all(), columns=["manager_id", "code", "name", "role"])
    )


def people(session: Session, *, viewer: Viewer) -> pd.DataFrame:
    """Every manager, active first then by name, with the number of clients each owns
    (columns PEOPLE_COLUMNS); for those who may see the users (head, admin)."""
    require(viewer, Capability.SEE_USERS)
    owned = (
        select(Client.manager_id, func.count().label("n")).group_by(Client.manager_id).subquery()
    )
    query = (
        select(
            Manager.id, Manager.code, Manager.name, Manager.email, Manager.role, Manager.active,
            func.coalesce(owned.c.n, 0), Manager.version,
        )
        .outerjoin(owned, owned.c.manager_id == Manager.id)
    )  # fmt: skip
    frame = pd.DataFrame(session.execute(query).all(), columns=PEOPLE_COLUMNS)
    # Typed even when empty (a new company): filtering by "active" on an untyped empty column
    # would select columns instead of rows.
    frame = frame.astype({"manager_id": int, "active": bool, "clients": int, "version": int})
    return sort_by_name(frame, first={"active": False})


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
        "name", name, label=N_("Name"), max_length=column_length(Manager.name), required=True
    )
    clean_email = checker.text(
        "email", email, label=N_("E-mail"), max_length=column_length(Manager.email)
    )
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
    clean_role = checker.choice("role", role, label=N_("Role"), choices=ROLES)
    return clean_name, clean_email, clean_role


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
    require(viewer, Capability.MANAGE_USERS)
    checker = Checker()
    clean_code = checker.text(
        "code", code, label=N_("Code"), max_length=column_length(Manager.code), required=True
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
    require(viewer, Capability.MANAGE_USERS)
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


def own_language(session: Session, *, email: str) -> tuple[int, str | None] | None:
    """The active manager with this e-mail (any case) and the UI language he or she chose
    (None: not chosen yet); None when there is no such manager."""
    found = session.execute(
        select(Manager.id, Manager.language).where(
            func.lower(Manager.email) == email.strip().lower(), Manager.active.is_(True)
        )
    ).first()
    return None if found is None else (found[0], found[1])


def set_own_language(
    session: Session, *, viewer: Viewer, actor: Actor, language: str | None
) -> str | None:
    """Remember the UI language the viewer chose (one of LANGUAGES; None forgets it)."""
    # A person's own preference, not the administrator's data: the manager's version stays,
    # so an administrator editing the user meanwhile meets no conflict.
    if viewer.manager_id is None:
        raise PermissionError(Msg("Only a manager signed in as himself or herself has a language."))
    checker = Checker()
    clean = checker.choice(
        "language", language, label=N_("Language"), choices=list(LANGUAGES), required=False
    )
    checker.raise_if_any()
    row = session.get(Manager, viewer.manager_id, with_for_update=True)
    if row is None:
        raise NotFound(Msg("No manager has the id {id}.", id=viewer.manager_id))
    if row.language == clean:
        return clean  # a double click: nothing to record
    before = {"language": row.language}
    row.language = clean
    session.flush()
    audit.record(
        session, actor=actor, entity="manager", entity_id=row.id, action="update",
        before=before, after={"language": clean},
    )  # fmt: skip
    return clean
