"""Setting plans: the head of sales edits monthly targets per manager and metric, starting from
last month's plans or last year's facts +N %; save_plan writes one plan row (any grid's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kam import sales
from kam.core import audit
from kam.core.access import Capability, Viewer, require
from kam.core.i18n import Msg
from kam.core.labels import PLAN_METRIC_LABELS
from kam.core.models import PLAN_METRICS, Manager, Plan
from kam.core.money import to_cent
from kam.core.periods import add_months, month_of
from kam.core.validation import Checker, ConflictError
from kam.core.writes import affected_rows, conflict, update_versioned, values_of

WHOLE_METRICS = ("active_clients", "new_clients")
GRID_COLUMNS = [
    "manager_id",
    "manager_code",
    "manager_name",
    *PLAN_METRICS,
    *(f"{m}_version" for m in PLAN_METRICS),
]


@dataclass(frozen=True)
class PlanTarget:
    """One cell of the plan grid; an empty target removes the plan. ``expected_version`` is the
    version shown in the grid (None when there was no plan)."""

    manager_id: int
    metric: str
    target: Decimal | int | float | str | None
    expected_version: int | None = None


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
    return [(mid, code, name) for mid, code, name in session.execute(query)]


def _plans(session: Session, month: dt.date) -> dict[tuple[int, str], tuple[Decimal, int]]:
    query = select(Plan.manager_id, Plan.metric, Plan.target, Plan.version).where(
        Plan.period == month, Plan.client_id.is_(None)
    )
    return {(mid, metric): (to_cent(t), v) for mid, metric, t, v in session.execute(query)}


def _grid(
    session: Session, month: dt.date, proposed: dict[tuple[int, str], Decimal] | None = None
) -> pd.DataFrame:
    current = _plans(session, month)
    rows = []
    for mid, code, name in _managers(session, month):
        targets: list[Decimal | int | None] = []
        versions: list[int | None] = []
        for metric in PLAN_METRICS:
            target: Decimal | int | None
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
    require(viewer, Capability.SET_PLANS)
    return _grid(session, _first_day(month))


def copy_last_month(session: Session, *, viewer: Viewer, month: dt.date) -> pd.DataFrame:
    """The grid for ``month`` pre-filled with the previous month's plans (not saved yet)."""
    require(viewer, Capability.SET_PLANS)
    first = _first_day(month)
    previous = _plans(session, add_months(first, -1))
    return _grid(session, first, {key: target for key, (target, _) in previous.items()})


# The rounding steps of a proposed revenue plan the head may choose: a plan is a target, not an
# invoice, so kopecks only look precise.
ROUNDING_STEPS = (1, 100, 1_000, 10_000)


def _grown(value: Decimal | int, growth_pct: Decimal, step: int) -> Decimal:
    grown = Decimal(value) * (1 + growth_pct / 100) / step
    return grown.quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def last_year_plus(
    session: Session,
    *,
    viewer: Viewer,
    month: dt.date,
    growth_pct: Decimal | int | float | str,
    step: int = 1,
) -> pd.DataFrame:
    """The grid for ``month`` pre-filled with each manager's facts of the same month last year
    plus ``growth_pct`` %, rounded half up: revenue to ``step`` roubles, counts to whole clients."""
    require(viewer, Capability.SET_PLANS)
    checker = Checker()
    pct = Decimal(str(growth_pct)) if not isinstance(growth_pct, Decimal) else growth_pct
    if not pct.is_finite() or pct <= -100:
        checker.add("growth_pct", Msg("Growth must be above -100 % (got {n}).", n=growth_pct))
    if step not in ROUNDING_STEPS:
        checker.add("step", Msg("Round to one of {steps} roubles (got {n}).",
                                steps=", ".join(map(str, ROUNDING_STEPS)), n=step))  # fmt: skip
    checker.raise_if_any()
    first = _first_day(month)
    period = month_of(first).year_before()
    start, end = period.start, period.end
    revenue = sales.revenue_by_manager(session, viewer=viewer, start=start, end=end)
    facts: dict[str, Mapping[int, Decimal | int]] = {
        "revenue": revenue,
        "active_clients": sales.active_clients_by_manager(
            session, viewer=viewer, start=start, end=end
        ),
        "new_clients": sales.new_clients_by_manager(session, viewer=viewer, start=start, end=end),
    }
    proposed: dict[tuple[int, str], Decimal] = {}
    for mid in revenue:  # a manager who sold nothing then keeps what is set now
        for metric, by_manager in facts.items():
            value = max(by_manager.get(mid, 0), 0)
            proposed[(mid, metric)] = _grown(value, pct, 1 if metric in WHOLE_METRICS else step)
    return _grid(session, first, proposed)


def grid_targets(grid: pd.DataFrame) -> list[PlanTarget]:
    """The cells of an edited plan grid as targets for set_plans (blank cells remove a plan)."""
    out = []
    for row in grid.to_dict("records"):
        for metric in PLAN_METRICS:
            value: Any = row.get(metric)  # an edited cell: a number, text, None or NaN
            version: Any = row.get(f"{metric}_version")
            out.append(
                PlanTarget(
                    manager_id=int(row["manager_id"]),
                    metric=metric,
                    target=None if is_blank(value) else value,
                    expected_version=None if is_blank(version) else int(version),
                )
            )
    return out


def is_blank(value: Any) -> bool:
    """True for an empty grid cell: None, NaN, NA or blank text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def save_plan(
    session: Session,
    *,
    actor: audit.Actor,
    existing: Plan | None,
    new: Plan,
    target: Decimal | None,
    expected_version: int | None,
) -> bool:
    """Insert, update or delete one plan row; True when something changed."""
    if existing is None:
        if target is None:
            return False
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
    if target is not None and existing.target == target:
        return False  # unchanged, or the same value saved by someone else meanwhile
    if expected_version is None or existing.version != expected_version:
        # Someone set or changed this plan since the grid was loaded.
        raise conflict(session, existing, entity="plan", expected_version=expected_version or 0)
    before = values_of(existing)
    if target is None:
        gone = affected_rows(
            session, delete(Plan).where(Plan.id == existing.id, Plan.version == expected_version)
        )
        if gone != 1:
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
    require(viewer, Capability.SET_PLANS)
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
                    metric=Msg(PLAN_METRIC_LABELS[item.metric]),
                    code=code,
                ),  # fmt: skip
            )
        seen.add((item.manager_id, item.metric))
        value = checker.amount(
            field,
            item.target,
            label=Msg(
                "{metric} plan for {code}", metric=Msg(PLAN_METRIC_LABELS[item.metric]), code=code
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
        changed += save_plan(
            session,
            actor=actor,
            existing=current.get((item.manager_id, item.metric)),
            new=Plan(period=first, manager_id=item.manager_id, metric=item.metric, client_id=None),
            target=value,
            expected_version=item.expected_version,
        )
    return changed
