"""Setting plans: only the head, the editable grid upserted with versions, copy last month,
last year's month +N %, per-client revenue plans (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from kam.core import db
from kam.core.models import Client, Plan
from kam.core.validation import ConflictError, ValidationError
from kam.plans import client_plan_setting, plan_setting
from kam.plans.client_plan_setting import ClientPlanTarget
from kam.plans.plan_setting import PlanTarget
from tests import factories as f
from tests.team import audit_rows, count, team

NOV = dt.date(2026, 11, 1)


@pytest.fixture
def t(engine):
    return team(engine)


def save(engine, t, targets, month=NOV, viewer=None):
    with db.writing(engine) as s:
        return plan_setting.set_plans(
            s, viewer=viewer or t.head_viewer, actor=t.head_actor, month=month, targets=targets
        )


def grid(engine, t, month=NOV):
    with db.reading(engine) as s:
        return plan_setting.plan_grid(s, viewer=t.head_viewer, month=month)


def plans(engine):
    with db.reading(engine) as s:
        return sorted(
            (p.period, p.manager_id, p.metric, p.target, p.client_id, p.version)
            for p in s.scalars(select(Plan))
        )


def test_only_the_head_sets_plans(engine, t):
    for viewer in (t.k1_viewer, t.admin_viewer):
        with pytest.raises(PermissionError, match="Only the head of sales sets plans"):
            save(engine, t, [PlanTarget(t.k1, "revenue", 100)], viewer=viewer)
        with db.reading(engine) as s, pytest.raises(PermissionError):
            plan_setting.plan_grid(s, viewer=viewer, month=NOV)
    assert count(engine, Plan) == 0


def test_set_update_and_remove_plans(engine, t):
    changed = save(
        engine,
        t,
        [
            PlanTarget(t.k1, "revenue", "100 000"),
            PlanTarget(t.k1, "active_clients", 12),
            PlanTarget(t.k1, "new_clients", 2.0),
            PlanTarget(t.k2, "revenue", "50000,50"),
            PlanTarget(t.k2, "new_clients", None),  # an empty cell with no plan: nothing to do
        ],
        month=dt.date(2026, 11, 17),
    )  # any day names its month
    assert changed == 4
    g = grid(engine, t)
    assert list(g.columns) == plan_setting.GRID_COLUMNS
    assert g[["manager_code", "revenue", "active_clients", "new_clients"]].astype(object).where(
        g.notna(), None
    ).values.tolist() == [
        ["K1", Decimal("100000.00"), 12, 2],
        ["K2", Decimal("50000.50"), None, None],
    ]
    assert g["revenue_version"].tolist() == [1, 1]

    targets = [
        PlanTarget(t.k1, "revenue", "120000", expected_version=1),
        PlanTarget(t.k1, "active_clients", 12, expected_version=1),  # unchanged
        PlanTarget(t.k1, "new_clients", None, expected_version=1),  # cleared: removed
        PlanTarget(t.k2, "revenue", "50000.5", expected_version=1),  # unchanged
    ]
    assert save(engine, t, targets) == 2
    assert plans(engine) == [
        (NOV, t.k1, "active_clients", Decimal("12.00"), None, 1),
        (NOV, t.k1, "revenue", Decimal("120000.00"), None, 2),
        (NOV, t.k2, "revenue", Decimal("50000.50"), None, 1),
    ]
    actions = [
        (a.action, (a.before or {}).get("target"), (a.after or {}).get("target"))
        for a in audit_rows(engine, "plan")
    ]
    assert actions[4:] == [("update", "100000.00", "120000.00"), ("delete", "2.00", None)]
    assert save(engine, t, targets) == 0  # saving the same grid again changes nothing


def test_plan_problems(engine, t):
    with pytest.raises(ValidationError) as err:
        save(
            engine,
            t,
            [
                PlanTarget(t.k1, "revenue", "-1"),
                PlanTarget(t.k1, "active_clients", "10.5"),
                PlanTarget(t.k1, "new_clients", "two"),
                PlanTarget(t.k2, "margin", 5),
                PlanTarget(999, "revenue", 5),
                PlanTarget(t.k2, "revenue", 5),
                PlanTarget(t.k2, "revenue", 6),
            ],
        )
    assert err.value.problems == {
        f"{t.k1}.revenue": "Revenue plan for K1 cannot be negative (got -1).",
        f"{t.k1}.active_clients": "Active clients plan for K1 must be a whole number (got 10.5).",
        f"{t.k1}.new_clients": "New clients plan for K1 must be a number (got 'two').",
        f"{t.k2}.margin": "Metric must be one of revenue, active_clients, new_clients (got 'margin').",
        "999.revenue": "There is no manager with id 999.",
        f"{t.k2}.revenue": "Revenue plan for K2 is given twice.",
    }
    assert count(engine, Plan) == 0


def test_plan_changed_by_someone_else_is_a_conflict(engine, t):
    save(engine, t, [PlanTarget(t.k1, "revenue", 1000)])
    save(engine, t, [PlanTarget(t.k1, "revenue", 2000, expected_version=1)])  # the other head's tab
    with pytest.raises(ConflictError) as err:
        save(engine, t, [PlanTarget(t.k1, "revenue", 3000, expected_version=1)])
    assert (err.value.current["target"], err.value.current["version"], err.value.changed_by) == (
        Decimal("2000.00"),
        2,
        "Viktor",
    )
    with pytest.raises(ConflictError):  # the grid showed no plan, but one was set meanwhile
        save(engine, t, [PlanTarget(t.k1, "revenue", 3000, expected_version=None)])
    with pytest.raises(ConflictError):  # the grid showed a plan that was removed meanwhile
        save(engine, t, [PlanTarget(t.k2, "revenue", 3000, expected_version=1)])
    assert plans(engine) == [(NOV, t.k1, "revenue", Decimal("2000.00"), None, 2)]


def test_copy_last_month_then_save_the_grid(engine, t):
    save(
        engine,
        t,
        [
            PlanTarget(t.k1, "revenue", 900),
            PlanTarget(t.k1, "active_clients", 7),
            PlanTarget(t.k2, "revenue", 400),
        ],
        month=dt.date(2026, 10, 1),
    )
    save(engine, t, [PlanTarget(t.k2, "revenue", 500), PlanTarget(t.k2, "new_clients", 3)])
    with db.reading(engine) as s:
        proposal = plan_setting.copy_last_month(s, viewer=t.head_viewer, month=NOV)
    shown = proposal.astype(object).where(proposal.notna(), None)
    assert shown[
        ["manager_code", "revenue", "active_clients", "new_clients", "revenue_version"]
    ].values.tolist() == [
        ["K1", Decimal("900.00"), 7, None, None],
        ["K2", Decimal("400.00"), None, 3, 1],  # October had no new-clients plan: November's stays
    ]
    assert count(engine, Plan) == 5  # a proposal saves nothing
    assert save(engine, t, plan_setting.grid_targets(proposal)) == 3
    assert [p[1:4] for p in plans(engine) if p[0] == NOV] == [
        (t.k1, "active_clients", Decimal("7.00")),
        (t.k1, "revenue", Decimal("900.00")),
        (t.k2, "new_clients", Decimal("3.00")),
        (t.k2, "revenue", Decimal("400.00")),
    ]


def test_last_year_plus_growth(engine, t):
    with db.writing(engine) as s:
        c1, c2, c3 = (s.get(Client, i) for i in (t.c1, t.c2, t.c3))
        f.line(s, c1, "2025-10-20", "300")  # C001 bought before: active in Nov 2025, not new
        f.line(s, c1, "2025-11-03", "1000")
        f.line(s, c2, "2025-11-10", "500.10")  # first purchase: new
        f.line(s, c3, "2025-11-12", "200")  # first purchase: new
        f.line(s, c3, "2025-11-20", "-20", kind="return")
        f.refresh(s)
    with db.reading(engine) as s:
        proposal = plan_setting.last_year_plus(s, viewer=t.head_viewer, month=NOV, growth_pct="50")
        with pytest.raises(ValidationError) as err:
            plan_setting.last_year_plus(s, viewer=t.head_viewer, month=NOV, growth_pct=-100)
    assert err.value.problems == {"growth_pct": "Growth must be above -100 % (got -100)."}
    # K1: (1000 + 500.10) × 1.5 = 2250.15 → 2250 roubles; 2 active × 1.5 = 3; 1 new × 1.5 =
    # 1.5 → 2 (half up). K2: (200 − 20) × 1.5 = 270; 1 active → 1.5 → 2; 1 new → 2.
    assert proposal[
        ["manager_code", "revenue", "active_clients", "new_clients"]
    ].values.tolist() == [
        ["K1", Decimal("2250"), 3, 2],
        ["K2", Decimal("270"), 2, 2],
    ]


def test_last_year_plus_rounds_revenue_to_the_chosen_step(engine, t):
    with db.writing(engine) as s:
        c1, c3 = s.get(Client, t.c1), s.get(Client, t.c3)
        f.line(s, c1, "2025-11-03", "1234.56")
        f.line(s, c3, "2025-11-12", "1000.01")
        f.refresh(s)
    with db.reading(engine) as s:
        def revenue(pct: str, step: int) -> list[Decimal]:
            grid = plan_setting.last_year_plus(
                s, viewer=t.head_viewer, month=NOV, growth_pct=pct, step=step
            )
            return list(grid["revenue"])

        # 1234.56 × 1.1 = 1358.016 and 1000.01 × 1.1 = 1100.011: whole roubles, no kopecks.
        assert revenue("10", 1) == [Decimal("1358"), Decimal("1100")]
        # To hundreds: 13.58 → 14 hundreds; 11.00 → 11 hundreds.
        assert revenue("10", 100) == [Decimal("1400"), Decimal("1100")]
        # 1234.56 × 1.05 = 1296.288 → 1 thousand; 1000.01 × 1.05 = 1050.0105 → 1 thousand;
        # half up: 1000.01 × 1.5 = 1500.015 → 2 thousands.
        assert revenue("5", 1000) == [Decimal("1000"), Decimal("1000")]
        assert revenue("50", 1000) == [Decimal("2000"), Decimal("2000")]
        with pytest.raises(ValidationError) as err:
            revenue("10", 7)
    assert set(err.value.problems) == {"step"}


def test_client_plans(engine, t):
    def client_save(targets):
        with db.writing(engine) as s:
            return client_plan_setting.set_client_plans(
                s, viewer=t.head_viewer, actor=t.head_actor, month=NOV, targets=targets
            )

    assert client_save([ClientPlanTarget(t.c1, "5000"), ClientPlanTarget(t.c3, 700)]) == 2
    with db.reading(engine) as s:
        g = client_plan_setting.client_plan_grid(s, viewer=t.head_viewer, month=NOV)
        k1_only = client_plan_setting.client_plan_grid(
            s, viewer=t.head_viewer, month=NOV, manager_id=t.k1
        )
    shown = g.astype(object).where(g.notna(), None)
    assert shown[["client_code", "manager_id", "target", "version"]].values.tolist() == [
        ["C001", t.k1, Decimal("5000.00"), 1],
        ["C002", t.k1, None, None],
        ["C003", t.k2, Decimal("700.00"), 1],
    ]  # C004 is lost and has no plan
    assert k1_only["client_code"].tolist() == ["C001", "C002"]
    assert client_save([ClientPlanTarget(t.c1, "5500", 1), ClientPlanTarget(t.c3, None, 1)]) == 2
    assert plans(engine) == [(NOV, t.k1, "revenue", Decimal("5500.00"), t.c1, 2)]
    with pytest.raises(ValidationError) as err:
        client_save([ClientPlanTarget(t.c2, "-3"), ClientPlanTarget(404, 1)])
    assert err.value.problems == {
        f"client.{t.c2}": "Revenue plan for C002 cannot be negative (got -3).",
        "client.404": "There is no client with id 404.",
    }
    with pytest.raises(ConflictError):
        client_save([ClientPlanTarget(t.c1, "6000", 1)])
    with db.writing(engine) as s, pytest.raises(PermissionError):
        client_plan_setting.set_client_plans(
            s, viewer=t.k1_viewer, actor=t.k1_actor, month=NOV, targets=[ClientPlanTarget(t.c1, 1)]
        )
