"""Visits and calls: logging, the weekly plan, completing and cancelling, the grid, coverage,
the client picker, idempotency, conflicts and concurrent writers (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
from sqlalchemy import select

from kam.activities import visits, weekly_plan
from kam.activities.competitors import NoteForm
from kam.activities.visits import CompletionForm, ContactForm, PlannedContact
from kam.core import db
from kam.core.access import Viewer
from kam.core.models import AuditLog, Competitor, CompetitorNote, Visit
from kam.core.validation import ConflictError, ValidationError
from tests.team import TODAY, audit_rows, count, data_version, team

D = dt.date
MONDAY = D(2026, 11, 16)


@pytest.fixture
def t(engine):
    return team(engine)


def log(engine, viewer, actor, form, today=TODAY):
    with db.writing(engine) as s:
        return visits.log_contact(s, viewer=viewer, actor=actor, form=form, today=today)


def problems_of(engine, viewer, actor, form):
    with pytest.raises(ValidationError) as err:
        log(engine, viewer, actor, form)
    return err.value.problems


def test_log_contact_needs_only_client_and_kind(engine, t):
    version = data_version(engine)
    row = log(engine, t.k1_viewer, t.k1_actor, ContactForm(client_id=t.c1, kind="call"))
    with db.reading(engine) as s:
        saved = s.get(Visit, row.id)
        assert (saved.client_id, saved.manager_id, saved.kind, saved.status) == (
            t.c1,
            t.k1,
            "call",
            "done",
        )
        assert (saved.done_at, saved.planned_for, saved.outcome, saved.version) == (
            TODAY,
            None,
            None,
            1,
        )
    [entry] = audit_rows(engine, "visit")
    assert (entry.actor, entry.actor_id, entry.action, entry.entity_id) == (
        "Irina",
        t.k1,
        "log",
        str(row.id),
    )
    assert entry.after["done_at"] == "2026-11-18" and entry.after["status"] == "done"
    assert data_version(engine) == version + 1


def test_log_contact_reports_every_problem(engine, t):
    form = ContactForm(
        kind="fax",
        done_on=D(2026, 11, 19),
        outcome="o" * 512,
        next_step="  ",
        next_step_date=D(2028, 1, 1),
        notes="n" * 10_001,
    )
    assert problems_of(engine, t.k1_viewer, t.k1_actor, form) == {
        "client_id": "Client is required.",
        "kind": "Kind must be one of visit, call, meeting, email (got 'fax').",
        "done_on": "Date 2026-11-19 is in the future; 2026-11-18 is the latest allowed.",
        "outcome": "Outcome is 512 characters long; at most 500 fit.",
        "notes": "Notes is 10001 characters long; at most 10000 fit.",
        "next_step_date": "Next step date 2028-01-01 is more than 1 year ahead; 2027-11-18 is the latest allowed.",
    }
    assert count(engine, Visit) == 0 and count(engine, AuditLog) == 0


def test_far_past_date_unknown_client_and_next_step_before_contact(engine, t):
    assert problems_of(
        engine,
        t.k1_viewer,
        t.k1_actor,
        ContactForm(client_id=999, kind="visit", done_on=D(2020, 5, 1)),
    ) == {
        "client_id": "There is no client with id 999.",
        "done_on": "Date 2020-05-01 is more than 2 years ago; 2024-11-18 is the earliest allowed.",
    }
    form = ContactForm(
        client_id=t.c1, kind="visit", done_on=D(2026, 11, 10), next_step_date=D(2026, 11, 9)
    )
    assert problems_of(engine, t.k1_viewer, t.k1_actor, form) == {
        "next_step_date": "Next step date 2026-11-09 is before the contact's date 2026-11-10."
    }


TEXTS = [
    "Договорились: поставка 🍎 во вторник",
    "次回は新商品を提案する",
    "<script>alert('x')</script> & <b>bold</b>",
    'Robert\'); DROP TABLE visits;-- "quoted"',
]


def test_text_round_trips_exactly(engine, t):
    form = ContactForm(
        client_id=t.c1,
        kind="meeting",
        outcome=TEXTS[0],
        notes="\n".join(TEXTS),
        next_step=TEXTS[2],
        next_step_date=D(2026, 11, 25),
    )
    row = log(engine, t.k1_viewer, t.k1_actor, form)
    with db.reading(engine) as s:
        saved = s.get(Visit, row.id)
        assert (saved.outcome, saved.notes, saved.next_step) == (
            TEXTS[0],
            "\n".join(TEXTS),
            TEXTS[2],
        )
    assert audit_rows(engine, "visit")[0].after["notes"] == "\n".join(TEXTS)
    assert count(engine, Visit) == 1  # the SQL fragment stayed text


def test_same_key_twice_saves_once(engine, t):
    form = ContactForm(client_id=t.c1, kind="visit", outcome="first", idempotency_key="form-123")
    first = log(engine, t.k1_viewer, t.k1_actor, form)
    again = log(engine, t.k1_viewer, t.k1_actor, form)
    assert again.id == first.id and again.outcome == "first"
    assert count(engine, Visit) == 1 and len(audit_rows(engine, "visit")) == 1


def test_who_may_log_where(engine, t):
    with pytest.raises(PermissionError, match="C003 is in another manager's portfolio"):
        log(engine, t.k1_viewer, t.k1_actor, ContactForm(client_id=t.c3, kind="call"))
    with pytest.raises(
        PermissionError, match="signed in as administrator, which may look but not change data"
    ):
        log(engine, t.admin_viewer, t.k1_actor, ContactForm(client_id=t.c1, kind="call"))
    assert problems_of(
        engine, t.k1_viewer, t.k1_actor, ContactForm(client_id=t.c1, kind="call", manager_id=t.k2)
    ) == {"manager_id": "You can log and plan contacts only for yourself."}
    by_head = log(engine, t.head_viewer, t.head_actor, ContactForm(client_id=t.c3, kind="call"))
    for_k1 = log(
        engine,
        t.head_viewer,
        t.head_actor,
        ContactForm(client_id=t.c3, kind="call", manager_id=t.k1),
    )
    assert (by_head.manager_id, for_k1.manager_id) == (t.k2, t.k1)
    assert count(engine, Visit) == 2


def test_competitor_note_taken_during_the_visit(engine, t):
    note = NoteForm(
        competitor_name="FoodLine",
        category="Dairy",
        their_price="95",
        our_price="100",
        kind="price",
        text="10 % off milk",
    )
    row = log(
        engine,
        t.k1_viewer,
        t.k1_actor,
        ContactForm(client_id=t.c1, kind="visit", done_on=D(2026, 11, 17), competitor_note=note),
    )
    with db.reading(engine) as s:
        [saved] = s.scalars(select(CompetitorNote)).all()
        assert (saved.visit_id, saved.client_id, saved.noted_on, saved.author_id) == (
            row.id,
            t.c1,
            D(2026, 11, 17),
            t.k1,
        )
        assert s.scalars(select(Competitor.name)).all() == ["FoodLine"]
    bad = NoteForm(kind="price", their_price="-1", text=" ")
    assert problems_of(
        engine,
        t.k1_viewer,
        t.k1_actor,
        ContactForm(client_id=t.c1, kind="visit", competitor_note=bad),
    ) == {
        "competitor_note.competitor_id": "Pick a competitor or type a new name.",
        "competitor_note.their_price": "Their price cannot be negative (got -1).",
        "competitor_note.text": "Text is required.",
    }
    assert count(engine, Visit) == 1


def plan_three(engine, t, key="plan-1"):
    contacts = [
        PlannedContact(client_id=t.c1, planned_for=D(2026, 11, 23), kind="visit"),
        PlannedContact(
            client_id=t.c2, planned_for=D(2026, 11, 24), kind="call", notes="Ask about «Молоко»"
        ),
        PlannedContact(client_id=t.c1, planned_for=D(2026, 11, 27), kind="call"),
    ]
    with db.writing(engine) as s:
        return [
            r.id
            for r in visits.plan_contacts(
                s,
                viewer=t.k1_viewer,
                actor=t.k1_actor,
                contacts=contacts,
                idempotency_key=key,
                today=TODAY,
            )
        ]


def test_plan_several_contacts_at_once_and_resubmit(engine, t):
    ids = plan_three(engine, t)
    assert plan_three(engine, t) == ids
    with db.reading(engine) as s:
        rows = s.scalars(select(Visit).order_by(Visit.id)).all()
        assert [(r.client_id, r.planned_for, r.kind, r.status, r.manager_id) for r in rows] == [
            (t.c1, D(2026, 11, 23), "visit", "planned", t.k1),
            (t.c2, D(2026, 11, 24), "call", "planned", t.k1),
            (t.c1, D(2026, 11, 27), "call", "planned", t.k1),
        ]
        assert rows[1].notes == "Ask about «Молоко»"
        assert [r.idempotency_key for r in rows] == ["plan-1:0", "plan-1:1", "plan-1:2"]
    assert [a.action for a in audit_rows(engine, "visit")] == ["plan"] * 3


def test_plan_problems_per_row(engine, t):
    contacts = [
        PlannedContact(client_id=t.c1, planned_for=D(2026, 11, 23)),
        PlannedContact(client_id=t.c1, planned_for=D(2026, 11, 23)),
        PlannedContact(client_id=None, planned_for=D(2028, 1, 1), kind="dance"),
    ]
    with pytest.raises(ValidationError) as err, db.writing(engine) as s:
        visits.plan_contacts(
            s, viewer=t.k1_viewer, actor=t.k1_actor, contacts=contacts, today=TODAY
        )
    assert err.value.problems == {
        "contacts.1.client_id": "C001 is already planned here for 2026-11-23 (visit).",
        "contacts.2.client_id": "Client is required.",
        "contacts.2.planned_for": "Planned date 2028-01-01 is more than 1 year ahead; 2027-11-18 is the latest allowed.",
        "contacts.2.kind": "Kind must be one of visit, call, meeting, email (got 'dance').",
    }
    with pytest.raises(ValidationError) as err, db.writing(engine) as s:
        visits.plan_contacts(s, viewer=t.k1_viewer, actor=t.k1_actor, contacts=[], today=TODAY)
    assert err.value.problems == {"contacts": "Pick at least one client to plan."}
    with pytest.raises(PermissionError), db.writing(engine) as s:
        visits.plan_contacts(
            s,
            viewer=t.k1_viewer,
            actor=t.k1_actor,
            contacts=[PlannedContact(t.c1, D(2026, 11, 23)), PlannedContact(t.c3, D(2026, 11, 23))],
            today=TODAY,
        )
    assert count(engine, Visit) == 0  # the permitted row was not saved alone


def test_complete_planned_prefilled_then_done(engine, t):
    first, second, _ = plan_three(engine, t)
    with db.reading(engine) as s:
        draft = visits.planned_contact(
            s, viewer=t.k1_viewer, visit_id=second, today=D(2026, 11, 24)
        )
    assert (draft.client_code, draft.status, draft.version, draft.planned_for) == (
        "C002",
        "planned",
        1,
        D(2026, 11, 24),
    )
    assert draft.form == CompletionForm(
        done_on=D(2026, 11, 24), kind="call", notes="Ask about «Молоко»"
    )
    with db.reading(engine) as s, pytest.raises(LookupError):
        visits.planned_contact(s, viewer=t.k2_viewer, visit_id=second)
    form = CompletionForm(
        done_on=D(2026, 11, 24),
        kind="visit",
        outcome="Order for 40 crates",
        notes=draft.form.notes,
        next_step="Send the price list",
        next_step_date=D(2026, 11, 30),
    )
    with db.writing(engine) as s:
        done = visits.complete_planned(
            s,
            viewer=t.k1_viewer,
            actor=t.k1_actor,
            visit_id=second,
            expected_version=1,
            form=form,
            today=D(2026, 11, 24),
        )
    assert (done.status, done.kind, done.done_at, done.version, done.planned_for) == (
        "done",
        "visit",
        D(2026, 11, 24),
        2,
        D(2026, 11, 24),
    )
    entry = audit_rows(engine, "visit")[-1]
    assert entry.action == "complete"
    assert (
        entry.before["status"],
        entry.before["version"],
        entry.after["status"],
        entry.after["version"],
    ) == ("planned", 1, "done", 2)
    assert entry.after["outcome"] == "Order for 40 crates"

    # The same form sent again (a double click) is not a conflict and saves nothing more.
    with db.writing(engine) as s:
        again = visits.complete_planned(
            s,
            viewer=t.k1_viewer,
            actor=t.k1_actor,
            visit_id=second,
            expected_version=1,
            form=form,
            today=D(2026, 11, 24),
        )
    assert again.version == 2 and len(audit_rows(engine, "visit")) == 4
    # A different completion typed on the old version is a conflict, naming who changed it.
    with pytest.raises(ConflictError) as err, db.writing(engine) as s:
        visits.complete_planned(
            s,
            viewer=t.k1_viewer,
            actor=t.k1_actor,
            visit_id=second,
            expected_version=1,
            form=CompletionForm(done_on=D(2026, 11, 24), outcome="No order"),
            today=D(2026, 11, 24),
        )
    assert err.value.current["outcome"] == "Order for 40 crates" and err.value.changed_by == "Irina"
    with pytest.raises(ValidationError) as err, db.writing(engine) as s:
        visits.complete_planned(
            s,
            viewer=t.k1_viewer,
            actor=t.k1_actor,
            visit_id=second,
            expected_version=2,
            form=form,
            today=D(2026, 11, 24),
        )
    assert err.value.problems == {
        "status": "This contact is done, not planned; it cannot be marked done."
    }
    with pytest.raises(ValidationError) as err, db.writing(engine) as s:
        visits.complete_planned(
            s,
            viewer=t.k1_viewer,
            actor=t.k1_actor,
            visit_id=first,
            expected_version=1,
            form=CompletionForm(done_on=D(2026, 11, 23), kind="telegram"),
            today=TODAY,
        )
    assert err.value.problems == {
        "kind": "Kind must be one of visit, call, meeting, email (got 'telegram').",
        "done_on": "Date 2026-11-23 is in the future; 2026-11-18 is the latest allowed.",
    }
    with pytest.raises(ValidationError) as err, db.writing(engine) as s:
        visits.complete_planned(
            s, viewer=t.k1_viewer, actor=t.k1_actor, visit_id=12345, expected_version=1, form=form
        )
    assert err.value.problems == {"visit_id": "There is no contact with id 12345."}


def test_complete_planned_with_a_competitor_note(engine, t):
    visit_id = plan_three(engine, t)[0]
    note = NoteForm(competitor_name="Metro", kind="promo", text="2+1 on yoghurts")
    with db.writing(engine) as s:
        visits.complete_planned(
            s,
            viewer=t.k1_viewer,
            actor=t.k1_actor,
            visit_id=visit_id,
            expected_version=1,
            form=CompletionForm(
                done_on=D(2026, 11, 17), outcome="Met the buyer", competitor_note=note
            ),
            today=TODAY,
        )
    with db.reading(engine) as s:
        [saved] = s.scalars(select(CompetitorNote)).all()
        assert (saved.visit_id, saved.client_id, saved.noted_on, saved.text) == (
            visit_id,
            t.c1,
            D(2026, 11, 17),
            "2+1 on yoghurts",
        )


def test_two_sessions_complete_the_same_contact(engine, t):
    visit_id = plan_three(engine, t)[0]
    a, b = db.writing(engine), db.writing(engine)
    with a as sa:
        visits.complete_planned(
            sa,
            viewer=t.k1_viewer,
            actor=t.k1_actor,
            visit_id=visit_id,
            expected_version=1,
            form=CompletionForm(outcome="Signed"),
            today=TODAY,
        )
    with pytest.raises(ConflictError) as err, b as sb:
        visits.complete_planned(
            sb,
            viewer=t.head_viewer,
            actor=t.head_actor,
            visit_id=visit_id,
            expected_version=1,
            form=CompletionForm(outcome="Postponed"),
            today=TODAY,
        )
    assert (err.value.current["outcome"], err.value.current["version"], err.value.changed_by) == (
        "Signed",
        2,
        "Irina",
    )
    with db.reading(engine) as s:
        assert s.get(Visit, visit_id).outcome == "Signed"


def test_cancel_planned(engine, t):
    first, second, _ = plan_three(engine, t)
    with db.writing(engine) as s:
        row = visits.cancel_planned(
            s,
            viewer=t.k1_viewer,
            actor=t.k1_actor,
            visit_id=first,
            expected_version=1,
            reason="Client on holiday 🏖",
        )
    assert (row.status, row.outcome, row.version) == ("cancelled", "Client on holiday 🏖", 2)
    entry = audit_rows(engine, "visit")[-1]
    assert (entry.action, entry.before["status"], entry.after["status"], entry.after["reason"]) == (
        "cancel",
        "planned",
        "cancelled",
        "Client on holiday 🏖",
    )
    with pytest.raises(ValidationError) as err, db.writing(engine) as s:
        visits.cancel_planned(
            s, viewer=t.k1_viewer, actor=t.k1_actor, visit_id=first, expected_version=2
        )
    assert err.value.problems == {
        "status": "This contact is cancelled, not planned; it cannot be cancelled."
    }
    with pytest.raises(PermissionError), db.writing(engine) as s:
        visits.cancel_planned(
            s, viewer=t.k2_viewer, actor=t.k2_actor, visit_id=second, expected_version=1
        )


def test_week_grid(engine, t):
    with db.writing(engine) as s:
        plan = [
            PlannedContact(t.c1, D(2026, 11, 16), "visit"),  # Monday, passed: overdue
            PlannedContact(t.c2, D(2026, 11, 18), "call"),  # today: not overdue
            PlannedContact(t.c1, D(2026, 11, 20), "call"),  # Friday, to be cancelled
            PlannedContact(t.c2, D(2026, 11, 23), "visit"),  # next week
        ]
        ids = [
            v.id
            for v in visits.plan_contacts(
                s, viewer=t.k1_viewer, actor=t.k1_actor, contacts=plan, today=TODAY
            )
        ]
        visits.cancel_planned(
            s, viewer=t.k1_viewer, actor=t.k1_actor, visit_id=ids[2], expected_version=1
        )
        visits.log_contact(
            s,
            viewer=t.k1_viewer,
            actor=t.k1_actor,
            form=ContactForm(client_id=t.c2, kind="email", done_on=D(2026, 11, 17)),
            today=TODAY,
        )
        visits.log_contact(
            s,
            viewer=t.head_viewer,
            actor=t.head_actor,
            form=ContactForm(client_id=t.c3, kind="call", done_on=D(2026, 11, 17)),
            today=TODAY,
        )
        visits.log_contact(
            s,
            viewer=t.k1_viewer,
            actor=t.k1_actor,
            form=ContactForm(client_id=t.c1, kind="call", done_on=D(2026, 11, 15)),
            today=TODAY,
        )
    with db.reading(engine) as s:
        grid = weekly_plan.week_grid(s, viewer=t.k1_viewer, week_start=D(2026, 11, 19), today=TODAY)
        everyone = weekly_plan.week_grid(s, viewer=t.head_viewer, week_start=MONDAY, today=TODAY)
        only_k2 = weekly_plan.week_grid(
            s, viewer=t.head_viewer, week_start=MONDAY, manager_id=t.k2, today=TODAY
        )
        overdue = weekly_plan.overdue_planned(s, viewer=t.k1_viewer, today=TODAY)
    assert list(grid.columns) == weekly_plan.WEEK_COLUMNS
    assert grid[["day", "weekday", "client_code", "kind", "status", "overdue"]].values.tolist() == [
        [D(2026, 11, 16), "Mon", "C001", "visit", "planned", True],
        [D(2026, 11, 17), "Tue", "C002", "email", "done", False],
        [D(2026, 11, 18), "Wed", "C002", "call", "planned", False],
        [D(2026, 11, 20), "Fri", "C001", "call", "cancelled", False],
    ]
    assert len(everyone) == 5 and only_k2["client_code"].tolist() == ["C003"]
    assert overdue["visit_id"].tolist() == [ids[0]]


def test_coverage_by_class(engine, t):
    with db.writing(engine) as s:
        for client, day in (
            (t.c1, D(2026, 11, 3)),
            (t.c2, D(2026, 10, 19)),
            (t.c2, D(2026, 9, 1)),
            (t.c4, TODAY),
        ):
            visits.log_contact(
                s,
                viewer=t.head_viewer,
                actor=t.head_actor,
                form=ContactForm(client_id=client, kind="call", done_on=day),
                today=TODAY,
            )
        visits.plan_contacts(
            s,
            viewer=t.head_viewer,
            actor=t.head_actor,
            contacts=[PlannedContact(t.c3, D(2026, 11, 10))],
            today=TODAY,
        )
    with db.reading(engine) as s:
        cov = weekly_plan.coverage(
            s,
            viewer=t.head_viewer,
            as_of=TODAY,
            classes={t.c1: "A", t.c2: "B", t.c3: "C", t.c4: "A"},
        )
        mine = weekly_plan.coverage(
            s, viewer=t.k1_viewer, as_of=TODAY, classes={t.c1: "A", t.c2: "B", t.c3: "C"}
        )
        default = weekly_plan.coverage(s, viewer=t.head_viewer, as_of=TODAY)
    # C001 last contact 15 days ago (A allows 14); C002 30 days (B allows 30); C003 only planned;
    # C004 is lost and left out.
    assert cov.summary.values.tolist() == [
        ["A", 14, 1, 0, 0.0],
        ["B", 30, 1, 1, 100.0],
        ["C", 60, 1, 0, 0.0],
    ]
    missing = cov.not_contacted.astype(object).where(cov.not_contacted.notna(), None)
    assert missing[["client_code", "abc_class", "last_contact", "days_since"]].values.tolist() == [
        ["C001", "A", D(2026, 11, 3), 15],
        ["C003", "C", None, None],
    ]
    assert mine.summary["clients"].tolist() == [1, 1, 0] and pd.isna(mine.summary["share_pct"][2])
    # Without sales every client ranks C (kam.portfolio.overview): 2 of the 3 were contacted within 60 days.
    assert default.summary.values.tolist()[2] == ["C", 60, 3, 2, 66.7]


def test_client_search(engine, t):
    with db.reading(engine) as s:

        def codes(viewer, text, limit=20):
            return [
                c.code for c in weekly_plan.client_search(s, viewer=viewer, text=text, limit=limit)
            ]

        assert codes(t.head_viewer, "ромашка") == ["C001", "C003"]
        assert codes(t.head_viewer, "  РОМАШКА ") == ["C001", "C003"]
        assert codes(t.k1_viewer, "ромашка") == ["C001"]
        assert codes(t.k2_viewer, "Ромаш") == ["C003"]
        assert codes(t.head_viewer, "foodm") == ["C002"]
        assert codes(t.head_viewer, "c00", limit=2) == ["C001", "C002"]
        assert codes(t.head_viewer, "%") == [] and codes(t.head_viewer, "_") == []
        head_owning_k2s = Viewer(name="Head with clients", role="head", manager_id=t.k2)
        assert codes(head_owning_k2s, "") == ["C003", "C004", "C001", "C002"]
        [choice] = weekly_plan.client_search(s, viewer=t.k1_viewer, text="plus", limit=5)
        assert (choice.id, choice.name, choice.own) == (t.c2, "FoodMarket Plus", True)


def test_ten_writers_at_once_lose_nothing_and_duplicate_nothing(engine, t):
    """10 threads, each with its own session, log 3 contacts each: one with its own key, one
    without, one with the key every writer shares (a form submitted from 10 tabs)."""
    version = data_version(engine)
    start = threading.Barrier(10)

    def writer(i: int) -> list[int]:
        start.wait()
        ids = []
        for key in (f"writer-{i}", None, "same-form"):
            form = ContactForm(
                client_id=t.c1 if i % 2 else t.c2,
                kind="call",
                outcome=f"writer {i}",
                idempotency_key=key,
            )
            with db.writing(engine) as s:
                ids.append(
                    visits.log_contact(
                        s, viewer=t.k1_viewer, actor=t.k1_actor, form=form, today=TODAY
                    ).id
                )
        return ids

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(writer, range(10)))
    with db.reading(engine) as s:
        rows = s.execute(select(Visit.id, Visit.idempotency_key, Visit.outcome)).all()
    assert len(rows) == 21  # 10 own keys + 10 without a key + 1 shared
    keyed = {key: vid for vid, key, _ in rows if key}
    assert sorted(keyed) == sorted([f"writer-{i}" for i in range(10)] + ["same-form"])
    assert {r[2] for r in rows if r[1] == f"writer-{3}"} == {"writer 3"}
    assert {ids[2] for ids in results} == {keyed["same-form"]}  # every writer got the one saved row
    assert all(ids[0] == keyed[f"writer-{i}"] for i, ids in enumerate(results))
    assert len(audit_rows(engine, "visit")) == 21 and data_version(engine) == version + 21
