"""Who is looking and what they may do: the viewer every query function takes, and the one
table of what each role may do (``CAPABILITIES``), asked by ``Viewer.may`` and ``require``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from kam.core.collation import name_key
from kam.core.i18n import N_, Msg
from kam.core.labels import role_term
from kam.core.models import ROLES, Client, Delegation, Manager


class Capability(StrEnum):
    """Something a role may do. What each role may do is in ``CAPABILITIES``, nowhere else."""

    SEE_ALL = "see_all"  # every portfolio, not only one's own (and delegated) clients
    WRITE = "write"  # log visits, calls, claims, competitor notes (on clients one may see)
    IMPORT = "import"  # load ERP export files
    SET_PLANS = "set_plans"  # the monthly plans per manager and per client
    MANAGE_PORTFOLIOS = "manage_portfolios"  # move clients, delegate a portfolio
    MANAGE_USERS = "manage_users"  # add managers, change their role, e-mail, active flag
    SEE_USERS = "see_users"  # the Users page: every manager with e-mail and role
    SEE_AUDIT_TRAIL = "see_audit_trail"
    OWN_CLIENTS = "own_clients"  # be given clients (and their plans) as their manager
    SUBSTITUTE = "substitute"  # be picked to work a colleague's portfolio in a delegation
    MANAGE_ROOT_CAUSES = "manage_root_causes"  # extend or retire the claim root causes


SYSTEM_ROLE = "system"  # the command line: not a person, never a manager's role

_C = Capability
# The README's "Sign-in": a KAM works his or her own clients (and a delegated portfolio on its
# days); the head sees everything, sets plans, moves clients, delegates; the admin reads
# everything and keeps the data and the people: imports, users, the Users and Audit trail
# pages, and moves a leaver's clients. An admin changes no client data (no WRITE), so neither
# owns clients nor stands in for a KAM. The command line may do everything.
# fmt: off
CAPABILITIES: Mapping[str, frozenset[Capability]] = MappingProxyType({
    "kam": frozenset({_C.WRITE, _C.OWN_CLIENTS, _C.SUBSTITUTE}),
    "head": frozenset({_C.SEE_ALL, _C.WRITE, _C.OWN_CLIENTS, _C.SUBSTITUTE, _C.SET_PLANS,
                       _C.MANAGE_PORTFOLIOS, _C.IMPORT, _C.SEE_USERS, _C.SEE_AUDIT_TRAIL,
                       _C.MANAGE_ROOT_CAUSES}),
    "admin": frozenset({_C.SEE_ALL, _C.MANAGE_PORTFOLIOS, _C.IMPORT, _C.SEE_USERS,
                        _C.SEE_AUDIT_TRAIL, _C.MANAGE_USERS, _C.MANAGE_ROOT_CAUSES}),
    SYSTEM_ROLE: frozenset(Capability),
})
# fmt: on
# What a refused person reads: translatable, with the person and the role as values.
REFUSALS: Mapping[Capability, str] = MappingProxyType(
    {
        _C.SEE_ALL: N_("{name} signed in as {role}, who sees only his or her own portfolio."),
        _C.WRITE: N_("{name} signed in as {role}, which may look but not change data; ask the "
            "manager of the client or the head of sales."),
        _C.IMPORT: N_("{name} signed in as {role}; importing is for the head of sales and "
            "administrators."),
        _C.SET_PLANS: N_("Only the head of sales sets plans; {name} is signed in as {role}."),
        _C.MANAGE_PORTFOLIOS: N_("{name} signed in as {role}; only the head of sales or an "
            "administrator reassigns clients or delegates a portfolio."),
        _C.MANAGE_USERS: N_("{name} signed in as {role}; only an administrator adds or changes users."),
        _C.SEE_USERS: N_("Only the head of sales and administrators see the list of users."),
        _C.SEE_AUDIT_TRAIL: N_("Only the head of sales and administrators see the audit trail."),
        _C.OWN_CLIENTS: N_("{name} signed in as {role}, who cannot own clients."),
        _C.SUBSTITUTE: N_("{name} signed in as {role}, who cannot take over a colleague's portfolio."),
        _C.MANAGE_ROOT_CAUSES: N_("{name} signed in as {role}; only the head of sales or an "
            "administrator changes the list of claim root causes."),
    }
)
# A role added to models.ROLES without its row here would silently be allowed nothing.
if set(CAPABILITIES) != {*ROLES, SYSTEM_ROLE} or set(REFUSALS) != set(Capability):
    raise RuntimeError(
        "kam.core.access: CAPABILITIES must cover models.ROLES, REFUSALS every capability"
    )


def role_may(role: str, capability: Capability) -> bool:
    """True when ``role`` may do ``capability``; an unknown role may do nothing."""
    return capability in CAPABILITIES.get(role, frozenset())


def roles_with(capability: Capability) -> tuple[str, ...]:
    """The roles a manager may hold (``models.ROLES`` order) that may do ``capability``: the
    choices of a picker of people, e.g. who can be picked as a substitute."""
    return tuple(role for role in ROLES if role_may(role, capability))


@dataclass(frozen=True)
class Viewer:
    """A person (or the command line) looking at the data, with their role.

    ``delegated_from`` holds the managers whose portfolios are delegated to this person today;
    ``founding`` the capabilities a new company's head holds until it has an administrator.
    """

    name: str
    role: str  # one of models.ROLES, or SYSTEM_ROLE
    manager_id: int | None = None
    delegated_from: frozenset[int] = field(default_factory=frozenset)
    founding: frozenset[Capability] = field(default_factory=frozenset)

    def may(self, capability: Capability) -> bool:
        """True when this viewer's role may do ``capability`` (see CAPABILITIES), or a new
        company's head may while it has no administrator (see ``founding_capabilities``)."""
        return role_may(self.role, capability) or capability in self.founding

    @property
    def sees_all(self) -> bool:
        """True when the viewer sees every portfolio: ``may(Capability.SEE_ALL)``."""
        return self.may(Capability.SEE_ALL)

    @property
    def portfolio_managers(self) -> frozenset[int]:
        """The managers whose clients a KAM sees: his or her own and those delegated today."""
        own = {self.manager_id} if self.manager_id is not None else set()
        return frozenset(own) | self.delegated_from

    def client_condition(self) -> ColumnElement[bool]:
        """A WHERE condition on ``clients`` restricting rows to this viewer's portfolio."""
        if self.sees_all:
            return true()
        return Client.manager_id.in_(sorted(self.portfolio_managers))

    def owns(self, manager_id: int) -> bool:
        """True when a client of ``manager_id`` is in this viewer's portfolio."""
        return self.sees_all or manager_id in self.portfolio_managers


SYSTEM = Viewer(name="command line", role=SYSTEM_ROLE)


def require(viewer: Viewer, capability: Capability) -> None:
    """Raise PermissionError, with a translatable message, unless the viewer may do
    ``capability``."""
    if not viewer.may(capability):
        raise PermissionError(Msg(REFUSALS[capability], name=viewer.name, role=role_term(viewer.role)))


def delegated_to(session: Session, *, manager_id: int, on: dt.date) -> frozenset[int]:
    """The managers whose portfolios are delegated to ``manager_id`` on day ``on``."""
    rows = session.execute(
        select(Delegation.from_manager_id).where(
            Delegation.to_manager_id == manager_id,
            Delegation.starts_on <= on,
            Delegation.ends_on >= on,
        )
    ).scalars()
    return frozenset(rows)


@dataclass(frozen=True)
class Identity:
    """An active manager as open mode offers him or her: who the person may say they are."""

    id: int
    code: str
    name: str
    role: str


def identities(session: Session) -> list[Identity]:
    """Every active manager, the head of sales first, then the KAMs, then the rest, by name."""
    rows = session.execute(
        select(Manager.id, Manager.code, Manager.name, Manager.role).where(
            Manager.active.is_(True)
        )
    ).all()
    rank = {"head": 0, "kam": 1}
    # In Python: neither database's default collation is Russian alphabetical order.
    ordered = sorted(rows, key=lambda r: (rank.get(r.role, 2), name_key(r.name)))
    return [Identity(*row) for row in ordered]


def viewer_for(session: Session, *, manager_id: int, on: dt.date) -> Viewer | None:
    """The viewer of an active manager on day ``on`` (None for an unknown or inactive one)."""
    manager = session.get(Manager, manager_id)
    if manager is None or not manager.active:
        return None
    return Viewer(
        name=manager.name,
        role=manager.role,
        manager_id=manager.id,
        delegated_from=delegated_to(session, manager_id=manager.id, on=on),
        founding=founding_capabilities(session, role=manager.role),
    )


# A company can never lock itself out: until it has an active administrator, the head (who
# may already have been added) also manages and sees the users, so he or she can add one.
FOUNDING: Mapping[str, frozenset[Capability]] = MappingProxyType(
    {"head": frozenset({_C.MANAGE_USERS, _C.SEE_USERS})}
)


def administrator_exists(session: Session) -> bool:
    """True when at least one active manager has the role admin."""
    found = session.execute(
        select(Manager.id).where(Manager.role == "admin", Manager.active.is_(True)).limit(1)
    ).first()
    return found is not None


def founding_capabilities(session: Session, *, role: str) -> frozenset[Capability]:
    """What ``role`` may do beyond CAPABILITIES while the company has no administrator."""
    extra = FOUNDING.get(role, frozenset())
    return extra if extra and not administrator_exists(session) else frozenset()


def viewer_by_email(session: Session, *, email: str, on: dt.date) -> Viewer | None:
    """The viewer of the active manager with this e-mail (any case), or None."""
    found = session.execute(
        select(Manager.id).where(
            func.lower(Manager.email) == email.strip().lower(), Manager.active.is_(True)
        )
    ).scalar_one_or_none()
    return None if found is None else viewer_for(session, manager_id=found, on=on)
