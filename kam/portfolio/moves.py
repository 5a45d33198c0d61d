"""Moving clients from one manager to another, with their per-client plans from this month on,
and the list of a manager's clients to choose from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kam.core import audit, clock
from kam.core.access import Capability, Viewer, require, roles_with
from kam.core.audit import Actor
from kam.core.i18n import N_, Msg
from kam.core.models import Client, Manager, Plan
from kam.core.periods import month_of
from kam.core.validation import Checker, ValidationError
from kam.core.writes import values_of


@dataclass(frozen=True)
class Reassignment:
    """What reassign_clients moved: the clients, and how many of their per-client plans."""

    client_ids: list[int]
    plans_moved: int


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
    require(viewer, Capability.MANAGE_PORTFOLIOS)
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
    elif target.role not in roles_with(Capability.OWN_CLIENTS):
        # Of the roles a manager may hold, only the administrator's may not own clients.
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
            raise ValidationError({"client_ids": N_("Choose at least one client to move.")})
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


def portfolio_clients(session: Session, *, viewer: Viewer, manager_id: int) -> pd.DataFrame:
    """The clients a manager owns, for choosing which to move: client_id, code, name, status."""
    require(viewer, Capability.MANAGE_PORTFOLIOS)
    query = (
        select(Client.id, Client.code, Client.name, Client.status)
        .where(Client.manager_id == manager_id)
        .order_by(Client.code)
    )
    return pd.DataFrame(
        session.execute(query).all(), columns=["client_id", "code", "name", "status"]
    )
