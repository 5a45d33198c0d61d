"""Claim analytics for the Claims and returns page: the list with age and lateness, the summary
(justified share over closed claims only) and the Pareto, with every filter, computed by hand
(SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kam.activities import claim_figures
from kam.core import db
from kam.core.models import Claim
from tests.team import TODAY, team

D = dt.date


@pytest.fixture
def t(engine):
    """Five claims; TODAY is 18 Nov 2026 and the alert is after 7 days.

    | claim | client (KAM) | opened | kind     | amount | status      | justified | closed | cause   |
    | A     | C001 (K1)    | 01 Nov | shortage | 100    | resolved    | yes       | 05 Nov | Picking |
    | B     | C001 (K1)    | 10 Nov | damage   | 300    | rejected    | no        | 16 Nov | Carrier |
    | C     | C002 (K1)    | 02 Nov | shortage | 50     | open        |           |        |         |
    | D     | C003 (K2)    | 15 Nov | quality  | (none) | in_progress | yes (reopened: kept) | | Picking |
    | E     | C003 (K2)    | 01 Oct | shortage | 200    | resolved    | yes       | 11 Oct | Picking |
    """
    tm = team(engine)
    rows = [
        (tm.c1, tm.k1, D(2026, 11, 1), "shortage", "100.00", "resolved", True, D(2026, 11, 5), "picking_error"),
        (tm.c1, tm.k1, D(2026, 11, 10), "damage", "300.00", "rejected", False, D(2026, 11, 16), "transport_damage"),
        (tm.c2, tm.k1, D(2026, 11, 2), "shortage", "50.00", "open", None, None, None),
        (tm.c3, tm.k2, D(2026, 11, 15), "quality", None, "in_progress", True, None, "picking_error"),
        (tm.c3, tm.k2, D(2026, 10, 1), "shortage", "200.00", "resolved", True, D(2026, 10, 11), "picking_error"),
    ]  # fmt: skip
    with db.writing(engine) as s:
        for client, mgr, opened, kind, amount, status, justified, closed, cause in rows:
            s.add(
                Claim(
                    client_id=client, manager_id=mgr, opened_on=opened, kind=kind,
                    amount=None if amount is None else Decimal(amount), status=status,
                    justified=justified, closed_on=closed, root_cause_code=cause,
                )
            )  # fmt: skip
    return tm


def summary(engine, viewer, **filters):
    with db.reading(engine) as s:
        return claim_figures.claim_summary(s, viewer=viewer, as_of=TODAY, **filters)


def pareto(engine, viewer, **kw):
    with db.reading(engine) as s:
        return claim_figures.claims_pareto(s, viewer=viewer, **kw)


def listing(engine, viewer, **filters):
    with db.reading(engine) as s:
        return claim_figures.claim_list(s, viewer=viewer, as_of=TODAY, **filters)


def test_summary_for_the_head_counts_justified_among_closed_claims_only(engine, t):
    got = summary(engine, t.head_viewer)
    assert got == claim_figures.ClaimSummary(
        claims=5,
        amount=Decimal("650.00"),
        open=2,  # C, D
        open_amount=Decimal("50.00"),
        late=1,  # C: 16 days; D: 3 days
        closed=3,  # A, B, E; D is reopened and its old "justified" does not count
        justified=2,  # A, E
        justified_pct=66.7,
        avg_days_to_resolve=6.7,  # (4 + 6 + 10) / 3
    )


def test_summary_of_a_kam_covers_his_or_her_clients(engine, t):
    got = summary(engine, t.k1_viewer)
    assert (got.claims, got.amount, got.open, got.late) == (3, Decimal("450.00"), 1, 1)
    assert (got.closed, got.justified, got.justified_pct, got.avg_days_to_resolve) == (
        2,
        1,
        50.0,
        5.0,
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kinds": ["shortage"]}, (3, "350.00", 2, 100.0, 7.0)),  # A, C, E
        ({"statuses": ["open", "in_progress"]}, (2, "50.00", 0, None, None)),  # C, D
        ({"search": "ромашка"}, (4, "600.00", 3, 66.7, 6.7)),  # C001 and C003, any case
        ({"search": "c002"}, (1, "50.00", 0, None, None)),
        ({"date_from": D(2026, 11, 1), "date_to": D(2026, 11, 10)}, (3, "450.00", 2, 50.0, 5.0)),
    ],
)
def test_summary_filters(engine, t, filters, expected):
    got = summary(engine, t.head_viewer, **filters)
    claims_, amount, closed, pct, days = expected
    assert (got.claims, got.amount, got.closed, got.justified_pct, got.avg_days_to_resolve) == (
        claims_,
        Decimal(amount),
        closed,
        pct,
        days,
    )


def test_summary_filters_by_the_manager_handling_the_claim(engine, t):
    got = summary(engine, t.head_viewer, manager_id=t.k2)
    assert (got.claims, got.amount, got.closed, got.justified_pct) == (
        2,
        Decimal("200.00"),
        1,
        100.0,
    )


def test_summary_of_nothing_is_zero_with_empty_shares(engine, t):
    got = summary(engine, t.k1_viewer, kinds=["quality"])
    assert got == claim_figures.ClaimSummary(
        0, Decimal("0.00"), 0, Decimal("0.00"), 0, 0, 0, None, None
    )


def test_list_gives_age_lateness_and_who_handles_it_newest_first(engine, t):
    got = listing(engine, t.head_viewer)
    assert list(got.columns) == claim_figures.LIST_COLUMNS
    assert list(got["opened_on"]) == [
        D(2026, 11, 15), D(2026, 11, 10), D(2026, 11, 2), D(2026, 11, 1), D(2026, 10, 1),
    ]  # fmt: skip
    assert list(got["age_days"]) == [3, 6, 16, 4, 10]  # open: up to today; closed: to closing
    assert list(got["late"]) == [False, False, True, False, False]
    assert list(got["manager_code"]) == ["K2", "K1", "K1", "K1", "K2"]
    assert list(got["manager_id"]) == [t.k2, t.k1, t.k1, t.k1, t.k2]
    assert list(got["client_code"]) == ["C003", "C001", "C002", "C001", "C003"]


def test_list_follows_viewer_and_filters(engine, t):
    assert list(listing(engine, t.k2_viewer)["client_code"]) == ["C003", "C003"]
    got = listing(engine, t.head_viewer, kinds=["shortage"], statuses=["resolved"])
    assert list(got["opened_on"]) == [D(2026, 11, 1), D(2026, 10, 1)]
    got = listing(engine, t.head_viewer, closed_from=D(2026, 11, 5), closed_to=D(2026, 11, 16))
    assert list(got["opened_on"]) == [D(2026, 11, 10), D(2026, 11, 1)]  # B, A; not E (11 Oct)


def test_list_of_one_client_stays_within_the_viewers_portfolio(engine, t):
    assert list(listing(engine, t.head_viewer, client_id=t.c1)["opened_on"]) == [
        D(2026, 11, 10), D(2026, 11, 1),
    ]  # fmt: skip
    assert list(listing(engine, t.k1_viewer, client_id=t.c1)["claim_id"]) == list(
        listing(engine, t.head_viewer, client_id=t.c1)["claim_id"]
    )
    assert list(listing(engine, t.k2_viewer, client_id=t.c3)["opened_on"]) == [
        D(2026, 11, 15), D(2026, 10, 1),
    ]  # fmt: skip
    assert listing(engine, t.k1_viewer, client_id=t.c3).empty  # C003 is K2's client


def test_pareto_by_kind_of_amounts_largest_first_with_cumulative_share(engine, t):
    got = pareto(engine, t.head_viewer, by="kind")
    assert got.to_dict("records") == [
        {"key": "shortage", "claims": 3, "amount": Decimal("350.00"), "share_pct": 53.8, "cumulative_pct": 53.8},
        {"key": "damage", "claims": 1, "amount": Decimal("300.00"), "share_pct": 46.2, "cumulative_pct": 100.0},
        {"key": "quality", "claims": 1, "amount": Decimal("0.00"), "share_pct": 0.0, "cumulative_pct": 100.0},
    ]  # fmt: skip


def test_pareto_by_kind_of_counts_breaks_ties_by_amount(engine, t):
    got = pareto(engine, t.head_viewer, by="kind", measure="claims")
    assert list(got["key"]) == ["shortage", "damage", "quality"]
    assert list(got["share_pct"]) == [60.0, 20.0, 20.0]
    assert list(got["cumulative_pct"]) == [60.0, 80.0, 100.0]


def test_pareto_by_root_cause_leaves_out_claims_without_one(engine, t):
    got = pareto(engine, t.head_viewer, by="root_cause")
    # 300 each; the picking error has more claims. Keys are the codes of the list.
    assert list(got["key"]) == ["picking_error", "transport_damage"]
    assert list(got["claims"]) == [3, 1]  # C (open) has no root cause yet
    assert list(got["cumulative_pct"]) == [50.0, 100.0]


def test_pareto_of_a_kam_and_of_nothing(engine, t):
    got = pareto(engine, t.k1_viewer, by="kind")
    assert list(zip(got["key"], got["amount"], strict=True)) == [
        ("damage", Decimal("300.00")),
        ("shortage", Decimal("150.00")),
    ]
    assert pareto(engine, t.k1_viewer, by="kind", kinds=["quality"]).empty
