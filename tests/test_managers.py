"""Users, reassignment and delegation (kam.portfolio.managers, moves and delegations): every rule, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from kam import plans, sales
from kam.activities import visits
from kam.core import access, db, periods
from kam.core.access import Viewer
from kam.core.models import Client, Delegation, Manager, Plan
from kam.core.validation import ConflictError, ValidationError
from kam.portfolio import delegations, managers, moves
from tests import factories as f
from tests.team import TODAY, audit_rows, data_version, team


@pytest.fixture
def tm(engine):
    return team(engine)


def add(engine, viewer, actor, **kw):
    values = {"code": "K9", "name": "Olga", "email": "olga@example.com", "role": "kam"} | kw
    with db.writing(engine) as s:
        return managers.add_manager(s, viewer=viewer, actor=actor, **values)


# --- who may -----------------------------------------------------------------------------


def test_only_an_admin_adds_users(engine, tm):
    for viewer in (tm.head_viewer, tm.k1_viewer):
        with pytest.raises(PermissionError, match="only an administrator"):
            add(engine, viewer, tm.head_actor)


def test_only_head_and_admin_reassign_and_delegate(engine, tm):
    with db.writing(engine) as s, pytest.raises(PermissionError, match="head of sales"):
        moves.reassign_clients(
            s, viewer=tm.k1_viewer, actor=tm.k1_actor, from_manager_id=tm.k2, to_manager_id=tm.k1
        )
    with db.writing(engine) as s, pytest.raises(PermissionError, match="head of sales"):
        delegations.delegate(
            s, viewer=tm.k1_viewer, actor=tm.k1_actor, from_manager_id=tm.k2,
            to_manager_id=tm.k1, starts_on=TODAY, ends_on=TODAY, today=TODAY,
        )  # fmt: skip


# --- add / update --------------------------------------------------------------------------


def test_add_manager_is_audited_and_bumps_the_data_version(engine, tm):
    before = data_version(engine)
    row = add(engine, tm.admin_viewer, tm.head_actor, email="  Olga@Example.com ")
    assert row.email == "Olga@Example.com" and row.active and row.role == "kam"
    assert data_version(engine) == before + 1
    (entry,) = audit_rows(engine, "manager")
    assert (entry.action, entry.entity_id, entry.before) == ("create", str(row.id), None)
    assert entry.after["email"] == "Olga@Example.com" and entry.after["code"] == "K9"


def test_add_manager_checks_every_field(engine, tm):
    with db.writing(engine) as s:
        s.execute(select(Manager)).all()
        s.get(Manager, tm.k1).email = "irina@example.com"
    with pytest.raises(ValidationError) as err:
        add(engine, tm.admin_viewer, tm.head_actor, code="k1", name="  ", email="IRINA@example.COM",
            role="boss")  # fmt: skip
    assert set(err.value.problems) == {"code", "name", "email", "role"}
    assert "already used by Irina" in err.value.problems["code"]
    assert "already used by Irina" in err.value.problems["email"]
    assert "one of kam, head, admin" in err.value.problems["role"]
    with pytest.raises(ValidationError, match="not an e-mail address"):
        add(engine, tm.admin_viewer, tm.head_actor, email="olga.example.com")


def test_update_and_deactivate_manager(engine, tm):
    with db.writing(engine) as s:
        row = managers.update_manager(
            s, viewer=tm.admin_viewer, actor=tm.head_actor, manager_id=tm.k2,
            expected_version=1, name="Dmitry P.", email="dmitry@example.com", role="kam",
            active=False,
        )  # fmt: skip
        assert (row.version, row.active) == (2, False)
    (entry,) = audit_rows(engine, "manager")
    assert entry.action == "deactivate"
    assert (entry.before["active"], entry.after["active"]) == (True, False)
    assert (entry.before["name"], entry.after["name"]) == ("Dmitry", "Dmitry P.")
    with db.reading(engine) as s:  # a deactivated manager is nobody: no viewer, not pickable
        assert access.viewer_for(s, manager_id=tm.k2, on=TODAY) is None
        assert access.viewer_by_email(s, email="DMITRY@example.com", on=TODAY) is None
        assert tm.k2 not in set(managers.managers(s, viewer=tm.head_viewer)["manager_id"])
    # A second submit of the same form is not a second change; a stale one is a conflict.
    with db.writing(engine) as s:
        managers.update_manager(
            s, viewer=tm.admin_viewer, actor=tm.head_actor, manager_id=tm.k2,
            expected_version=1, name="Dmitry P.", email="dmitry@example.com", role="kam",
            active=False,
        )  # fmt: skip
    with db.writing(engine) as s, pytest.raises(ConflictError):
        managers.update_manager(
            s, viewer=tm.admin_viewer, actor=tm.head_actor, manager_id=tm.k2,
            expected_version=1, name="Dima", email=None, role="kam", active=True,
        )  # fmt: skip
    assert len(audit_rows(engine, "manager")) == 1


def test_an_admin_cannot_lock_himself_out(engine, tm):
    with db.writing(engine) as s, pytest.raises(ValidationError) as err:
        managers.update_manager(
            s, viewer=tm.admin_viewer, actor=tm.head_actor, manager_id=tm.admin,
            expected_version=1, name="Anna", email=None, role="kam", active=False,
        )  # fmt: skip
    assert set(err.value.problems) == {"active", "role"}


# --- reassign ------------------------------------------------------------------------------


def test_reassignment_moves_clients_and_keeps_sales_credited(engine, tm):
    with db.writing(engine) as s:
        c1, c2, c3 = (s.get(Client, i) for i in (tm.c1, tm.c2, tm.c3))
        f.line(s, c1, "2026-10-05", 1000)
        f.line(s, c2, "2026-10-06", 250)
        f.line(s, c3, "2026-10-07", 400)
        f.refresh(s)
    oct_ = dict(start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    with db.reading(engine) as s:
        credited = sales.revenue_by_manager(s, viewer=tm.head_viewer, **oct_)
    assert credited == {tm.k1: Decimal("1250.00"), tm.k2: Decimal("400.00")}

    with db.writing(engine) as s:
        moved = moves.reassign_clients(
            s, viewer=tm.head_viewer, actor=tm.head_actor, from_manager_id=tm.k1,
            to_manager_id=tm.k2, client_ids=[tm.c2], today=TODAY,
        )  # fmt: skip
    assert moved == moves.Reassignment(client_ids=[tm.c2], plans_moved=0)
    with db.reading(engine) as s:
        assert sales.revenue_by_manager(s, viewer=tm.head_viewer, **oct_) == credited
        owners = dict(s.execute(select(Client.id, Client.manager_id)).all())
        k2_list = moves.portfolio_clients(s, viewer=tm.head_viewer, manager_id=tm.k2)
    assert owners == {tm.c1: tm.k1, tm.c2: tm.k2, tm.c3: tm.k2, tm.c4: tm.k2}
    assert list(k2_list["code"]) == ["C002", "C003", "C004"]
    (entry,) = audit_rows(engine, "client")
    assert (entry.action, entry.entity_id) == ("reassign", str(tm.c2))
    assert (entry.before["manager"], entry.after["manager"]) == ("K1", "K2")

    with db.writing(engine) as s:  # all the rest (the admin may too)
        moved = moves.reassign_clients(
            s, viewer=tm.admin_viewer, actor=tm.head_actor, from_manager_id=tm.k2,
            to_manager_id=tm.k1, today=TODAY,
        )  # fmt: skip
    assert sorted(moved.client_ids) == sorted([tm.c2, tm.c3, tm.c4])
    with db.reading(engine) as s:
        assert sales.revenue_by_manager(s, viewer=tm.head_viewer, **oct_) == credited
    assert len(audit_rows(engine, "client")) == 4


def test_reassignment_rules(engine, tm):
    def move(**kw):
        with db.writing(engine) as s:
            return moves.reassign_clients(s, viewer=tm.head_viewer, actor=tm.head_actor, **kw)

    with pytest.raises(ValidationError, match="already belong"):
        move(from_manager_id=tm.k1, to_manager_id=tm.k1)
    with pytest.raises(ValidationError, match="administrator"):
        move(from_manager_id=tm.k1, to_manager_id=tm.admin)
    with pytest.raises(ValidationError, match="no longer belong"):
        move(from_manager_id=tm.k1, to_manager_id=tm.k2, client_ids=[tm.c1, tm.c3])
    with pytest.raises(ValidationError, match="at least one"):
        move(from_manager_id=tm.k1, to_manager_id=tm.k2, client_ids=[])
    with db.writing(engine) as s:
        s.get(Manager, tm.k2).active = False
    with pytest.raises(ValidationError, match="deactivated"):
        move(from_manager_id=tm.k1, to_manager_id=tm.k2)
    assert audit_rows(engine, "client") == []


def plan_owners(engine) -> dict[tuple[str, int | None], tuple[int, Decimal, int]]:
    """Every plan as (month, client_id) -> (manager_id, target, version)."""
    with db.reading(engine) as s:
        rows = s.execute(
            select(Plan.period, Plan.client_id, Plan.manager_id, Plan.target, Plan.version)
        ).all()
    return {(p.strftime("%Y-%m"), c): (m, Decimal(t), v) for p, c, m, t, v in rows}


def test_reassignment_moves_per_client_plans_from_this_month_on(engine, tm):
    # TODAY is 2026-11-18: October is history, November and December move with C002.
    with db.writing(engine) as s:
        k1, c1, c2 = s.get(Manager, tm.k1), s.get(Client, tm.c1), s.get(Client, tm.c2)
        october = f.plan(s, k1, "2026-10", "revenue", 100, c2).id
        november = f.plan(s, k1, "2026-11", "revenue", 200, c2).id
        december = f.plan(s, k1, "2026-12", "revenue", 300, c2).id
        f.plan(s, k1, "2026-11", "revenue", 400, c1)  # C001 stays with K1, so does its plan
        f.plan(s, k1, "2026-11", "revenue", 5000)  # K1's own plan is not a client's
    before = data_version(engine)
    with db.writing(engine) as s:
        moved = moves.reassign_clients(
            s, viewer=tm.head_viewer, actor=tm.head_actor, from_manager_id=tm.k1,
            to_manager_id=tm.k2, client_ids=[tm.c2], today=TODAY,
        )  # fmt: skip
    assert moved == moves.Reassignment(client_ids=[tm.c2], plans_moved=2)
    assert plan_owners(engine) == {
        ("2026-10", tm.c2): (tm.k1, Decimal(100), 1),
        ("2026-11", tm.c2): (tm.k2, Decimal(200), 2),
        ("2026-12", tm.c2): (tm.k2, Decimal(300), 2),
        ("2026-11", tm.c1): (tm.k1, Decimal(400), 1),
        ("2026-11", None): (tm.k1, Decimal(5000), 1),
    }
    # One audit row for the client and one per moved plan, each bumping the data version.
    assert data_version(engine) == before + 3
    entries = audit_rows(engine, "plan")
    assert [(e.action, e.entity_id) for e in entries] == [
        ("reassign", str(november)), ("reassign", str(december))
    ]  # fmt: skip
    assert [(e.before["manager_id"], e.after["manager_id"]) for e in entries] == [
        (tm.k1, tm.k2), (tm.k1, tm.k2)
    ]  # fmt: skip
    assert str(october) not in {e.entity_id for e in entries}
    # The new manager's plan page shows the client's November plan; the old one's no longer.
    november_period = periods.parse("2026-11")
    with db.reading(engine) as s:
        k2_plans = plans.client_plans(s, viewer=tm.k2_viewer, period=november_period, as_of=TODAY)
        k1_plans = plans.client_plans(s, viewer=tm.k1_viewer, period=november_period, as_of=TODAY)
    assert k2_plans[["client_code", "manager_code", "plan"]].values.tolist() == [
        ["C002", "K2", Decimal("200.00")]
    ]
    assert list(k1_plans["client_code"]) == ["C001"]


def test_reassignment_keeps_the_plan_the_new_manager_already_holds(engine, tm):
    with db.writing(engine) as s:
        k1, k2, c2 = s.get(Manager, tm.k1), s.get(Manager, tm.k2), s.get(Client, tm.c2)
        f.plan(s, k1, "2026-11", "revenue", 200, c2)
        dropped = f.plan(s, k1, "2026-12", "revenue", 300, c2).id
        f.plan(s, k2, "2026-12", "revenue", 700, c2)
    with db.writing(engine) as s:  # all of K1's clients: C001 has no plans
        moved = moves.reassign_clients(
            s, viewer=tm.head_viewer, actor=tm.head_actor, from_manager_id=tm.k1,
            to_manager_id=tm.k2, today=TODAY,
        )  # fmt: skip
    assert moved == moves.Reassignment(client_ids=[tm.c1, tm.c2], plans_moved=1)
    assert plan_owners(engine) == {
        ("2026-11", tm.c2): (tm.k2, Decimal(200), 2),
        ("2026-12", tm.c2): (tm.k2, Decimal(700), 1),
    }
    actions = [(e.action, e.before["target"]) for e in audit_rows(engine, "plan")]
    assert sorted(actions) == [("delete", "300.00"), ("reassign", "200.00")]
    (gone,) = [e for e in audit_rows(engine, "plan") if e.action == "delete"]
    assert (gone.entity_id, gone.after) == (str(dropped), None)


# --- delegation ----------------------------------------------------------------------------

START, END = dt.date(2026, 11, 23), dt.date(2026, 11, 27)


def delegate(engine, tm, **kw):
    values = dict(from_manager_id=tm.k2, to_manager_id=tm.k1, starts_on=START, ends_on=END,
                  reason="holiday", today=TODAY) | kw  # fmt: skip
    with db.writing(engine) as s:
        return delegations.delegate(s, viewer=tm.head_viewer, actor=tm.head_actor, **values)


def test_delegation_window_before_first_last_after(engine, tm):
    row = delegate(engine, tm)
    expected = {
        START - dt.timedelta(days=1): frozenset(),
        START: frozenset({tm.k2}),
        END: frozenset({tm.k2}),
        END + dt.timedelta(days=1): frozenset(),
    }
    with db.reading(engine) as s:
        for day, wanted in expected.items():
            viewer = access.viewer_for(s, manager_id=tm.k1, on=day)
            assert viewer.delegated_from == wanted, day
            assert viewer.owns(tm.k2) == bool(wanted)
            with_clients = set(s.scalars(select(Client.id).where(viewer.client_condition())))
            assert with_clients == ({tm.c1, tm.c2, tm.c3, tm.c4} if wanted else {tm.c1, tm.c2})
    (entry,) = audit_rows(engine, "delegation")
    assert (entry.action, entry.entity_id, entry.actor) == ("create", str(row.id), "Viktor")
    assert entry.after == {"from_manager_id": tm.k2, "to_manager_id": tm.k1,
                           "starts_on": "2026-11-23", "ends_on": "2026-11-27", "reason": "holiday"}  # fmt: skip


def test_delegation_rules(engine, tm):
    cases = [
        (dict(to_manager_id=tm.k2), "to_manager_id", "its own manager"),
        (dict(to_manager_id=tm.admin), "to_manager_id", "administrator"),
        (dict(ends_on=START - dt.timedelta(days=1)), "ends_on", "before From"),
        (dict(starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 17)), "ends_on", "already past"),
        (dict(ends_on=dt.date(2027, 11, 19)), "ends_on", "more than a year ahead"),
        (dict(from_manager_id=None), "from_manager_id", "Choose"),
    ]  # fmt: skip
    for kw, field, words in cases:
        with pytest.raises(ValidationError) as err:
            delegate(engine, tm, **kw)
        assert words in err.value.problems[field], kw
    delegate(engine, tm)
    # The same portfolio cannot go to two people at once: an overlap by one day is refused…
    with pytest.raises(ValidationError, match="already delegated to Irina"):
        delegate(
            engine, tm, to_manager_id=tm.head, starts_on=END, ends_on=END + dt.timedelta(days=3)
        )
    # …the next day is fine, and another portfolio in the same days too.
    delegate(engine, tm, to_manager_id=tm.head, starts_on=END + dt.timedelta(days=1),
             ends_on=END + dt.timedelta(days=3))  # fmt: skip
    delegate(engine, tm, from_manager_id=tm.k1, to_manager_id=tm.head)
    with db.writing(engine) as s:
        s.get(Manager, tm.k1).active = False
    with pytest.raises(ValidationError, match="deactivated"):
        delegate(engine, tm, starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 1, 8))


def test_cancel_delegation(engine, tm):
    coming = delegate(engine, tm)
    running = delegate(engine, tm, from_manager_id=tm.k1, to_manager_id=tm.k2,
                       starts_on=dt.date(2026, 11, 16), ends_on=END)  # fmt: skip
    with db.writing(engine) as s:
        assert (
            delegations.cancel_delegation(
                s, viewer=tm.head_viewer, actor=tm.head_actor, delegation_id=coming.id, today=TODAY
            )
            is None
        )
        ended = delegations.cancel_delegation(
            s, viewer=tm.admin_viewer, actor=tm.head_actor, delegation_id=running.id, today=TODAY
        )
        assert ended.ends_on == dt.date(2026, 11, 17)
    with db.reading(engine) as s:
        assert [d.id for d in s.scalars(select(Delegation))] == [running.id]
        assert access.viewer_for(s, manager_id=tm.k2, on=TODAY).delegated_from == frozenset()
        listed = delegations.delegations(s, viewer=tm.head_viewer, today=TODAY, include_past=True)
        assert list(listed["status"]) == ["past"]
        assert delegations.delegations(s, viewer=tm.head_viewer, today=TODAY).empty
    with db.writing(engine) as s, pytest.raises(ValidationError, match="already over"):
        delegations.cancel_delegation(
            s, viewer=tm.head_viewer, actor=tm.head_actor, delegation_id=running.id, today=TODAY
        )
    with db.writing(engine) as s, pytest.raises(LookupError):
        delegations.cancel_delegation(
            s, viewer=tm.head_viewer, actor=tm.head_actor, delegation_id=coming.id, today=TODAY
        )
    assert [e.action for e in audit_rows(engine, "delegation")] == [
        "create", "create", "delete", "cancel"
    ]  # fmt: skip


def test_delegations_list_per_viewer(engine, tm):
    delegate(engine, tm, starts_on=TODAY)
    with db.reading(engine) as s:
        head = delegations.delegations(s, viewer=tm.head_viewer, today=TODAY)
        k1 = delegations.delegations(s, viewer=tm.k1_viewer, today=TODAY)
        other = Viewer(name="Viktor", role="kam", manager_id=tm.head)
        nobody = delegations.delegations(s, viewer=other, today=TODAY)
    assert head[["from_code", "to_code", "status", "reason"]].values.tolist() == [
        ["K2", "K1", "current", "holiday"]
    ]
    assert len(k1) == 1 and nobody.empty


def test_a_substitute_write_is_audited_as_acting_for_the_absent_kam(engine, tm):
    delegate(engine, tm, starts_on=TODAY, ends_on=END)
    with db.reading(engine) as s:
        substitute = access.viewer_for(s, manager_id=tm.k1, on=TODAY)
    with db.writing(engine) as s:
        visits.log_contact(
            s, viewer=substitute, actor=tm.k1_actor, today=TODAY,
            form=visits.ContactForm(client_id=tm.c3, kind="call", outcome="Order confirmed"),
        )  # fmt: skip
        visits.log_contact(
            s, viewer=substitute, actor=tm.k1_actor, today=TODAY,
            form=visits.ContactForm(client_id=tm.c1, kind="call"),
        )  # fmt: skip
    for_k2, own = audit_rows(engine, "visit")
    assert (for_k2.actor_id, for_k2.acting_for_id) == (tm.k1, tm.k2)
    assert (own.actor_id, own.acting_for_id) == (tm.k1, None)
    # After the window the same write is refused.
    with db.reading(engine) as s:
        back = access.viewer_for(s, manager_id=tm.k1, on=END + dt.timedelta(days=1))
    with db.writing(engine) as s, pytest.raises(PermissionError):
        visits.log_contact(
            s, viewer=back, actor=tm.k1_actor, today=END + dt.timedelta(days=1),
            form=visits.ContactForm(client_id=tm.c3, kind="call"),
        )  # fmt: skip
