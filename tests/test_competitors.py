"""Competitor notes: new competitors matched in any case, checks, the feed with its filters,
price gaps and notes per month (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import select

from kam.activities import competitor_feed, competitors
from kam.activities.competitors import NoteForm
from kam.core import db
from kam.core.models import Competitor, CompetitorNote
from kam.core.validation import ValidationError
from tests.team import TODAY, audit_rows, count, team

D = dt.date


@pytest.fixture
def t(engine):
    return team(engine)


def add(engine, viewer, actor, form, today=TODAY):
    with db.writing(engine) as s:
        return competitors.add_note(s, viewer=viewer, actor=actor, form=form, today=today)


def names(engine):
    with db.reading(engine) as s:
        return s.scalars(select(Competitor.name).order_by(Competitor.id)).all()


def test_new_competitor_typed_in_any_case_is_created_once(engine, t):
    first = add(
        engine,
        t.k1_viewer,
        t.k1_actor,
        NoteForm(competitor_name="FoodLine", text="Visits C001 weekly"),
    )
    again = add(
        engine,
        t.k2_viewer,
        t.k2_actor,
        NoteForm(competitor_name="  foodline ", text="Seen at C003"),
    )
    cyr = add(
        engine,
        t.k1_viewer,
        t.k1_actor,
        NoteForm(competitor_name="ФудЛайн  Опт", text="Новый игрок"),
    )
    cyr_again = add(
        engine, t.k1_viewer, t.k1_actor, NoteForm(competitor_name="фудлайн опт", text="Снова")
    )
    assert first.competitor_id == again.competitor_id
    assert cyr.competitor_id == cyr_again.competitor_id != first.competitor_id
    assert names(engine) == ["FoodLine", "ФудЛайн  Опт"]  # stored as first typed
    assert [a.action for a in audit_rows(engine, "competitor")] == ["create", "create"]
    with db.reading(engine) as s:
        assert competitors.competitors(s) == [
            (first.competitor_id, "FoodLine"),
            (cyr.competitor_id, "ФудЛайн  Опт"),
        ]
    by_id = add(
        engine,
        t.k1_viewer,
        t.k1_actor,
        NoteForm(competitor_id=first.competitor_id, text="Picked from the list"),
    )
    assert by_id.competitor_id == first.competitor_id


def test_note_fields_and_defaults(engine, t):
    note = add(
        engine,
        t.k1_viewer,
        t.k1_actor,
        NoteForm(
            competitor_name="Metro",
            client_id=t.c1,
            product="Milk 3.2 % 1 l",
            their_price="89,90",
            our_price=95,
            kind="price",
            text="Cheaper milk",
        ),
    )
    with db.reading(engine) as s:
        saved = s.get(CompetitorNote, note.id)
        assert (saved.noted_on, saved.author_id, saved.client_id, saved.kind) == (
            TODAY,
            t.k1,
            t.c1,
            "price",
        )
        assert (saved.their_price, saved.our_price, saved.product, saved.category) == (
            Decimal("89.90"),
            Decimal("95.00"),
            "Milk 3.2 % 1 l",
            None,
        )
    [entry] = audit_rows(engine, "competitor_note")
    assert (entry.action, entry.after["their_price"], entry.after["text"]) == (
        "create",
        "89.90",
        "Cheaper milk",
    )


def test_note_problems(engine, t):
    form = NoteForm(
        competitor_id=999,
        client_id=998,
        category="c" * 101,
        their_price="-5",
        our_price="abc",
        kind="rumour",
        text="  ",
        noted_on=D(2026, 11, 19),
    )
    with pytest.raises(ValidationError) as err:
        add(engine, t.k1_viewer, t.k1_actor, form)
    assert err.value.problems == {
        "competitor_id": "There is no competitor with id 999.",
        "client_id": "There is no client with id 998.",
        "category": "Category is 101 characters long; at most 100 fit.",
        "their_price": "Their price cannot be negative (got -5).",
        "our_price": "Our price must be a number (got 'abc').",
        "kind": "Kind must be one of price, promo, new_product, lost_order, other (got 'rumour').",
        "text": "Text is required.",
        "noted_on": "Date 2026-11-19 is in the future; 2026-11-18 is the latest allowed.",
    }
    with pytest.raises(ValidationError) as err:
        add(
            engine,
            t.k1_viewer,
            t.k1_actor,
            NoteForm(their_price="10", text="x", noted_on=D(2020, 1, 1)),
        )
    assert err.value.problems == {
        "competitor_id": "Pick a competitor or type a new name.",
        "product": "A price needs the product or category it is for.",
        "noted_on": "Date 2020-01-01 is more than 2 years ago; 2024-11-18 is the earliest allowed.",
    }
    assert count(engine, CompetitorNote) == 0 and names(engine) == []


def test_resubmitted_note_and_its_new_competitor_are_saved_once(engine, t):
    form = NoteForm(
        competitor_name="Prodsnab",
        text="Took the order",
        kind="lost_order",
        idempotency_key="note-form-1",
    )
    assert (
        add(engine, t.k1_viewer, t.k1_actor, form).id
        == add(engine, t.k1_viewer, t.k1_actor, form).id
    )
    assert count(engine, CompetitorNote) == 1 and names(engine) == ["Prodsnab"]


@pytest.mark.parametrize(
    "typed",
    [
        "Акция «2+1» на сыр 🧀",
        "新しいプライベートブランド",
        "<img src=x onerror=alert(1)>",
        "' OR 1=1; --",
        'a "quoted" word',
    ],
)
def test_text_round_trips_exactly(engine, t, typed):
    note = add(
        engine,
        t.k1_viewer,
        t.k1_actor,
        NoteForm(competitor_name=typed[:20], text=typed, product=typed),
    )
    with db.reading(engine) as s:
        saved = s.get(CompetitorNote, note.id)
        assert (saved.text, saved.product) == (typed, typed)
    assert names(engine) == [typed[:20].strip()]


def test_permissions(engine, t):
    with pytest.raises(PermissionError, match="C003"):
        add(
            engine, t.k1_viewer, t.k1_actor, NoteForm(competitor_name="X", client_id=t.c3, text="x")
        )
    with pytest.raises(PermissionError, match="admin"):
        add(engine, t.admin_viewer, t.k1_actor, NoteForm(competitor_name="X", text="x"))
    assert (
        add(
            engine, t.k2_viewer, t.k2_actor, NoteForm(competitor_name="X", text="market talk")
        ).client_id
        is None
    )
    assert names(engine) == ["X"]  # the refused notes created no competitor


def feed_fixture(engine, t):
    food = add(
        engine,
        t.k1_viewer,
        t.k1_actor,
        NoteForm(
            competitor_name="FoodLine",
            client_id=t.c1,
            category="Dairy",
            their_price=90,
            our_price=100,
            kind="price",
            text="n1",
            noted_on=D(2026, 11, 10),
        ),
    )
    n2 = add(
        engine,
        t.k2_viewer,
        t.k2_actor,
        NoteForm(
            competitor_id=food.competitor_id,
            client_id=t.c3,
            category="Dairy",
            their_price=110,
            our_price=100,
            kind="price",
            text="n2",
            noted_on=D(2026, 11, 12),
        ),
    )
    n3 = add(
        engine,
        t.k2_viewer,
        t.k2_actor,
        NoteForm(
            competitor_name="Metro",
            category="Bakery",
            their_price=50,
            our_price=40,
            kind="price",
            text="n3",
            noted_on=D(2026, 10, 5),
        ),
    )
    n4 = add(
        engine,
        t.k1_viewer,
        t.k1_actor,
        NoteForm(
            competitor_name="metro",
            client_id=t.c2,
            kind="promo",
            text="n4",
            noted_on=D(2026, 11, 12),
        ),
    )
    return food, n2, n3, n4


def test_feed_filters_visibility_and_price_gap(engine, t):
    food, n2, n3, n4 = feed_fixture(engine, t)
    with db.reading(engine) as s:

        def texts(viewer, **kw):
            return competitor_feed.notes_feed(s, viewer=viewer, **kw)["text"].tolist()

        head = competitor_feed.notes_feed(s, viewer=t.head_viewer)
        assert list(head.columns) == competitor_feed.FEED_COLUMNS
        assert head["text"].tolist() == ["n4", "n2", "n1", "n3"]
        assert head["price_gap_pct"].tolist()[1:] == [10.0, -10.0, 25.0] and pd.isna(
            head["price_gap_pct"][0]
        )
        assert head["author"].tolist() == ["Irina", "Dmitry", "Irina", "Dmitry"]
        assert texts(t.k1_viewer) == ["n4", "n1", "n3"]  # n2 is on K2's client; n3 has no client
        assert texts(t.head_viewer, competitor_id=food.competitor_id) == ["n2", "n1"]
        assert texts(t.head_viewer, client_id=t.c1) == ["n1"]
        assert texts(t.head_viewer, category="Dairy") == ["n2", "n1"]
        assert texts(t.head_viewer, author_id=t.k2) == ["n2", "n3"]
        assert texts(t.head_viewer, date_from=D(2026, 11, 1), date_to=D(2026, 11, 11)) == ["n1"]
        assert texts(t.head_viewer, limit=2) == ["n4", "n2"]

        gaps = competitor_feed.price_gaps(s, viewer=t.head_viewer)
        assert gaps[
            ["competitor", "notes", "avg_gap_pct", "min_gap_pct", "max_gap_pct"]
        ].values.tolist() == [
            ["FoodLine", 2, 0.0, -10.0, 10.0],
            ["Metro", 1, 25.0, 25.0, 25.0],
        ]
        assert competitor_feed.price_gaps(s, viewer=t.k1_viewer)[
            ["competitor", "avg_gap_pct"]
        ].values.tolist() == [
            ["FoodLine", -10.0],
            ["Metro", 25.0],
        ]
        monthly = competitor_feed.notes_per_month(s, viewer=t.head_viewer)
        assert monthly[["competitor", "month", "notes"]].values.tolist() == [
            ["Metro", D(2026, 10, 1), 1],
            ["FoodLine", D(2026, 11, 1), 2],
            ["Metro", D(2026, 11, 1), 1],
        ]


def test_price_gap_pct():
    assert competitor_feed.price_gap_pct(Decimal("89.90"), Decimal("95.00")) == -5.4
    assert competitor_feed.price_gap_pct(Decimal("1"), Decimal("0")) is None
    assert competitor_feed.price_gap_pct(None, Decimal("5")) is None


def test_two_managers_type_the_same_new_competitor_at_once(engine, t):
    start = threading.Barrier(4)
    spellings = ["Severnaya Baza", "severnaya baza", "SEVERNAYA  BAZA", "Severnaya Baza"]

    def write(i: int) -> int:
        start.wait()
        viewer, actor = (t.k1_viewer, t.k1_actor) if i % 2 else (t.k2_viewer, t.k2_actor)
        return add(
            engine, viewer, actor, NoteForm(competitor_name=spellings[i], text=f"seen {i}")
        ).competitor_id

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = set(pool.map(write, range(4)))
    assert len(ids) == 1 and count(engine, Competitor) == 1 and count(engine, CompetitorNote) == 4
