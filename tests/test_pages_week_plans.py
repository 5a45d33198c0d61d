"""The Weekly plan and Plans pages in AppTest: the grid shows kam's week, the week lives in the
URL, planning and completing contacts save, the plan grid saves, refuses negative targets next
to the cell without losing the edit, and is read-only for a KAM."""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from kam import demo
from kam.activities import visits, weekly_plan
from kam.core import access, clock, db, migrate, periods
from kam.core import formatting as fmt
from kam.core.models import Manager, Plan, Visit
from kam.plans import plan_setting
from kam.ui.plan_grid import default_month
from tests.apptest import run_app

WEEK = "pages/week.py"
PLANS = "pages/plans_admin.py"
TODAY = clock.today()
MONDAY = periods.monday_of(TODAY)
NEXT_MONDAY = MONDAY + dt.timedelta(days=7)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory):
    """A small demo database built once; each writing test gets its own copy."""
    path = tmp_path_factory.mktemp("week-demo") / "template.db"
    eng = db.engine(f"sqlite:///{path}")
    migrate.upgrade(eng)
    with db.writing(eng) as s:
        demo.load(s, today=TODAY, lines=20_000)
    eng.dispose()
    return path


@pytest.fixture
def fresh_demo(demo_template, tmp_path) -> str:
    """A demo database of this test's own, to write to."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return f"sqlite:///{path}"


def _viewer(url: str, code: str) -> access.Viewer:
    with db.reading(db.engine(url)) as s:
        m = s.scalars(select(Manager).where(Manager.code == code)).one()
        return access.Viewer(name=m.name, role=m.role, manager_id=m.id)


def _cards(at) -> dict[int, str]:
    """visit_id → the card's text, from the keyed containers of the grid."""
    out = {}
    for md in at.markdown:
        if re.search(r"client\?[^)]*\bclient=", md.value):
            out[len(out)] = md.value
    return out


def _done_buttons(at) -> set[int]:
    return {
        int(b.key.split("_")[1])
        for b in at.button
        if b.key and b.key.startswith("done_") and b.key.count("_") == 1
    }


def test_week_page_shows_the_week_grid_of_kam_visits(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page=WEEK)
    with db.reading(db.engine(demo_database)) as s:
        week = weekly_plan.week_grid(s, viewer=access.SYSTEM, week_start=MONDAY, today=TODAY)
    assert not week.empty
    cards = list(_cards(at).values())
    assert len(cards) == len(week)
    # Every contact of the week is on a card, in kam's order, with its client and manager.
    for card, row in zip(cards, week.itertuples(), strict=True):
        assert re.search(rf"client\?[^)]*\bclient={row.client_code}[&)]", card)
        assert f" · {row.manager_code}" in card
        label = "Overdue" if row.overdue else row.status.capitalize()
        assert label in card
    # The planned ones, and only those, can be marked done.
    assert _done_buttons(at) == set(week.loc[week["status"] == "planned", "visit_id"])
    summary = at.caption[0].value
    assert summary == (
        f"{(week['status'] == 'planned').sum()} planned · {(week['status'] == 'done').sum()} done"
        f" · {week['overdue'].sum()} overdue"
    )


def test_a_kam_sees_only_own_contacts_and_coverage(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page=WEEK, viewer="K01")
    kam = _viewer(demo_database, "K01")
    with db.reading(db.engine(demo_database)) as s:
        week = weekly_plan.week_grid(s, viewer=kam, week_start=MONDAY, today=TODAY)
        cover = weekly_plan.coverage(s, viewer=kam, as_of=TODAY)
    assert len(_cards(at)) == len(week)
    metrics = {m.label: m.value for m in at.metric}
    for row in cover.summary.itertuples():
        label = f"{row.abc_class} clients contacted within {row.days} days"
        share = None if row.share_pct is None else row.share_pct / 100
        assert metrics[label] == fmt.percent(share, 0)
    table = at.dataframe[0].value
    assert len(table) == len(cover.not_contacted)


def test_previous_and_next_change_the_week_in_the_url(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page=WEEK)
    assert "week" not in at.query_params  # this week by default
    at.button(key="week_next").click().run()
    assert at.query_params["week"] == NEXT_MONDAY.isoformat()
    assert at.markdown[0].value.startswith(f"**{fmt.date(NEXT_MONDAY)} – ")
    at.button(key="week_prev").click().run()
    at.button(key="week_prev").click().run()
    last = MONDAY - dt.timedelta(days=7)
    assert at.query_params["week"] == last.isoformat()
    with db.reading(db.engine(demo_database)) as s:
        week = weekly_plan.week_grid(s, viewer=access.SYSTEM, week_start=last, today=TODAY)
    assert len(_cards(at)) == len(week)
    at.button(key="week_this").click().run()
    assert "week" not in at.query_params


def test_a_day_in_the_link_opens_its_week(monkeypatch, demo_database):
    wednesday = NEXT_MONDAY + dt.timedelta(days=2)
    at = run_app(monkeypatch, demo_database, page=WEEK, params={"week": wednesday.isoformat()})
    assert at.query_params["week"] == NEXT_MONDAY.isoformat()


def test_plan_several_contacts_then_mark_one_done(monkeypatch, fresh_demo):
    at = run_app(monkeypatch, fresh_demo, page=WEEK, viewer="K01")
    kam = _viewer(fresh_demo, "K01")
    with db.reading(db.engine(fresh_demo)) as s:
        mine = weekly_plan.client_search(s, viewer=kam, text="", limit=3)
        before = s.scalar(select(func.count()).select_from(Visit))
    picker = next(m for m in at.multiselect if m.label == "Clients")
    picker.set_value([c.id for c in mine])
    at.run()
    next(p for p in at.button_group if p.label == "Day").set_value(NEXT_MONDAY + dt.timedelta(1))
    at.button(key="plan_save").click().run()
    assert not at.exception
    assert at.query_params["week"] == NEXT_MONDAY.isoformat()
    with db.reading(db.engine(fresh_demo)) as s:
        rows = s.scalars(select(Visit).where(Visit.id > before).order_by(Visit.id)).all()
        saved = [(r.client_id, r.planned_for, r.kind, r.status) for r in rows]
        ids = [r.id for r in rows]
    assert saved == [(c.id, NEXT_MONDAY + dt.timedelta(1), "visit", "planned") for c in mine]
    # The form is cleared and the new contacts are on the grid.
    assert next(m for m in at.multiselect if m.label == "Clients").value == []
    assert set(ids) <= _done_buttons(at)

    first = ids[0]
    at.button(key=f"done_{first}").click().run()
    outcome = next(w for w in at.text_input if w.key.endswith("_outcome"))
    outcome.input("Agreed a tasting <b>Friday</b>")
    at.button(key=f"done_{first}_save").click().run()
    assert not at.exception
    with db.reading(db.engine(fresh_demo)) as s:
        done = s.get(Visit, first)
        done = (done.status, done.outcome, done.done_at)
    assert done == (
        "done",
        "Agreed a tasting <b>Friday</b>",
        TODAY,
    )
    assert first not in _done_buttons(at)


def test_a_failed_plan_keeps_the_picked_clients(monkeypatch, fresh_demo):
    at = run_app(monkeypatch, fresh_demo, page=WEEK, viewer="K01")
    kam = _viewer(fresh_demo, "K01")
    with db.reading(db.engine(fresh_demo)) as s:
        mine = weekly_plan.client_search(s, viewer=kam, text="", limit=2)
    next(m for m in at.multiselect if m.label == "Clients").set_value([c.id for c in mine])
    at.run()
    next(p for p in at.button_group if p.label == "Kind").set_value(None)
    at.button(key="plan_save").click().run()
    assert "Not saved: please correct the marked fields." in [e.value for e in at.error]
    assert any("Kind is required." in m.value for m in at.markdown)
    assert next(m for m in at.multiselect if m.label == "Clients").value == [c.id for c in mine]


def test_a_programming_error_in_a_save_is_logged_not_shown(monkeypatch, fresh_demo, caplog):
    # A KeyError inside the write is a bug: the person gets "nothing was saved" (never the
    # key's name as if it were a reason), keeps what was picked, and the log gets the traceback.
    real = visits.plan_contacts

    def broken(session, **kwargs):
        real(session, **kwargs)  # written, then the bug: the transaction must roll back
        raise KeyError("client_code")

    monkeypatch.setattr(visits, "plan_contacts", broken)
    at = run_app(monkeypatch, fresh_demo, page=WEEK, viewer="K01")
    kam = _viewer(fresh_demo, "K01")
    with db.reading(db.engine(fresh_demo)) as s:
        mine = weekly_plan.client_search(s, viewer=kam, text="", limit=2)
        before = s.scalar(select(func.count()).select_from(Visit))
    next(m for m in at.multiselect if m.label == "Clients").set_value([c.id for c in mine])
    at.run()
    with caplog.at_level(logging.ERROR, logger="kam"):
        at.button(key="plan_save").click().run()
    assert not at.exception
    shown = [e.value for e in at.error]
    assert shown == [
        "Something went wrong, and nothing was saved. Your text is kept; the error has been "
        "logged for your administrator."
    ]
    assert not any("client_code" in text for text in shown + [m.value for m in at.markdown])
    assert next(m for m in at.multiselect if m.label == "Clients").value == [c.id for c in mine]
    with db.reading(db.engine(fresh_demo)) as s:
        assert s.scalar(select(func.count()).select_from(Visit)) == before  # rolled back
    logged = [r for r in caplog.records if r.name == "kam.ui.forms"]
    assert len(logged) == 1 and logged[0].levelno == logging.ERROR
    assert isinstance(logged[0].exc_info[1], KeyError)


def _editor_key(at) -> str:
    return at.data_editor[0].key


def test_plans_page_shows_the_plan_grid(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page=PLANS)
    month = default_month(TODAY)
    assert at.query_params.get("month") is None  # the default month stays out of the URL
    head = _viewer(demo_database, "H01")
    with db.reading(db.engine(demo_database)) as s:
        grid = plan_setting.plan_grid(s, viewer=head, month=month)
    shown = at.data_editor[0].value
    assert list(shown["manager_code"]) == list(grid["manager_code"])
    assert [Decimal(str(v)).quantize(Decimal("0.01")) for v in shown["revenue"]] == [
        v for v in grid["revenue"]
    ]
    assert list(shown["new_clients"]) == list(grid["new_clients"])


def test_saving_the_plan_grid_changes_the_database(monkeypatch, fresh_demo):
    at = run_app(monkeypatch, fresh_demo, page=PLANS)
    month = default_month(TODAY)
    at.session_state[_editor_key(at)] = {
        "edited_rows": {0: {"revenue": 1234567.5, "new_clients": 3}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="plans_save").click().run()
    assert not at.exception
    first = at.data_editor[0].value.iloc[0]
    with db.reading(db.engine(fresh_demo)) as s:
        saved = dict(
            s.execute(
                select(Plan.metric, Plan.target).where(
                    Plan.period == month,
                    Plan.manager_id == int(first["manager_id"]),
                    Plan.client_id.is_(None),
                )
            ).all()
        )
    assert saved["revenue"] == Decimal("1234567.50")
    assert saved["new_clients"] == 3
    assert first["revenue"] == 1234567.5  # the grid now shows what was saved


def test_a_negative_target_is_explained_next_to_its_cell_and_nothing_is_saved(
    monkeypatch, fresh_demo
):
    at = run_app(monkeypatch, fresh_demo, page=PLANS)
    key = _editor_key(at)
    edits = {"edited_rows": {1: {"active_clients": -5}}, "added_rows": [], "deleted_rows": []}
    at.session_state[key] = edits
    at.run()
    with db.reading(db.engine(fresh_demo)) as s:
        before = s.execute(select(Plan.id, Plan.target, Plan.version)).all()
    at.button(key="plans_save").click().run()
    assert "Not saved: please correct the marked cells." in [e.value for e in at.error]
    grid = at.data_editor[0].value
    code = grid.iloc[1]["manager_code"]
    problem = f"Active clients plan for {code} cannot be negative (got -5)."
    assert list(grid["problem"]) == ["" if i != 1 else problem for i in range(len(grid))]
    assert at.session_state[key]["edited_rows"] == {1: {"active_clients": -5}}  # kept
    with db.reading(db.engine(fresh_demo)) as s:
        assert s.execute(select(Plan.id, Plan.target, Plan.version)).all() == before


def test_copy_last_month_fills_the_grid_unsaved(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page=PLANS)
    month = default_month(TODAY)
    head = _viewer(demo_database, "H01")
    at.button(key="plan_copy").click().run()
    with db.reading(db.engine(demo_database)) as s:
        copied = plan_setting.copy_last_month(s, viewer=head, month=month)
    assert list(at.data_editor[0].value["active_clients"]) == list(copied["active_clients"])
    assert "not saved yet" in at.info[0].value


def test_a_kam_sees_the_plans_read_only(monkeypatch, demo_database):
    this_month = TODAY.replace(day=1)
    at = run_app(
        monkeypatch, demo_database, page=PLANS, viewer="K01",
        params={"month": this_month.strftime("%Y-%m")},
    )  # fmt: skip
    assert len(at.data_editor) == 0
    assert at.info[0].value.startswith("Only the head of sales sets plans.")
    kam = _viewer(demo_database, "K01")
    with db.reading(db.engine(demo_database)) as s:
        target = s.scalar(
            select(Plan.target).where(
                Plan.period == this_month,
                Plan.manager_id == kam.manager_id,
                Plan.metric == "revenue",
                Plan.client_id.is_(None),
            )
        )
    table = at.dataframe[0].value
    assert list(table["manager"]) == [kam.name]
    assert Decimal(str(table["revenue"].iloc[0])) == target


def test_per_client_plans_read_blank_not_none_and_save_what_was_typed(monkeypatch, fresh_demo):
    at = run_app(monkeypatch, fresh_demo, page=PLANS)
    grid = next(e for e in at.data_editor if "client_code" in e.value.columns)
    shown = list(grid.value["target"])
    # No plan is an empty cell: never None, NaN or "nan", and whole roubles without ".00".
    assert all(isinstance(v, str) for v in shown)
    assert not {"None", "nan", "NaN"} & set(shown)
    assert "" in shown and not any(v.endswith(".00") for v in shown)
    row = shown.index("")
    client_id = int(grid.value.iloc[row]["client_id"])
    at.session_state[grid.key] = {
        "edited_rows": {row: {"target": "1 500 000"}}, "added_rows": [], "deleted_rows": [],
    }  # fmt: skip
    at.run()
    at.button(key="client_plans_save").click().run()
    assert not at.exception
    with db.reading(db.engine(fresh_demo)) as s:
        saved = s.scalar(
            select(Plan.target).where(
                Plan.client_id == client_id, Plan.period == default_month(TODAY)
            )
        )
    assert saved == Decimal("1500000.00")
    grid = next(e for e in at.data_editor if "client_code" in e.value.columns)
    assert grid.value.iloc[row]["target"] == "1500000"
