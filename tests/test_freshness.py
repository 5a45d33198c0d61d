"""Data freshness (docs/METRICS.md): the last load and the newest sales document."""

from __future__ import annotations

import datetime as dt

from kam import sales
from kam.core import audit, clock, db
from tests import factories as f


def test_freshness_before_and_after_a_load(engine):
    with db.reading(engine) as s:
        assert sales.data_freshness(s) == (None, None)
    with db.writing(engine) as s:
        k = f.manager(s, "K")
        x = f.client(s, "X", k)
        f.line(s, x, "2026-11-30", 100)
        f.line(s, x, "2026-11-27", 50)
        f.refresh(s)
        # Another kind of write (a plan, a visit) is not a load.
        audit.record(s, actor=audit.SYSTEM, entity="plan", entity_id=1, action="update")
    with db.reading(engine) as s:
        assert sales.data_freshness(s) == (None, dt.date(2026, 11, 30))
    with db.writing(engine) as s:
        audit.record(s, actor=audit.SYSTEM, entity="sales", entity_id="sales.csv", action="import")
    with db.reading(engine) as s:
        loaded, last = sales.data_freshness(s)
    assert last == dt.date(2026, 11, 30)
    assert loaded is not None and loaded.tzinfo is not None
    assert abs((clock.now() - loaded).total_seconds()) < 120
