"""The Weekly review page in AppTest on the demo data: with and without TV mode, every slide
runs, and the slides show the figures of the kam functions."""

from __future__ import annotations

import html
import re

import pytest

from kam import review
from kam.core import access, audit, clock, db
from kam.core import formatting as fmt
from kam.core.team import is_team
from tests.apptest import run_app

TODAY = clock.today()
WEEK = review.review_week(TODAY, TODAY)


@pytest.fixture(scope="module")
def figures(demo_database):
    """The review's figures straight from kam.review (no page, no cache)."""
    with db.reading(db.engine(demo_database)) as s:
        return review.review(s, viewer=access.SYSTEM, week=WEEK)


def slide(at) -> str:
    """The text of the slide on show (its HTML without tags, entities decoded)."""
    bodies = [h.proto.body for h in at.get("html") if 'class="rv-slide"' in h.proto.body]
    assert len(bodies) == 1, "one slide on the page"
    return html.unescape(re.sub(r"<[^>]+>", " ", bodies[0]))


def number_of(at) -> tuple[int, int]:
    body = next(h.proto.body for h in at.get("html") if 'class="rv-slide"' in h.proto.body)
    found = re.search(r'data-slide="(\d+)" data-count="(\d+)"', body)
    assert found
    return int(found[1]), int(found[2])


def test_presenter_view_shows_the_team_plan_with_filters(monkeypatch, demo_database, figures):
    at = run_app(monkeypatch, demo_database, page="pages/review.py")
    assert at.title[0].value == "Weekly review"
    text = slide(at)
    card = figures.team.scorecard
    team = card[is_team(card)].set_index("metric")
    assert fmt.money_short(team.loc["revenue", "fact"]) in text
    assert fmt.number(team.loc["active_clients", "fact"]) in text
    assert number_of(at) == (1, 1 + len(figures.managers) + 4)
    assert {"Week", "Manager"} <= {s.label for s in at.selectbox}
    assert at.get("download_button"), "the review pack button"


def test_tv_mode_runs_every_slide(monkeypatch, demo_database, figures):
    count = 1 + len(figures.managers) + 4
    for n in range(1, count + 1):
        at = run_app(monkeypatch, demo_database, page="pages/review.py", params={"tv": "1", "slide": str(n)})  # fmt: skip
        assert number_of(at) == (n, count)
        assert not at.title, "TV mode has no page title"
        assert not at.get("download_button")
        text = slide(at)
        if 2 <= n <= 1 + len(figures.managers):
            m = figures.managers[n - 2]
            assert f"{m.name} ({m.code})" in text
            assert fmt.money_short(m.overdue) in text
            assert fmt.number(m.open_claims) in text
        if n == count - 3:  # what changed
            c = figures.changes
            assert fmt.money_short(c.total(c.new_overdue, "unpaid")) in text
            assert f"{fmt.number(len(c.new_overdue))} invoices" in text
            assert fmt.money_short(c.total(c.into_61_90, "unpaid")) in text
        if n == count - 2 and not figures.movers.up.empty:  # movers
            assert figures.movers.up.at[0, "client_name"] in text
            assert "+" + fmt.money_short(figures.movers.up.at[0, "change"]) in text


def test_navigator_moves_and_keeps_the_slide_in_the_url(monkeypatch, demo_database, figures):
    at = run_app(monkeypatch, demo_database, page="pages/review.py", params={"tv": "1", "slide": "2"})  # fmt: skip
    at.button(key="rv_next").click().run()
    assert number_of(at)[0] == 3
    assert at.query_params["slide"] in ("3", ["3"])
    at.button(key="rv_prev").click().run()
    at.button(key="rv_prev").click().run()
    assert number_of(at)[0] == 1


def test_one_manager_chosen_gives_one_manager_slide(monkeypatch, demo_database, figures):
    first = figures.managers[0]
    at = run_app(monkeypatch, demo_database, page="pages/review.py", params={"manager": first.code, "slide": "2"})  # fmt: skip
    assert number_of(at) == (2, 1 + 1 + 4)
    assert f"{first.name} ({first.code})" in slide(at)


def test_a_kams_review_opens_on_his_own_plan(monkeypatch, demo_database, figures):
    """A KAM's first slide is his or her own plan, with the figures of his or her own row."""
    first = figures.managers[0]
    at = run_app(monkeypatch, demo_database, page="pages/review.py", params={"tv": "1", "slide": "1"}, viewer=first.code)  # fmt: skip
    text = slide(at)
    assert text.strip().startswith(f"{first.name}: plan")
    assert "Team plan" not in text
    own = first.scorecard.set_index("metric")
    assert fmt.money_short(own.loc["revenue", "fact"]) in text
    card = figures.team.scorecard
    team = card[is_team(card)].set_index("metric")
    assert fmt.money_short(team.loc["revenue", "fact"]) not in text
    assert number_of(at) == (1, 1 + 1 + 4)  # own plan, own slide, four more


def test_a_slide_is_drawn_once_per_data_version(monkeypatch, demo_database, figures):
    from kam.core.cache import VersionedCache
    from kam.ui import review_slides

    drawn: list[int] = []
    slide_html = review_slides.slide_html
    monkeypatch.setattr(review_slides, "_SLIDES", VersionedCache(max_entries=64))
    monkeypatch.setattr(
        review_slides,
        "slide_html",
        lambda view, n, count: drawn.append(n) or slide_html(view, n, count),
    )
    at = run_app(monkeypatch, demo_database, page="pages/review.py")
    first = slide(at)
    assert drawn == [1]
    at.run()
    assert slide(at) == first and drawn == [1]  # the same slide, not drawn again
    at.button(key="rv_next").click().run()
    assert drawn == [1, 2] and number_of(at)[0] == 2
    with db.writing(db.engine(demo_database)) as s:  # a write: the next run draws anew
        audit.bump_data_version(s, "sale")
    at.button(key="rv_prev").click().run()
    assert drawn == [1, 2, 1] and slide(at) == first
