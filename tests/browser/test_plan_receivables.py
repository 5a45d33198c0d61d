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


# The grid draws on a canvas: the raw values are in its accessible table, the text is measured
# in the grid's font (the app's, 14 px) against the width kam.ui.tables gives the column.
GRID_VALUES = """(index) => {
  const grid = document.querySelectorAll('[data-testid=stDataFrame]')[index];
  const heads = [...grid.querySelectorAll('thead th')].map(th => th.textContent);
  const rows = [...grid.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent));
  return {heads, rows};
}"""
TEXT_WIDTH = """async (text) => {
  await document.fonts.ready;
  const canvas = document.createElement('canvas').getContext('2d');
  canvas.font = '14px ' + getComputedStyle(document.body).fontFamily;
  return canvas.measureText(text).width;
}"""
GRID_CELL_PADDING = 8 * 2  # glide-data-grid's cell padding, left and right


def _widest_fits(page, index: int, header: str, kind: str) -> str:
    """The widest formatted figure of a column, checked to fit the width the column is given."""
    from kam.core import formatting as fmt
    from kam.ui import tables

    got = page.evaluate(GRID_VALUES, index)
    column = got["heads"].index(header)
    values = [float(r[column]) for r in got["rows"] if r[column] not in ("", "—", "None")]
    texts = [fmt.money(v) if kind == "money" else fmt.number(v) for v in values]
    widest = max(texts, key=lambda text: page.evaluate(TEXT_WIDTH, text))
    drawn = page.evaluate(TEXT_WIDTH, widest)
    assert drawn + GRID_CELL_PADDING <= tables.column_width(texts, header), (header, widest, drawn)
    return widest


def test_the_largest_figures_are_not_cut_at_their_left_edge(server, page, artifacts):
    page.goto(f"{server.url}/plan?period=2026")
    wait_for_app(page)
    page.wait_for_selector("[data-testid=stDataFrame] tbody tr", state="attached")
    # The year's team totals: ten digits with grouping ("1,617,877,661" read ",617,877,661").
    # (The grid's accessible table holds the columns in view: fact and plan come first.)
    widest = [_widest_fits(page, 0, header, "number") for header in ("Fact", "Plan")]
    assert all(len(text) >= 11 for text in widest), widest  # at least "617,877,661"
    full_page(page, artifacts / "plan-year.png")
    page.goto(f"{server.url}/clients")
    wait_for_app(page)
    page.wait_for_selector("[data-testid=stDataFrame] tbody tr", state="attached")
    assert _widest_fits(page, 0, "Revenue, 12 months", "money").startswith("RUB")
    full_page(page, artifacts / "clients-widths.png")
