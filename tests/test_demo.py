"""The demo company: deterministic, loaded in one go, and shaped like a real wholesaler."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text

from kam import demo
from kam.core import db
from kam.core.models import (
    Claim,
    Client,
    Competitor,
    Manager,
    Payment,
    Plan,
    SalesDay,
    SalesLine,
    Visit,
)

TODAY = dt.date(2026, 11, 18)  # a Wednesday


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from kam.core import migrate

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    migrate.upgrade(db.engine(url))
    with db.writing(db.engine(url)) as s:
        demo.load(s, today=TODAY, lines=40_000, seed=3)
    yield db.engine(url)
    db.engine(url).dispose()


def count(s, model, *where):
    return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_people_and_master_data(demo_db):
    with db.reading(demo_db) as s:
        roles = dict(s.execute(select(Manager.role, func.count()).group_by(Manager.role)).all())
        assert roles == {"head": 1, "kam": 8, "admin": 1}
        assert count(s, Client) == 400
        assert 5 <= count(s, Competitor) <= 6


def test_history_spans_three_years_up_to_today(demo_db):
    with db.reading(demo_db) as s:
        first, last = s.execute(
            select(func.min(SalesLine.doc_date), func.max(SalesLine.doc_date))
        ).one()
        assert count(s, SalesLine) == 40_000
    assert last == TODAY
    assert dt.date(2023, 11, 19) <= first <= dt.date(2023, 11, 30)


def test_revenue_is_pareto_skewed(demo_db):
    with db.reading(demo_db) as s:
        per_client = sorted(
            (v for (v,) in s.execute(
                select(func.sum(SalesDay.net)).where(SalesDay.day > dt.date(2025, 11, 18))
                .group_by(SalesDay.client_id)
            )),
            reverse=True,
        )  # fmt: skip
    top_fifth = sum(per_client[: len(per_client) // 5]) / sum(per_client)
    assert 0.65 <= top_fifth <= 0.85


def test_returns_and_refusals_are_about_two_percent(demo_db):
    with db.reading(demo_db) as s:
        returned = count(s, SalesLine, SalesLine.kind != "sale")
        kinds = {k for (k,) in s.execute(select(SalesLine.kind).distinct())}
        no_reason = count(s, SalesLine, SalesLine.kind != "sale", SalesLine.reason.is_(None))
    assert kinds == {"sale", "return", "refusal"}
    assert returned == 800  # 2 % of 40,000
    assert no_reason == 0


def test_receivables_have_terms_late_payers_and_old_debt(demo_db):
    with db.reading(demo_db) as s:
        terms = {
            int(d) for (d,) in s.execute(
                text("SELECT DISTINCT julianday(due_date) - julianday(invoice_date) FROM invoices")
            )
        }  # fmt: skip
        unpaid_old = s.execute(
            text(
                "SELECT count(*) FROM invoices i WHERE i.due_date < :cut AND i.amount > "
                "(SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.invoice_id = i.id) "
                "AND i.client_id NOT IN (SELECT client_id FROM payments WHERE invoice_id IS NULL)"
            ),
            {"cut": TODAY - dt.timedelta(days=90)},
        ).scalar_one()
        assert count(s, Payment) > 0
        unnamed = count(s, Payment, Payment.invoice_id.is_(None))
    assert {14, 60} <= {int(t) for t in terms} <= {14, 21, 30, 45, 60}
    assert unpaid_old > 0  # some debt more than 90 days past due
    assert unnamed > 0  # some clients pay without naming the invoice


def test_plans_for_every_manager_metric_and_month(demo_db):
    with db.reading(demo_db) as s:
        this_month = dt.date(2026, 11, 1)
        rows = s.execute(
            select(Plan.metric, func.count()).where(Plan.period == this_month, Plan.client_id.is_(None))
            .group_by(Plan.metric)
        ).all()  # fmt: skip
        client_plans = count(s, Plan, Plan.client_id.is_not(None))
    assert dict(rows) == {"revenue": 8, "active_clients": 8, "new_clients": 8}
    assert client_plans > 0


def test_contacts_claims_and_week_plans(demo_db):
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    with db.reading(demo_db) as s:
        statuses = {k for (k,) in s.execute(select(Claim.status).distinct())}
        planned_this_week = count(
            s,
            Visit,
            Visit.status == "planned",
            Visit.planned_for.between(monday, monday + dt.timedelta(days=6)),
        )
        planned_next_week = count(
            s, Visit, Visit.status == "planned",
            Visit.planned_for.between(monday + dt.timedelta(days=7), monday + dt.timedelta(days=13)),
        )  # fmt: skip
        done = count(s, Visit, Visit.status == "done", Visit.done_at < TODAY)
    assert statuses == {"open", "in_progress", "resolved", "rejected"}
    assert planned_this_week > 0 and planned_next_week > 0 and done > 100


def test_same_seed_same_company(tmp_path):
    from kam.core import migrate

    dumps = []
    for name in ("a", "b"):
        eng = db.engine(f"sqlite:///{tmp_path / name}.db")
        migrate.upgrade(eng)
        with db.writing(eng) as s:
            demo.load(s, today=TODAY, lines=5_000, seed=11)
        with db.reading(eng) as s:
            dumps.append(
                s.execute(
                    text(
                        "SELECT doc_no, line_no, doc_date, client_id, amount FROM sales_lines ORDER BY 1, 2"
                    )
                ).all()
            )
        eng.dispose()
    assert dumps[0] == dumps[1]


def test_demo_refuses_a_database_with_data(demo_db, capsys):
    from kam.__main__ import main

    assert main(["demo", "--database", str(demo_db.url)]) == 2
    assert "already has data" in capsys.readouterr().err
    assert main(["demo", "--if-empty", "--database", str(demo_db.url)]) == 0
