"""The Claims and returns and the Competitors pages in AppTest on the demo data: they run, show
the figures of the kam functions for the same filters, and keep filters in the URL."""

from __future__ import annotations

from sqlalchemy import select

from kam import sales
from kam.activities import claim_figures, competitor_feed
from kam.core import access, clock, db, periods
from kam.core import formatting as fmt
from kam.core.models import Manager
from tests.apptest import run_app

CLAIMS = "pages/claims.py"
COMPETITORS = "pages/competitors.py"


def kam_functions(url: str, fn, viewer=access.SYSTEM, **kw):
    with db.reading(db.engine(url)) as s:
        return fn(s, viewer=viewer, **kw)


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def assert_tiles_match(at, summary: claim_figures.ClaimSummary) -> None:
    shown = tiles(at)
    assert shown["Open claims"] == fmt.number(summary.open)
    assert shown["Open longer than 7 days"] == fmt.number(summary.late)
    pct = summary.justified_pct
    assert shown["Justified, of closed"] == fmt.percent(None if pct is None else pct / 100)
    assert shown["Days to resolve, average"] == fmt.number(summary.avg_days_to_resolve, 1)


def test_claims_page_shows_the_summary_list_and_returns(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page=CLAIMS)
    today = clock.today()
    summary = kam_functions(demo_database, claim_figures.claim_summary, as_of=today)
    assert summary.claims > 0
    assert_tiles_match(at, summary)
    log = kam_functions(demo_database, claim_figures.claim_list, as_of=today)
    listed = at.dataframe[0].value
    assert len(listed) == len(log) == summary.claims
    assert list(listed["opened_on"]) == list(log["opened_on"])
    by_client = at.dataframe[1].value
    returned = kam_functions(
        demo_database, sales.returns_by_client, period=periods.parse(str(today.year)), limit=50
    )
    assert list(by_client["client_code"].str.extract(r"client=(.*)$")[0]) == list(
        returned["client_code"]
    )


def test_claims_filters_from_the_url_and_into_the_url(monkeypatch, demo_database):
    today = clock.today()
    at = run_app(monkeypatch, demo_database, page=CLAIMS, params={"status": "open"})
    assert_tiles_match(
        at,
        kam_functions(demo_database, claim_figures.claim_summary, as_of=today, statuses=["open"]),
    )
    at.multiselect(key="url_kind").select("damage").run()
    assert not at.exception
    assert at.query_params["kind"] == "damage"
    assert at.query_params["status"] == "open"
    filtered = kam_functions(
        demo_database, claim_figures.claim_summary, as_of=today, statuses=["open"], kinds=["damage"]
    )
    assert_tiles_match(at, filtered)
    if filtered.claims:
        assert len(at.dataframe[0].value) == filtered.claims
    else:
        assert any("No claims match" in i.value for i in at.info)


def test_claims_page_of_a_kam_shows_his_or_her_claims(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page=CLAIMS, viewer="K01")
    with db.reading(db.engine(demo_database)) as s:
        me = s.execute(select(Manager).where(Manager.code == "K01")).scalar_one()
        viewer = access.Viewer(name=me.name, role=me.role, manager_id=me.id)
    assert not [s for s in at.selectbox if s.key == "url_manager"]  # no manager filter
    assert_tiles_match(
        at, kam_functions(demo_database, claim_figures.claim_summary, viewer, as_of=clock.today())
    )


def test_competitors_page_shows_gaps_and_the_feed(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page=COMPETITORS)
    gaps = kam_functions(demo_database, competitor_feed.price_gaps)
    shown = at.dataframe[0].value
    assert list(shown["competitor"]) == list(gaps["competitor"])
    assert list(shown["avg_gap_pct"]) == list(gaps["avg_gap_pct"])
    feed = kam_functions(demo_database, competitor_feed.notes_feed)
    assert len(at.dataframe[1].value) == len(feed)
    assert list(at.dataframe[1].value["text"]) == list(feed["text"])


def test_competitor_filter_goes_into_the_url_and_narrows_the_feed(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page=COMPETITORS)
    at.selectbox(key="url_competitor").select("FoodLine").run()
    assert not at.exception
    assert at.query_params["competitor"] == "FoodLine"
    ids = dict(
        (name, cid)
        for cid, name in kam_functions(demo_database, competitor_feed.feed_choices).competitors
    )
    feed = kam_functions(demo_database, competitor_feed.notes_feed, competitor_id=ids["FoodLine"])
    assert list(at.dataframe[1].value["text"]) == list(feed["text"])
    assert set(at.dataframe[1].value["competitor"]) == {"FoodLine"}
