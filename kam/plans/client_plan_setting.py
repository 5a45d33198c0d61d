"""Setting per-client revenue plans: the grid of a manager's clients and saving it, each plan
credited to the client's manager."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kam.core import audit
from kam.core.access import Capability, Viewer, require
from kam.core.i18n import Msg
from kam.core.models import Client, Plan
from kam.core.money import to_cent
from kam.core.periods import month_of
from kam.core.validation import Checker
from kam.plans.plan_setting import is_blank, save_plan

CLIENT_GRID_COLUMNS = ["client_id", "client_code", "client_name", "manager_id", "target", "version"]


@dataclass(frozen=True)
class ClientPlanTarget:
    """A client's revenue plan for the month; an empty target removes it."""

    client_id: int
    target: Decimal | int | float | str | None
    expected_version: int | None = None


def client_plan_grid(
    session: Session, *, viewer: Viewer, month: dt.date, manager_id: int | None = None
) -> pd.DataFrame:
    """Clients (not lost, or holding a plan) with their revenue plan for the month (CLIENT_GRID_COLUMNS)."""
    require(viewer, Capability.SET_PLANS)
    first = month_of(month).start
    plan = (
        select(Plan.client_id, Plan.target, Plan.version)
        .where(Plan.period == first, Plan.metric == "revenue", Plan.client_id.is_not(None))
        .subquery()
    )
    query = (
        select(
            Client.id, Client.code, Client.name, Client.manager_id, plan.c.target, plan.c.version
        )
        .outerjoin(plan, plan.c.client_id == Client.id)
        .where(or_(Client.status != "lost", plan.c.client_id.is_not(None)))
        .order_by(Client.code)
    )
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    rows = [(*r[:4], None if r[4] is None else to_cent(r[4]), r[5]) for r in session.execute(query)]
    grid = pd.DataFrame(rows, columns=CLIENT_GRID_COLUMNS)
    grid["version"] = grid["version"].astype("Int64")
    return grid


def set_client_plans(
    session: Session,
    *,
    viewer: Viewer,
    actor: audit.Actor,
    month: dt.date,
    targets: Sequence[ClientPlanTarget],
) -> int:
    """Save per-client revenue plans for ``month`` (problems keyed ``client.<client_id>``),
    credited to each client's manager; returns how many changed."""
    require(viewer, Capability.SET_PLANS)
    first = month_of(month).start
    checker = Checker()
    ids = [t.client_id for t in targets]
    clients = {c.id: c for c in session.scalars(select(Client).where(Client.id.in_(ids)))}
    checked: list[tuple[ClientPlanTarget, Client, Decimal | None]] = []
    seen: set[int] = set()
    for item in targets:
        field = f"client.{item.client_id}"
        client = clients.get(item.client_id)
        if client is None:
            checker.add(field, Msg("There is no client with id {id}.", id=item.client_id))
            continue
        if item.client_id in seen:
            checker.add(field, Msg("The plan for {code} is given twice.", code=client.code))
        seen.add(item.client_id)
        value = checker.amount(
            field,
            item.target,
            label=Msg("Revenue plan for {code}", code=client.code),
            column=Plan.target,
        )
        checked.append((item, client, value))
    checker.raise_if_any()
    current = {
        p.client_id: p
        for p in session.scalars(
            select(Plan).where(
                Plan.period == first, Plan.metric == "revenue", Plan.client_id.in_(ids)
            )
        )
    }
    changed = 0
    for item, client, value in checked:
        changed += save_plan(
            session,
            actor=actor,
            existing=current.get(client.id),
            new=Plan(
                period=first, manager_id=client.manager_id, metric="revenue", client_id=client.id
            ),
            target=value,
            expected_version=item.expected_version,
        )
    return changed


def client_grid_targets(grid: pd.DataFrame) -> list[ClientPlanTarget]:
    """The rows of an edited per-client grid as targets for set_client_plans (blank removes)."""
    return [
        ClientPlanTarget(
            client_id=int(row["client_id"]),
            target=None if is_blank(row.get("target")) else row["target"],
            expected_version=None if is_blank(row.get("version")) else int(row["version"]),
        )
        for row in grid.to_dict("records")
    ]
