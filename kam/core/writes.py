"""What every write shares: who may write, insert-once by idempotency key, versioned updates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar, Protocol, TypeVar, cast

from sqlalchemy import CursorResult, Executable, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session

from kam.core.access import Capability, Viewer, require
from kam.core.audit import Actor
from kam.core.i18n import Msg
from kam.core.models import AuditLog, Base, Client
from kam.core.validation import ConflictError

Row = TypeVar("Row", bound=Base)


class Versioned(Protocol):
    """A model with an integer id and a version bumped on every change (Plan, Visit, Claim…)."""

    # ClassVar[Mapped[...]] is how the models read to a type checker: a column on the class,
    # a value on the row.
    id: ClassVar[Mapped[int]]
    version: ClassVar[Mapped[int]]


def require_writer(viewer: Viewer) -> None:
    """Raise PermissionError unless the viewer may log visits, claims and notes
    (``Capability.WRITE``: the admin only reads)."""
    require(viewer, Capability.WRITE)


def require_client_access(viewer: Viewer, client: Client) -> None:
    """Raise PermissionError when a KAM writes on a client outside his or her portfolio
    (own clients and those delegated to him or her today)."""
    require_writer(viewer)
    if not viewer.owns(client.manager_id):
        raise PermissionError(
            Msg(
                "Client {code} is in another manager's portfolio; you may change only your own "
                "clients.",
                code=client.code,
            )
        )


def acting(actor: Actor, viewer: Viewer, client: Client) -> Actor:
    """The actor as the audit trail records it: acting for the client's manager when the
    change is made on a portfolio delegated to the viewer."""
    if viewer.sees_all or client.manager_id == viewer.manager_id:
        return actor
    return replace(actor, acting_for_id=client.manager_id)


def values_of(row: Base | Versioned, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The row's column values (all, or ``fields``), for an audit row or a conflict message."""
    names = fields or tuple(c.key for c in inspect(type(row)).column_attrs)
    return {name: getattr(row, name) for name in names}


def insert_once(session: Session, row: Row) -> tuple[Row, bool]:
    """Insert ``row`` unless a row with its idempotency key exists: (the saved row, created?)."""
    # The UNIQUE key decides between concurrent submits: the loser's insert fails inside a
    # savepoint, which keeps the caller's transaction usable, and it loads the winner's row.
    model = type(row)
    key = getattr(row, "idempotency_key", None)
    if key is not None:
        existing = _holding_key(session, model, key)
        if existing is not None:
            return existing, False
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        if key is None:
            raise
        existing = _holding_key(session, model, key)
        if existing is None:
            raise  # another constraint failed, not the key
        return existing, False
    return row, True


def _holding_key(session: Session, model: type[Row], key: str) -> Row | None:
    # Only models with an idempotency_key column get here: the row had a key.
    column = inspect(model).columns["idempotency_key"]
    return session.scalars(select(model).where(column == key)).one_or_none()


def already_applied(row: Base | Versioned, values: Mapping[str, Any]) -> bool:
    """True when the row already holds exactly ``values``: a double click, not a conflict."""
    return all(getattr(row, name) == value for name, value in values.items())


def update_versioned(
    session: Session,
    row: Versioned,
    *,
    entity: str,
    expected_version: int,
    values: Mapping[str, Any],
) -> bool:
    """Apply ``values`` if the row is still at ``expected_version`` (bumping it); False when the
    same change was already saved; else ConflictError with the other person's values."""
    # The version test is in the UPDATE itself, so a change committed between our read and our
    # write is caught too, on PostgreSQL as on SQLite.
    model = type(row)
    updated = affected_rows(
        session,
        update(model)
        .where(model.id == row.id, model.version == expected_version)
        .values(**values, version=model.version + 1)
        .execution_options(synchronize_session=False),
    )
    session.refresh(row)
    if updated == 1:
        return True
    if already_applied(row, values):
        return False
    raise conflict(session, row, entity=entity, expected_version=expected_version)


def affected_rows(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE without RETURNING; how many rows it matched."""
    # The session returns a CursorResult for these but types it as a plain Result, which has
    # no rowcount (sqlalchemy/sqlalchemy#12913).
    return cast("CursorResult[Any]", session.execute(statement)).rowcount


def conflict(
    session: Session, row: Versioned, *, entity: str, expected_version: int
) -> ConflictError:
    """A ConflictError with the row's current values and who changed it last."""
    session.refresh(row)
    last = session.execute(
        select(AuditLog.actor, AuditLog.at)
        .where(AuditLog.entity == entity, AuditLog.entity_id == str(row.id))
        .order_by(AuditLog.id.desc())
        .limit(1)
    ).first()
    return ConflictError(
        entity=entity,
        entity_id=row.id,
        expected_version=expected_version,
        current=values_of(row),
        changed_by=last[0] if last else None,
        changed_at=last[1] if last else None,
    )


def resubmitted(
    session: Session,
    row: Versioned,
    *,
    entity: str,
    expected_version: int,
    values: Mapping[str, Any],
) -> bool:
    """False when the loaded row is at ``expected_version``; True when it moved on but already
    holds ``values`` (a resubmit); ConflictError when someone else changed it."""
    if row.version == expected_version:
        return False
    if already_applied(row, values):
        return True
    raise conflict(session, row, entity=entity, expected_version=expected_version)
