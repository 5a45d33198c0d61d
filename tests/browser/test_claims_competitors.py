"""The real server on the demo database: the Claims and returns and the Competitors pages show
their main elements, and a filter lands in the URL."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kam.activities import claim_figures
from kam.core import access, clock, db
from kam.core import formatting as fmt
from tests.browser.conftest import expect_no_exception, full_page, wait_for_app

pytestmark = pytest.mark.browser


def open_page(page, server, path: str) -> None:
    """Open ``path`` after the entry page: on a fresh server Streamlit runs a deep link as a bare
    script from pages/ (its old multipage mode) until app.py has called st.navigation once."""
    page.goto(server.url)
    wait_for_app(page)
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)


def heading(page, text: str):
    """The Streamlit title or header showing ``text``."""
    return page.locator("[data-testid='stHeading']").filter(has_text=text).first


def pick(page, widget: str, label: str, option: str) -> None:
    """Open the Streamlit selectbox or multiselect labelled ``label`` and choose ``option``."""
    box = page.locator(f"[data-testid='{widget}']").filter(has_text=label).first
    box.locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def test_claims_page_shows_figures_and_filters_by_status(server, demo_database, page, artifacts):
    today = clock.today()
    with db.reading(db.engine(demo_database)) as s:
        summary = claim_figures.claim_summary(s, viewer=access.SYSTEM, as_of=today)

    open_page(page, server, "claims")
    full_page(page, artifacts / "claims.png")
    expect(heading(page, "Claims and returns")).to_be_visible()
    metrics = page.locator("[data-testid='stMetric']")
    expect(metrics).to_have_count(4)
    assert "Open claims" in metrics.nth(0).inner_text()
    assert fmt.number(summary.open) in metrics.nth(0).inner_text()
    expect(
        page.locator("[data-testid='stVegaLiteChart']").nth(2)
    ).to_be_attached()  # Paretos, returns
    expect(page.locator("[data-testid='stDataFrame']")).to_have_count(
        2
    )  # claims, returns by client
    expect(heading(page, "Returns and refusals")).to_be_visible()
    expect_no_exception(page)

    pick(page, "stMultiSelect", "Status", "Open")
    expect(page).to_have_url(re.compile(r"[?&]status=open\b"))
    expect_no_exception(page)


def test_competitors_page_shows_feed_and_filters_by_competitor(server, page, artifacts):
    open_page(page, server, "competitors")
    full_page(page, artifacts / "competitors.png")
    expect(heading(page, "Competitors")).to_be_visible()
    expect(heading(page, "Their price against ours")).to_be_visible()
    expect(heading(page, "Notes, newest first")).to_be_visible()
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(1)
    expect(page.locator("[data-testid='stDataFrame']")).to_have_count(2)  # price gaps, feed
    expect_no_exception(page)

    pick(page, "stSelectbox", "Competitor", "FoodLine")
    expect(page).to_have_url(re.compile(r"[?&]competitor=FoodLine\b"))
    expect_no_exception(page)
