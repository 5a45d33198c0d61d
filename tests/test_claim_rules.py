"""One definition of an open and of a late claim: the clients table, the Claims page summary and
list, and My desk count the same claims on the same data and day (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from kam import portfolio
from kam.activities import claim_figures, claims
from kam.core import config, db
from kam.core.models import CLAIM_STATUSES, Claim
from kam.portfolio import desk
from tests.team import TODAY, team

D = dt.date


@pytest.fixture
def t(engine):
    """Seven claims; TODAY is 18 Nov 2026 and the alert is after 7 days, so a claim still open
    is late when it was opened before 11 Nov (18 − 11 = 7 days is not more than 7).

    | claim | client (KAM)    | opened | status      | open | late (7 days) | late (30 days) |
    | A     | C001 (K1)       | 11 Nov | open        | yes  | no: 7 days    | no             |
    | B     | C001 (K1)       | 10 Nov | in_progress | yes  | yes: 8 days   | no             |
    | C     | C002 (K1)       | 01 Oct | open        | yes  | yes: 48 days  | yes            |
    | D     | C002 (K1)       | 01 Oct | resolved    | no   | no            | no             |
    | E     | C003 (K2)       | 18 Nov | open        | yes  | no: 0 days    | no             |
    | F     | C003 (K2)       | 01 Nov | rejected    | no   | no            | no             |
    | G     | C004 (K2, lost) | 01 Sep | in_progress | yes  | yes: 78 days  | yes            |
    """
    tm = team(engine)
    rows = [
        (tm.c1, tm.k1, D(2026, 11, 11), "open", None),
        (tm.c1, tm.k1, D(2026, 11, 10), "in_progress", None),
        (tm.c2, tm.k1, D(2026, 10, 1), "open", None),
        (tm.c2, tm.k1, D(2026, 10, 1), "resolved", D(2026, 10, 5)),
        (tm.c3, tm.k2, D(2026, 11, 18), "open", None),
        (tm.c3, tm.k2, D(2026, 11, 1), "rejected", D(2026, 11, 3)),
        (tm.c4, tm.k2, D(2026, 9, 1), "in_progress", None),
    ]
    with db.writing(engine) as s:
        for client, manager, opened, status, closed in rows:
            s.add(
                Claim(
                    client_id=client, manager_id=manager, opened_on=opened, kind="shortage",
                    amount=Decimal("10.00"), status=status, closed_on=closed,
                    justified=None if closed is None else True,
                    root_cause=None if closed is None else "Picking",
                    resolution=None if closed is None else "Credited",
                )
            )  # fmt: skip
    return tm


def counted(engine, viewer):
    """(open, late) as the clients table, the Claims page (tiles and list) and My desk count them."""
    with db.reading(engine) as s:
        overview = portfolio.clients_overview(s, viewer=viewer, as_of=TODAY)
        summary = claim_figures.claim_summary(s, viewer=viewer, as_of=TODAY)
        listed = claim_figures.claim_list(s, viewer=viewer, as_of=TODAY)
        attention = desk.attention(s, viewer=viewer, today=TODAY)
    on_desk = attention[attention["kind"] == "claim"]
    return {
        "clients table": (int(overview["open_claims"].sum()), None),
        "claims summary": (summary.open, summary.late),
        "claims list": (int(listed["status"].isin(claims.OPEN_STATUSES).sum()), int(listed["late"].sum())),
        "my desk": (None, len(on_desk)),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("viewer", "open_", "late"),
    [("head_viewer", 5, 3), ("k1_viewer", 3, 2), ("k2_viewer", 2, 1)],
)
def test_the_clients_table_the_claims_page_and_my_desk_count_the_same_claims(
    engine, t, viewer, open_, late
):
    got = counted(engine, getattr(t, viewer))
    assert got == {
        "clients table": (open_, None),
        "claims summary": (open_, late),
        "claims list": (open_, late),
        "my desk": (None, late),
    }


def test_open_claims_per_client_in_the_clients_table(engine, t):
    with db.reading(engine) as s:
        overview = portfolio.clients_overview(s, viewer=t.head_viewer, as_of=TODAY)
    assert dict(zip(overview["client_code"], overview["open_claims"], strict=True)) == {
        "C001": 2,  # A, B
        "C002": 1,  # C (D is resolved)
        "C003": 1,  # E (F is rejected)
        "C004": 1,  # G
    }


def test_my_desk_lists_the_late_claims_with_their_days_open(engine, t):
    with db.reading(engine) as s:
        attention = desk.attention(s, viewer=t.head_viewer, today=TODAY)
    on_desk = attention[attention["kind"] == "claim"]
    assert list(zip(on_desk["client_code"], on_desk["days"], strict=True)) == [
        ("C004", 78),  # G, oldest first
        ("C002", 48),  # C
        ("C001", 8),  # B
    ]


def test_a_longer_alert_moves_every_count_alike(engine, t, monkeypatch):
    longer = dataclasses.replace(config.settings(), claim_alert_days=30)
    monkeypatch.setattr(config, "settings", lambda: longer)
    got = counted(engine, t.head_viewer)
    # Late after 30 days: C (48 days) and G (78 days); B (8 days) no longer is.
    assert {name: late for name, (_, late) in got.items() if late is not None} == {
        "claims summary": 2,
        "claims list": 2,
        "my desk": 2,
    }


def test_open_and_closed_statuses_split_the_workflow():
    assert claims.OPEN_STATUSES == ("open", "in_progress")
    assert set(claims.OPEN_STATUSES) | set(claims.CLOSED) == set(CLAIM_STATUSES)
    assert not set(claims.OPEN_STATUSES) & set(claims.CLOSED)
