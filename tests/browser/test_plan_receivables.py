"""Plan fulfilment and Receivables in a real browser: main elements, a filter in the URL,
full-page screenshots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kam import plans
from kam.core import clock, periods
from tests.browser.conftest import expect_no_exception, full_page, select_grid_row, wait_for_app

pytestmark = pytest.mark.browser


def test_plan_page_shows_the_scorecard_and_changes_period(server, page, artifacts):
    page.goto(f"{server.url}/plan")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Plan fulfilment")).to_be_visible()
    # Revenue, client plans, active clients, new clients; the pacing chart.
    expect(page.locator("[data-testid='stDataFrame']")).to_have_count(4)
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(1)
    expect_no_exception(page)
    full_page(page, artifacts / "plan.png")

    page.get_by_text("Quarter", exact=True).click()
    wait_for_app(page)
    quarter = plans.parse_kind("quarter", clock.today()).code
    expect(page).to_have_url(re.compile(rf"[?&]period={quarter}\b"))


def test_plan_row_click_shows_the_clients_behind(server, page, artifacts):
    page.goto(f"{server.url}/plan?period={periods.month_of(clock.today()).code}")
    wait_for_app(page)
    select_grid_row(page.locator("[data-testid='stDataFrame']").first)
    page.wait_for_url(re.compile(r"[?&]manager=K0\d"), timeout=60_000)
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^Clients behind the figures: "))).to_be_visible()
    full_page(page, artifacts / "plan-manager.png")


def test_receivables_page_shows_ageing_and_filters_by_manager(server, page, artifacts):
    page.goto(f"{server.url}/receivables")
    wait_for_app(page, timeout=60_000)
    expect(page.get_by_role("heading", name="Receivables")).to_be_visible()
    metrics = page.locator("[data-testid='stMetric']")
    expect(metrics).to_have_count(6)  # four tiles, DSO and days late over the trend
    assert "Overdue" in metrics.nth(1).inner_text()
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(2)
    expect_no_exception(page)
    full_page(page, artifacts / "receivables.png")

    page.get_by_label("Manager").first.click()
    page.get_by_role("option").nth(1).click()
    wait_for_app(page, timeout=60_000)
    expect(page).to_have_url(re.compile(r"[?&]manager=K0\d"))
