"""Setting plans: the head of sales edits monthly targets per manager and metric (and optional
per-client revenue plans), starting from last month's plans or last year's facts +N %."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kam import sales
from kam.core import audit
from kam.core.access import Viewer
from kam.core.i18n import Msg
from kam.core.models import PLAN_METRICS, Client, Manager, Plan
from kam.core.periods import add_months, month_of
from kam.core.validation import Checker, ConflictError
from kam.core.writes import conflict, update_versioned, values_of

WHOLE_METRICS = ("active_clients", "new_clients")
METRIC_LABELS = {
    "revenue": "Revenue",
    "active_clients": "Active clients",
    "new_clients": "New clients",
}
GRID_COLUMNS = [
    "manager_id",
    "manager_code",
    "manager_name",
    *PLAN_METRICS,
    *(f"{m}_version" for m in PLAN_METRICS),
]
CLIENT_GRID_COLUMNS = ["client_id", "client_code", "client_name", "manager_id", "target", "version"]


@dataclass(frozen=True)
class PlanTarget:
    """One cell of the plan grid; an empty target removes the plan. ``expected_version`` is the
    version shown in the grid (None when there was no plan)."""

    manager_id: int
    metric: str
    target: Decimal | int | float | str | None
    expected_version: int | None = None


@dataclass(frozen=True)
class ClientPlanTarget:
    """A client's revenue plan for the month; an empty target removes it."""

    client_id: int
    target: Decimal | int | float | str | None
    expected_version: int | None = None


def require_head(viewer: Viewer) -> None:
    """Raise PermissionError unless the viewer is the head of sales."""
    if viewer.role != "head":
        raise PermissionError(
            Msg(
                "Only the head of sales sets plans; {name} is signed in as {role}.",
                name=viewer.name,
                role=Msg(viewer.role),
            )  # fmt: skip
        )


def _first_day(month: dt.date) -> dt.date:
    return month_of(month).start


def _managers(session: Session, month: dt.date) -> list[tuple[int, str, str]]:
    """Active KAMs, and anyone already holding a manager-level plan for the month."""
    planned = select(Plan.manager_id).where(Plan.period == month, Plan.client_id.is_(None))
    query = (
        select(Manager.id, Manager.code, Manager.name)
        .where(or_(Manager.active.is_(True) & (Manager.role == "kam"), Manager.id.in_(planned)))
        .order_by(Manager.code)
    )
    return [tuple(r) for r in session.execute(query)]


def _plans(session: Session, month: dt.date) -> dict[tuple[int, str], tuple[Decimal, int]]:
    query = select(Plan.manager_id, Plan.metric, Plan.target, Plan.version).where(
        Plan.period == month, Plan.client_id.is_(None)
    )
    return {(mid, metric): (sales.money(t), v) for mid, metric, t, v in session.execute(query)}


def _grid(
    session: Session, month: dt.date, proposed: dict[tuple[int, str], Decimal] | None = None
) -> pd.DataFrame:
    current = _plans(session, month)
    rows = []
    for mid, code, name in _managers(session, month):
        targets, versions = [], []
        for metric in PLAN_METRICS:
            target, version = current.get((mid, metric), (None, None))
            if proposed is not None and (mid, metric) in proposed:
                target = proposed[(mid, metric)]
            if target is not None and metric in WHOLE_METRICS:
                target = int(target)
            targets.append(target)
            versions.append(version)
        rows.append((mid, code, name, *targets, *versions))
    grid = pd.DataFrame(rows, columns=GRID_COLUMNS)
    for metric in PLAN_METRICS:
        grid[f"{metric}_version"] = grid[f"{metric}_version"].astype("Int64")
    return grid


def plan_grid(session: Session, *, viewer: Viewer, month: dt.date) -> pd.DataFrame:
    """The month's manager plans as an editable grid (GRID_COLUMNS; empty = no plan)."""
    require_head(viewer)
    return _grid(session, _first_day(month))


def copy_last_month(session: Session, *, viewer: Viewer, month: dt.date) -> pd.DataFrame:
    """The grid for ``month`` pre-filled with the previous month's plans (not saved yet)."""
    require_head(viewer)
    first = _first_day(month)
    previous = _plans(session, add_months(first, -1))
    return _grid(session, first, {key: target for key, (target, _) in previous.items()})


def _grown(value: Decimal | int, growth_pct: Decimal, whole: bool) -> Decimal:
    grown = Decimal(value) * (1 + growth_pct / 100)
    return grown.quantize(Decimal(1) if whole else sales.CENT, rounding=ROUND_HALF_UP)


def last_year_plus(
    session: Session, *, viewer: Viewer, month: dt.date, growth_pct: Decimal | int | float | str
) -> pd.DataFrame:
    """The grid for ``month`` pre-filled with each manager's facts of the same month last year
    plus ``growth_pct`` % (counts rounded half up to whole clients; not saved yet)."""
    require_head(viewer)
    checker = Checker()
    pct = Decimal(str(growth_pct)) if not isinstance(growth_pct, Decimal) else growth_pct
    if not pct.is_finite() or pct <= -100:
        checker.add("growth_pct", Msg("Growth must be above -100 % (got {n}).", n=growth_pct))
    checker.raise_if_any()
    first = _first_day(month)
    period = month_of(first).year_before()
    span = {"viewer": viewer, "start": period.start, "end": period.end}
    revenue = sales.revenue_by_manager(session, **span)
    facts = {
        "revenue": revenue,
        "active_clients": sales.active_clients_by_manager(session, **span),
        "new_clients": sales.new_clients_by_manager(session, **span),
    }
    proposed = {}
    for mid in revenue:  # a manager who sold nothing then keeps what is set now
        for metric, by_manager in facts.items():
            value = max(by_manager.get(mid, 0), 0)
            proposed[(mid, metric)] = _grown(value, pct, metric in WHOLE_METRICS)
    return _grid(session, first, proposed)


def grid_targets(grid: pd.DataFrame) -> list[PlanTarget]:
    """The cells of an edited plan grid as targets for set_plans (blank cells remove a plan)."""
    out = []
    for row in grid.to_dict("records"):
        for metric in PLAN_METRICS:
            value, version = row.get(metric), row.get(f"{metric}_version")
            out.append(
                PlanTarget(
                    manager_id=int(row["manager_id"]),
                    metric=metric,
                    target=None if _blank(value) else value,
                    expected_version=None if _blank(version) else int(version),
                )
            )
    return out


def _blank(value: Any) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _save(
    session: Session,
    *,
    actor: audit.Actor,
    existing: Plan | None,
    new: Plan,
    target: Decimal | None,
    expected_version: int | None,
) -> bool:
    """Insert, update or delete one plan row; True when something changed."""
    if existing is None and target is None:
        return False
    if existing is not None and target is not None and existing.target == target:
        return False  # unchanged, or the same value saved by someone else meanwhile
    if existing is None:
        if expected_version is not None:
            # The plan shown in the grid was removed meanwhile.
            raise ConflictError(
                entity="plan",
                entity_id=0,
                expected_version=expected_version,
                current={"target": None, "version": None},
            )
        new.target = target
        try:
            with session.begin_nested():
                session.add(new)
                session.flush()
        except IntegrityError:
            raise _lost_insert_race(session, new) from None
        audit.record(
            session,
            actor=actor,
            entity="plan",
            entity_id=new.id,
            action="create",
            after=values_of(new),
        )
        return True
    if expected_version is None or existing.version != expected_version:
        # Someone set or changed this plan since the grid was loaded.
        raise conflict(session, existing, entity="plan", expected_version=expected_version or 0)
    before = values_of(existing)
    if target is None:
        gone = session.execute(
            delete(Plan).where(Plan.id == existing.id, Plan.version == expected_version)
        )
        if gone.rowcount != 1:
            raise conflict(session, existing, entity="plan", expected_version=expected_version)
        audit.record(
            session,
            actor=actor,
            entity="plan",
            entity_id=existing.id,
            action="delete",
            before=before,
        )
        return True
    if update_versioned(
        session,
        existing,
        entity="plan",
        expected_version=expected_version,
        values={"target": target},
    ):
        audit.record(
            session,
            actor=actor,
            entity="plan",
            entity_id=existing.id,
            action="update",
            before=before,
            after=values_of(existing),
        )
    return True


def _lost_insert_race(session: Session, new: Plan) -> ConflictError:
    winner = session.scalars(
        select(Plan).where(
            Plan.period == new.period,
            Plan.manager_id == new.manager_id,
            Plan.metric == new.metric,
            Plan.client_id.is_(None) if new.client_id is None else Plan.client_id == new.client_id,
        )
    ).one()
    return conflict(session, winner, entity="plan", expected_version=0)


def set_plans(
    session: Session,
    *,
    viewer: Viewer,
    actor: audit.Actor,
    month: dt.date,
    targets: Sequence[PlanTarget],
) -> int:
    """Save the edited grid cells for ``month`` (problems keyed ``<manager_id>.<metric>``);
    returns how many plans changed. ConflictError if a cell was changed by someone else."""
    require_head(viewer)
    first = _first_day(month)
    checker = Checker()
    codes = dict(session.execute(select(Manager.id, Manager.code)).all())
    checked: list[tuple[PlanTarget, Decimal | None]] = []
    seen: set[tuple[int, str]] = set()
    for item in targets:
        field = f"{item.manager_id}.{item.metric}"
        code = codes.get(item.manager_id)
        if code is None:
            checker.add(field, Msg("There is no manager with id {id}.", id=item.manager_id))
            continue
        if item.metric not in PLAN_METRICS:
            checker.add(
                field,
                Msg(
                    "Metric must be one of {choices} (got {value}).",
                    choices=", ".join(PLAN_METRICS),
                    value=repr(item.metric),
                ),  # fmt: skip
            )
            continue
        if (item.manager_id, item.metric) in seen:
            checker.add(
                field,
                Msg(
                    "{metric} plan for {code} is given twice.",
                    metric=Msg(METRIC_LABELS[item.metric]),
                    code=code,
                ),  # fmt: skip
            )
        seen.add((item.manager_id, item.metric))
        value = checker.amount(
            field,
            item.target,
            label=Msg(
                "{metric} plan for {code}", metric=Msg(METRIC_LABELS[item.metric]), code=code
            ),
            column=Plan.target,
            whole=item.metric in WHOLE_METRICS,
        )
        checked.append((item, value))
    checker.raise_if_any()
    current = {
        (p.manager_id, p.metric): p
        for p in session.scalars(select(Plan).where(Plan.period == first, Plan.client_id.is_(None)))
    }
    changed = 0
    for item, value in checked:
        changed += _save(
            session,
            actor=actor,
            existing=current.get((item.manager_id, item.metric)),
            new=Plan(period=first, manager_id=item.manager_id, metric=item.metric, client_id=None),
            target=value,
            expected_version=item.expected_version,
        )
    return changed


def client_plan_grid(
    session: Session, *, viewer: Viewer, month: dt.date, manager_id: int | None = None
) -> pd.DataFrame:
    """Clients (not lost, or holding a plan) with their revenue plan for the month (CLIENT_GRID_COLUMNS)."""
    require_head(viewer)
    first = _first_day(month)
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
    rows = [
        (*r[:4], None if r[4] is None else sales.money(r[4]), r[5]) for r in session.execute(query)
    ]
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
    require_head(viewer)
    first = _first_day(month)
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
        changed += _save(
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
            target=None if _blank(row.get("target")) else row["target"],
            expected_version=None if _blank(row.get("version")) else int(row["version"]),
        )
        for row in grid.to_dict("records")
    ]
