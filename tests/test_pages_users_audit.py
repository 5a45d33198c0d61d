"""The Users and Audit trail pages in AppTest: forms save through kam.portfolio.managers, the trail shows it."""

from __future__ import annotations

from sqlalchemy import select

from kam.core import clock, db
from kam.core import formatting as fmt
from kam.core.models import Client, Manager, Plan
from kam.core.periods import add_months
from tests import factories as f
from tests.apptest import run_app
from tests.team import audit_rows, team


def test_admin_adds_a_manager_and_the_trail_shows_it(monkeypatch, sqlite_url):
    tm = team(db.engine(sqlite_url))
    at = run_app(monkeypatch, sqlite_url, page="pages/users.py", viewer="A1")
    assert list(at.dataframe[0].value["code"]) == ["A1", "K2", "K1", "H1"]  # by name
    at.text_input(key="user_add_0_code").input("K7")
    at.text_input(key="user_add_0_name").input("Olga")
    at.text_input(key="user_add_0_email").input("olga@example")
    at.button(key="FormSubmitter:user_add_0_form-Add").click().run()
    assert [e.value for e in at.error] == ["Not saved: please correct the marked fields."]
    at.run()  # the marks show under their fields
    assert any("not an e-mail address" in m.value for m in at.markdown)
    at.text_input(key="user_add_0_email").input("olga@example.com")
    at.button(key="FormSubmitter:user_add_0_form-Add").click().run()
    assert not at.exception
    assert "K7" in list(at.dataframe[0].value["code"])
    (entry,) = audit_rows(db.engine(sqlite_url), "manager")
    assert (entry.actor, entry.actor_id, entry.after["email"]) == (
        "Anna",
        tm.admin,
        "olga@example.com",
    )

    trail = run_app(monkeypatch, sqlite_url, page="pages/audit.py", viewer="H1",
                    params={"person": "A1", "entity": "manager"})  # fmt: skip
    table = trail.dataframe[0].value
    assert list(table["Who"] if "Who" in table else table["actor"]) == ["Anna"]


def test_the_head_sees_no_user_forms_but_delegates(monkeypatch, sqlite_url):
    team(db.engine(sqlite_url))
    at = run_app(monkeypatch, sqlite_url, page="pages/users.py", viewer="H1")
    labels = [e.label for e in at.expander]
    assert "Add a manager" not in labels and "Delegate a portfolio" in labels


def test_the_head_moves_a_client_and_is_told_its_plans_moved_too(monkeypatch, sqlite_url):
    engine = db.engine(sqlite_url)
    tm = team(engine)
    this_month = add_months(clock.today(), 0)  # the page moves plans from the real today on
    with db.writing(engine) as s:
        k1, c2 = s.get(Manager, tm.k1), s.get(Client, tm.c2)
        f.plan(s, k1, f"{add_months(this_month, -1):%Y-%m}", "revenue", 100, c2)
        f.plan(s, k1, f"{this_month:%Y-%m}", "revenue", 200, c2)
        f.plan(s, k1, f"{add_months(this_month, 1):%Y-%m}", "revenue", 300, c2)
    at = run_app(monkeypatch, sqlite_url, page="pages/users.py", viewer="H1")
    at.selectbox(key="reassign_from").select(tm.k1).run()
    at.selectbox(key=f"reassign_0_to_{tm.k1}").select(tm.k2)
    at.multiselect(key=f"reassign_0_clients_{tm.k1}").select(tm.c2)
    at.button(key=f"FormSubmitter:reassign_0_form_{tm.k1}-Move the clients").click().run()
    assert not at.exception and not at.error
    assert [e.value for e in at.toast] == [
        f"1 client moved to Dmitry. 2 per-client plans from {fmt.month(this_month)} on moved too."
    ]
    with db.reading(engine) as s:
        owners = s.execute(select(Plan.target, Plan.manager_id).order_by(Plan.period)).all()
    assert [(int(t), m) for t, m in owners] == [(100, tm.k1), (200, tm.k2), (300, tm.k2)]
