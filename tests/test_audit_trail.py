"""The audit trail query (kam.core.audit_trail): filters, order, names, readable text, paging."""

from __future__ import annotations

import datetime as dt

import pytest

from kam.core import audit, audit_trail, db
from kam.core.audit import Actor
from kam.core.audit_trail import AuditFilter
from kam.core.models import AuditLog
from tests.team import team

AT = dt.datetime(2026, 11, 18, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def trail(engine):
    """Five changes an hour apart (day 17 23:00 UTC to day 18 03:00): the head's, Irina's (one of
    them for Dmitry) and the import's."""
    tm = team(engine)
    rows = [
        (Actor("Viktor", tm.head), "plan", "1", "update", {"target": "100", "version": 1},
         {"target": "120", "version": 2}),
        (Actor("Irina", tm.k1), "visit", "7", "log", None, {"kind": "call", "client_id": tm.c1}),
        (Actor("Irina", tm.k1, acting_for_id=tm.k2), "claim", "3", "update",
         {"status": "open", "amount": "10.50"}, {"status": "resolved", "amount": "10.50"}),
        (audit.SYSTEM, "import", None, "load", None, {"rows": 12}),
        (Actor("Viktor", tm.head), "delegation", "1", "delete",
         {"from_manager_id": tm.k2, "reason": None}, None),
    ]  # fmt: skip
    with db.writing(engine) as s:
        for hour, (actor, entity, entity_id, action, before, after) in enumerate(rows):
            s.add(AuditLog(
                at=dt.datetime(2026, 11, 17, 23, tzinfo=dt.UTC) + dt.timedelta(hours=hour),
                actor=actor.name, actor_id=actor.id, acting_for_id=actor.acting_for_id,
                entity=entity, entity_id=entity_id, action=action, before=before, after=after,
            ))  # fmt: skip
    return tm


def log(engine, viewer, **kw):
    with db.reading(engine) as s:
        return audit_trail.audit_log(s, viewer=viewer, **kw)


def test_newest_first_with_names_and_readable_changes(engine, trail):
    got = log(engine, trail.head_viewer)
    assert list(got["entity"]) == ["delegation", "import", "claim", "visit", "plan"]
    claim = got.iloc[2]
    assert (claim["actor"], claim["acting_for"], claim["acting_for_id"]) == (
        "Irina", "Dmitry", trail.k2
    )  # fmt: skip
    assert claim["changes"] == "Status: Open → Resolved"
    assert claim["before"] == "Status: Open; Amount: RUB\u00a010.50"
    assert got.iloc[4]["changes"] == "Plan: RUB\u00a0100 → RUB\u00a0120"  # the version is no change
    assert got.iloc[3]["changes"] == f"Kind: Call; Client: {trail.c1}"
    assert got.iloc[1]["changes"] == "Rows: 12" and pd_isna(got.iloc[1]["entity_id"])
    assert got.iloc[0]["changes"] == f"Whose portfolio: {trail.k2}; Reason: —"
    assert got.iloc[0]["at"] == pd_ts("2026-11-18 03:00")
    assert got["acting_for"].isna().sum() == 4


def test_a_change_reads_in_words_with_dates_and_money_formatted():
    # A plan as values_of() stores it: the id, an ISO month, the metric's code, a decimal string.
    plan = {"id": 968, "period": "2026-12-01", "metric": "revenue", "target": "1500000.00",
            "client_id": None, "active": True}  # fmt: skip
    assert audit_trail.readable(plan, "plan") == (
        "Id: 968; Month: Dec 2026; Metric: Revenue; Plan: RUB\u00a01,500,000; Client: —; Active: Yes"
    )
    # A plan of active clients counts clients, not roubles.
    assert audit_trail.changes(
        {"metric": "active_clients", "target": "30.00", "version": 1},
        {"metric": "active_clients", "target": "32.00", "version": 2}, "plan",
    ) == "Plan: 30 → 32"  # fmt: skip
    assert audit_trail.changes(
        {"credit_limit": "1500000.00", "contract_end": "2026-12-31", "payment_terms_days": 14},
        {"credit_limit": "2000000.50", "contract_end": "2027-01-31", "payment_terms_days": 21},
        "client",
    ) == (
        "Credit limit: RUB\u00a01,500,000 → RUB\u00a02,000,000.50; "
        "Contract end: 31 Dec 2026 → 31 Jan 2027; Payment terms, days: 14 → 21"
    )  # fmt: skip
    assert audit_trail.changes({"kind": "shortage"}, {"kind": "mis_grade"}, "claim") == (
        "Kind: Shortage → Mis-grading"
    )
    # A field of no vocabulary reads as its name with spaces; no "None", no braces.
    got = audit_trail.readable({"brand_new_field": None, "tags": {"a": 1}}, "client")
    assert got == 'Brand new field: —; Tags: {"a": 1}'
    assert "None" not in got


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def pd_ts(text: str):
    import pandas as pd

    return pd.Timestamp(text, tz="UTC")


def test_filters(engine, trail):
    def entities(**kw):
        return list(log(engine, trail.admin_viewer, filters=AuditFilter(**kw))["entity"])

    # A person's changes and the changes made for him or her.
    assert entities(person_id=trail.k1) == ["claim", "visit"]
    assert entities(person_id=trail.k2) == ["claim"]
    assert entities(person_id=trail.head) == ["delegation", "plan"]
    assert entities(entities=("plan", "import")) == ["import", "plan"]
    assert entities(acting_for_only=True) == ["claim"]
    # Whole days, both ends included: in UTC the 17th holds only the 23:00 change.
    utc = {"zone": "UTC"}
    assert entities(date_to=dt.date(2026, 11, 17), **utc) == ["plan"]
    assert entities(date_from=dt.date(2026, 11, 18), **utc) == [
        "delegation", "import", "claim", "visit"
    ]  # fmt: skip
    assert entities(date_from=dt.date(2026, 11, 18), date_to=dt.date(2026, 11, 18),
                    person_id=trail.k1, **utc) == ["claim", "visit"]  # fmt: skip
    assert entities(date_from=dt.date(2026, 11, 19), **utc) == []
    # In Moscow (UTC+3, the default zone) all five fall on the 18th, 02:00 to 06:00.
    assert entities(date_to=dt.date(2026, 11, 17)) == []
    assert len(entities(date_from=dt.date(2026, 11, 18), date_to=dt.date(2026, 11, 18))) == 5
    # In the Azores (UTC-1 in November) the 17th holds the 23:00 and the 00:00 UTC changes.
    assert entities(date_to=dt.date(2026, 11, 17), zone="Atlantic/Azores") == ["visit", "plan"]
    with db.reading(engine) as s:
        assert audit_trail.audit_count(s, viewer=trail.head_viewer) == 5
        assert (
            audit_trail.audit_count(
                s, viewer=trail.head_viewer, filters=AuditFilter(person_id=trail.k1)
            )
            == 2
        )
        assert audit_trail.audit_entities(s, viewer=trail.head_viewer) == [
            "claim", "delegation", "import", "plan", "visit"
        ]  # fmt: skip


def test_paging(engine, trail):
    first = log(engine, trail.head_viewer, limit=2)
    second = log(engine, trail.head_viewer, limit=2, offset=2)
    third = log(engine, trail.head_viewer, limit=2, offset=4)
    assert list(first["entity"]) == ["delegation", "import"]
    assert list(second["entity"]) == ["claim", "visit"]
    assert list(third["entity"]) == ["plan"]


def test_a_kam_may_not_read_the_trail(engine, trail):
    with pytest.raises(PermissionError, match="head of sales and administrators"):
        log(engine, trail.k1_viewer)
    with db.reading(engine) as s, pytest.raises(PermissionError):
        audit_trail.audit_count(s, viewer=trail.k1_viewer)


def test_the_audit_page_shows_times_in_the_deployments_zone(monkeypatch, sqlite_url):
    from tests.apptest import run_app

    tm = team(db.engine(sqlite_url))
    with db.writing(db.engine(sqlite_url)) as s:
        s.add(AuditLog(at=dt.datetime(2026, 11, 30, 21, 30, tzinfo=dt.UTC), actor="Viktor",
                       actor_id=tm.head, entity="plan", entity_id="1", action="update",
                       before={"target": "1"}, after={"target": "2"}))  # fmt: skip
    at = run_app(monkeypatch, sqlite_url, page="pages/audit.py", viewer="H1")
    # 21:30 UTC on 30 November is 00:30 on 1 December in Moscow, the default zone.
    assert list(at.dataframe[0].value["at"]) == ["1 Dec 2026, 00:30"]
