"""The first day of a new company: the steps from an empty database to the first figures,
and the first administrator, who may be added only while the company has none."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from kam.core import audit
from kam.core.access import Capability, Viewer, administrator_exists
from kam.core.audit import Actor
from kam.core.cache import ledger_only
from kam.core.i18n import Msg
from kam.core.models import Manager, SalesLine
from kam.portfolio import managers


@dataclass(frozen=True)
class FirstDay:
    """Which of the first steps are done: an administrator, the team, the first sales."""

    administrator: bool
    people: bool  # at least one active KAM, who can own clients
    sales: bool  # at least one imported sales line

    @property
    def set_up(self) -> bool:
        """True once the company has a team: My desk is then the start page."""
        return self.people

    @property
    def done(self) -> bool:
        """True once every step is done: the greeting then leaves the menu."""
        return self.administrator and self.people and self.sales


@ledger_only
def first_day(session: Session) -> FirstDay:
    """How far the company has come (counts only, nothing a viewer could not see)."""
    kam = select(Manager.id).where(Manager.role == "kam", Manager.active.is_(True)).limit(1)
    sale = select(SalesLine.id).limit(1)
    return FirstDay(
        administrator=administrator_exists(session),
        people=session.execute(kam).first() is not None,
        sales=session.execute(sale).first() is not None,
    )


def add_first_administrator(
    session: Session, *, viewer: Viewer, actor: Actor, code: str, name: str, email: str | None
) -> Manager:
    """Add the company's first administrator (anyone may, once); refused with PermissionError
    as soon as an active administrator exists."""
    # Bumping the version first takes its row lock, so two people founding the company at
    # the same moment go one after the other and the second is refused.
    audit.bump_data_version(session)
    if administrator_exists(session):
        raise PermissionError(
            Msg("The company already has an administrator: ask him or her to add you.")
        )
    founder = replace(viewer, founding=viewer.founding | {Capability.MANAGE_USERS})
    return managers.add_manager(
        session, viewer=founder, actor=actor, code=code, name=name, email=email, role="admin"
    )
