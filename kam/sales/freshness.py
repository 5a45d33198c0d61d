"""How fresh the ledger is: when data was last loaded, and the last day a document is dated."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kam.core.models import AuditLog, SalesDay

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False


class Freshness(NamedTuple):
    """When the last import (or the demo) loaded data, and the newest sales day."""

    loaded_at: dt.datetime | None
    last_document: dt.date | None


def data_freshness(session: Session) -> Freshness:
    """The time of the last load that wrote data (an import or the demo) and the date of the
    newest sales document (None when there is none)."""
    loaded = session.scalar(
        select(func.max(AuditLog.at)).where(
            or_(AuditLog.action == "import", AuditLog.entity == "demo")
        )
    )
    last = session.scalar(select(func.max(SalesDay.day)))
    if isinstance(loaded, dt.datetime) and loaded.tzinfo is None:
        loaded = loaded.replace(tzinfo=dt.UTC)  # SQLite hands back a naive UTC time
    return Freshness(loaded, last)
