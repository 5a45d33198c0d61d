"""The audit trail and the data version: every write records itself here, in its own transaction."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kam.core.models import AuditLog, DataVersion, utcnow


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a manager (id) or a named system actor, maybe acting for another."""

    name: str
    id: int | None = None
    acting_for_id: int | None = None


SYSTEM = Actor(name="system")

# Two counters in data_version: the ledger (sales, money, plans, clients, people) and the
# activities logged all day long (visits, claims, competitor notes). Logging a visit then
# leaves every cached sales and money figure of every process valid.
LEDGER, ACTIVITIES = 1, 2
ACTIVITY_ENTITIES = frozenset(
    {"visit", "claim", "claim_root_cause", "competitor_note", "competitor"}
)


def jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Values made JSON-safe: dates as ISO, Decimals as strings (exact)."""
    if values is None:
        return None

    def conv(v: Any) -> Any:
        if isinstance(v, dt.date | dt.datetime):
            return v.isoformat()
        if isinstance(v, Decimal):
            return str(v)
        return v

    return json.loads(json.dumps({k: conv(v) for k, v in values.items()}, default=str))


def bump_data_version(session: Session, entity: str | None = None) -> None:
    """Bump the counter that ``entity`` belongs to, so every server process drops the cached
    figures that read it (no entity: the ledger, which every figure reads)."""
    counter = ACTIVITIES if entity in ACTIVITY_ENTITIES else LEDGER
    session.execute(
        update(DataVersion)
        .where(DataVersion.id == counter)
        .values(version=DataVersion.version + 1, changed_at=utcnow())
    )


def data_version(session: Session) -> int:
    """The current ledger version."""
    return data_versions(session)[0]


def data_versions(session: Session) -> tuple[int, int]:
    """The ledger version and the activities version."""
    found = dict(session.execute(select(DataVersion.id, DataVersion.version)).all())
    return found.get(LEDGER, 0), found.get(ACTIVITIES, 0)


def record(
    session: Session,
    *,
    actor: Actor,
    entity: str,
    entity_id: str | int | None,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Write an audit row and bump the data version, in the caller's transaction."""
    session.add(
        AuditLog(
            at=utcnow(),
            actor_id=actor.id,
            actor=actor.name,
            acting_for_id=actor.acting_for_id,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            action=action,
            before=jsonable(before),
            after=jsonable(after),
        )
    )
    bump_data_version(session, entity)
