"""The audit trail read back: every change with who made it, when, on which record, before and
after, and for whom the person acted; filtered, newest first, a page at a time."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from kam.core import formatting as fmt
from kam.core import labels
from kam.core.access import Capability, Viewer, require
from kam.core.collation import sort_by_name
from kam.core.i18n import t
from kam.core.models import AuditLog, Manager

AUDIT_COLUMNS = [
    "audit_id",
    "at",
    "actor",
    "actor_id",
    "acting_for",
    "acting_for_id",
    "entity",
    "entity_id",
    "action",
    "before",
    "after",
    "changes",
]
PAGE_SIZE = 200
MAX_PAGE_SIZE = 5_000


@dataclass(frozen=True)
class AuditFilter:
    """What to keep: one person (acting, or acted for), entities, a date range (days, both
    included, in ``zone``: the deployment's time zone unless named), and only changes made for
    someone else."""

    person_id: int | None = None
    entities: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    acting_for_only: bool = False
    zone: str | None = None


def _where(query: Select, filters: AuditFilter) -> Select:
    if filters.person_id is not None:
        query = query.where(
            or_(AuditLog.actor_id == filters.person_id, AuditLog.acting_for_id == filters.person_id)
        )
    if filters.entities:
        query = query.where(AuditLog.entity.in_(filters.entities))
    # Whole days where the people are (``at`` is stored in UTC); a half-open range keeps the
    # last day whole.
    zone = ZoneInfo(filters.zone) if filters.zone else fmt.zone()
    if filters.date_from is not None:
        query = query.where(AuditLog.at >= _midnight(filters.date_from, zone))
    if filters.date_to is not None:
        query = query.where(AuditLog.at < _midnight(filters.date_to + dt.timedelta(days=1), zone))
    if filters.acting_for_only:
        query = query.where(AuditLog.acting_for_id.is_not(None))
    return query


def _midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


# Fields that hold money; a plan's target is money only for the revenue plan.
MONEY_FIELDS = frozenset({"amount", "credit_limit", "cost", "our_price", "their_price", "target"})
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def readable(values: dict[str, Any] | None, entity: str = "") -> str:
    """Values as ``Field: value`` pairs on one line, in stored order, the fields named in words
    and the values formatted (empty for none)."""
    if not values:
        return ""
    return "; ".join(
        f"{labels.field_label(k)}: {_text(entity, k, v, values)}" for k, v in values.items()
    )


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None, entity: str = "") -> str:
    """What changed, ``Field: old → new``; for a new or removed record, its values."""
    if before and after:
        keys = [k for k in after if k != "version" and before.get(k) != after.get(k)]
        keys += [k for k in before if k not in after]
        return "; ".join(
            f"{labels.field_label(k)}: {_text(entity, k, before.get(k), before)}"
            f" → {_text(entity, k, after.get(k), after)}"
            for k in keys
        )
    return readable(after or before, entity)


def _text(entity: str, field: str, value: Any, record: dict[str, Any]) -> str:
    """One stored value as people read it: a dash for none, codes in words, money as money,
    dates as dates (values are stored as JSON: dates ISO, decimals as strings)."""
    if value is None:
        return fmt.DASH
    if isinstance(value, bool):
        return t("Yes") if value else t("No")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        word = labels.value_label(entity, field, value)
        if word is not None:
            return word
    if field in MONEY_FIELDS and (amount := _decimal(value)) is not None:
        decimals = 0 if amount == amount.to_integral_value() else 2
        if record.get("metric", "revenue") == "revenue":
            return fmt.money(amount, decimals)
        return fmt.number(amount, decimals)  # a plan of clients counts clients
    if field == "period" and isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return fmt.month(dt.date.fromisoformat(value))
    if isinstance(value, str) and _ISO_MOMENT.fullmatch(value[:16]) and len(value) > 10:
        try:
            return fmt.moment(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return fmt.date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def audit_log(
    session: Session,
    *,
    viewer: Viewer,
    filters: AuditFilter = AuditFilter(),
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> pd.DataFrame:
    """Changes matching ``filters``, newest first, ``limit`` from ``offset`` (columns
    AUDIT_COLUMNS): actor and acting-for names, before/after and the changes as text."""
    require(viewer, Capability.SEE_AUDIT_TRAIL)
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    acted_for = aliased(Manager)
    query = _where(
        select(
            AuditLog.id, AuditLog.at, AuditLog.actor, AuditLog.actor_id, acted_for.name,
            AuditLog.acting_for_id, AuditLog.entity, AuditLog.entity_id, AuditLog.action,
            AuditLog.before, AuditLog.after,
        ).outerjoin(acted_for, acted_for.id == AuditLog.acting_for_id),
        filters,
    ).order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit).offset(max(0, int(offset)))  # fmt: skip
    rows = [
        (*r[:9], readable(r.before, r.entity), readable(r.after, r.entity),
         changes(r.before, r.after, r.entity))
        for r in session.execute(query)
    ]
    frame = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    # SQLite hands back naive datetimes (stored UTC): say so, as PostgreSQL does.
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame


def audit_count(session: Session, *, viewer: Viewer, filters: AuditFilter = AuditFilter()) -> int:
    """How many changes match ``filters`` (for paging)."""
    require(viewer, Capability.SEE_AUDIT_TRAIL)
    return int(session.execute(_where(select(func.count(AuditLog.id)), filters)).scalar_one())


def audit_entities(session: Session, *, viewer: Viewer) -> list[str]:
    """The kinds of record that have changes, for the filter."""
    require(viewer, Capability.SEE_AUDIT_TRAIL)
    return list(session.scalars(select(AuditLog.entity).distinct().order_by(AuditLog.entity)))


def audit_people(session: Session, *, viewer: Viewer) -> pd.DataFrame:
    """Everyone who can appear in the trail (inactive too): manager_id, code, name."""
    require(viewer, Capability.SEE_AUDIT_TRAIL)
    query = select(Manager.id, Manager.code, Manager.name)
    return sort_by_name(
        pd.DataFrame(session.execute(query).all(), columns=["manager_id", "code", "name"])
    )
