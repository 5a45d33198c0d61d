"""Returns and refusals by client for the Claims and returns page: amounts and rate per client,
largest returned first, only clients with returns (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from kam import sales
from kam.core import db, periods
from kam.core.models import Client
from tests import factories as f
from tests.team import team

Q4 = periods.parse("2026-Q4")


@pytest.fixture
def t(engine):
    tm = team(engine)
    with db.writing(engine) as s:
        c1, c2, c3, c4 = (s.get(Client, c) for c in (tm.c1, tm.c2, tm.c3, tm.c4))
        f.line(s, c1, "2026-10-05", "1000.00")
        f.line(s, c1, "2026-10-20", "-100.00", kind="return", reason="Damaged")
        f.line(s, c1, "2026-11-03", "-50.00", kind="refusal", reason="Not ordered")
        f.line(s, c2, "2026-11-01", "500.00")
        f.line(s, c2, "2026-08-01", "-999.00", kind="return")  # before the period
        f.line(s, c3, "2026-11-02", "200.00")
        f.line(s, c3, "2026-11-05", "-80.00", kind="return")
        f.line(s, c4, "2026-11-10", "-30.00", kind="return")  # only a return: no rate
        f.refresh(s)
    return tm


def rows(engine, viewer, **kw):
    with db.reading(engine) as s:
        got = sales.returns_by_client(s, viewer=viewer, period=Q4, **kw)
    # A rate with no gross sales is empty: pandas shows it as NaN in a float column.
    return [
        (
            r.client_code,
            r.gross,
            r.returns,
            r.refusals,
            None if pd.isna(r.returns_rate_pct) else r.returns_rate_pct,
        )
        for r in got.itertuples()
    ]


def test_clients_with_returns_largest_first(engine, t):
    assert rows(engine, t.head_viewer) == [
        ("C001", Decimal("1000.00"), Decimal("-100.00"), Decimal("-50.00"), 15.0),
        ("C003", Decimal("200.00"), Decimal("-80.00"), Decimal("0.00"), 40.0),
        ("C004", Decimal("0.00"), Decimal("-30.00"), Decimal("0.00"), None),
    ]


def test_a_kam_sees_his_or_her_clients(engine, t):
    assert [r[0] for r in rows(engine, t.k2_viewer)] == ["C003", "C004"]


def test_manager_filter_and_limit(engine, t):
    assert [r[0] for r in rows(engine, t.head_viewer, manager_id=t.k1)] == ["C001"]
    assert [r[0] for r in rows(engine, t.head_viewer, limit=2)] == ["C001", "C003"]
