"""The Users and Audit trail pages in AppTest: forms save through kam.managers, the trail shows it."""

from __future__ import annotations

from kam import db
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
