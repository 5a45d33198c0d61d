"""Who is looking: the viewer every query function takes, and what it may see and change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from kam.core.models import Client, Delegation, Manager


@dataclass(frozen=True)
class Viewer:
    """A person (or the command line) looking at the data, with their role.

    ``delegated_from`` holds the managers whose portfolios are delegated to this person today.
    """

    name: str
    role: str  # kam / head / admin / system
    manager_id: int | None = None
    delegated_from: frozenset[int] = field(default_factory=frozenset)

    @property
    def sees_all(self) -> bool:
        """Head, admin and the command line see every client."""
        return self.role in ("head", "admin", "system")

    @property
    def can_write(self) -> bool:
        """KAMs and the head write; admins only read (kam.core.writes enforces it)."""
        return self.role in ("kam", "head")

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


SYSTEM = Viewer(name="command line", role="system")


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
    )


def viewer_by_email(session: Session, *, email: str, on: dt.date) -> Viewer | None:
    """The viewer of the active manager with this e-mail (any case), or None."""
    found = session.execute(
        select(Manager.id).where(
            func.lower(Manager.email) == email.strip().lower(), Manager.active.is_(True)
        )
    ).scalar_one_or_none()
    return None if found is None else viewer_for(session, manager_id=found, on=on)
