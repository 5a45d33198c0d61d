"""What the competitor feed can be filtered by: only what occurs in the viewer's visible notes
(SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from kam.activities import competitor_feed, competitors
from kam.activities.competitors import NoteForm
from kam.core import db
from tests.team import TODAY, team


@pytest.fixture
def t(engine):
    tm = team(engine)
    notes = [
        (tm.k1_viewer, tm.k1_actor, NoteForm(competitor_name="FoodLine", client_id=tm.c1,
                                             category="Dairy", text="Cheaper milk")),
        (tm.k2_viewer, tm.k2_actor, NoteForm(competitor_name="Metro", client_id=tm.c3,
                                             category="Bakery", text="Promo on bread")),
        (tm.k2_viewer, tm.k2_actor, NoteForm(competitor_name="Agro", text="New warehouse")),
    ]  # fmt: skip
    for viewer, actor, form in notes:
        with db.writing(engine) as s:
            competitors.add_note(s, viewer=viewer, actor=actor, form=form, today=TODAY)
    return tm


def choices(engine, viewer):
    with db.reading(engine) as s:
        return competitor_feed.feed_choices(s, viewer=viewer)


def test_the_head_picks_from_every_note(engine, t):
    got = choices(engine, t.head_viewer)
    assert [name for _, name in got.competitors] == ["Agro", "FoodLine", "Metro"]
    assert [(cid, code) for cid, code, _ in got.clients] == [(t.c1, "C001"), (t.c3, "C003")]
    assert got.categories == ("Bakery", "Dairy")
    assert [code for _, code, _ in got.authors] == ["K2", "K1"]  # by name: Dmitry, Irina


def test_a_kam_picks_from_own_clients_and_market_notes(engine, t):
    got = choices(engine, t.k1_viewer)
    assert [name for _, name in got.competitors] == ["Agro", "FoodLine"]
    assert [code for _, code, _ in got.clients] == ["C001"]
    assert got.categories == ("Dairy",)
    assert [code for _, code, _ in got.authors] == ["K2", "K1"]  # K2 wrote the market note
