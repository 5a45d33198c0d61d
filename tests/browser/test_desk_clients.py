"""My desk, Clients and Client 360 in a real browser: links, filters in the URL, screenshots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import select_grid_row, wait_for_app

pytestmark = pytest.mark.browser


def test_desk_lists_attention_and_links_to_the_client(server, page, artifacts):
    page.goto(server.url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="My desk")).to_be_visible()
    expect(page.locator("[data-testid='stMetric']")).to_have_count(3)
    section = page.locator(".st-key-attention_overdue")
    expect(section).to_be_visible()
    page.screenshot(path=str(artifacts / "desk.png"), full_page=True)

    link = section.locator("a[data-testid='stPageLink-NavLink']").first
    name, code = link.inner_text().rsplit(" · ", 1)
    link.click()
    page.wait_for_url(re.compile(rf"/client\?(.*&)?client={code}(&|$)"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name=name.strip())).to_be_visible()
    page.screenshot(path=str(artifacts / "client.png"), full_page=True)


def test_desk_manager_filter_goes_to_the_url(server, page):
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_label("Manager").first.click()
    page.get_by_role("option").nth(1).click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"[?&]manager=K0\d"))


def test_clients_filter_and_row_opens_client_360(server, page, artifacts):
    page.goto(f"{server.url}/clients")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Clients")).to_be_visible()
    page.get_by_label("Search by code or name").fill("C000")
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"[?&]q=C000\b"))
    expect(page.get_by_text(re.compile(r"^9 of \d+ clients$"))).to_be_visible()
    page.screenshot(path=str(artifacts / "clients.png"), full_page=True)

    select_grid_row(page.locator("[data-testid='stDataFrame']").first)
    page.wait_for_url(re.compile(r"/client\?(.*&)?client=C000\d(&|$)"))
    wait_for_app(page)
    expect(page.get_by_text("Monthly sales against last year")).to_be_visible()


def test_client_outside_portfolio_is_refused(server, page):
    page.goto(f"{server.url}/client?client=NOPE")
    wait_for_app(page)
    expect(page.get_by_text("No client has the code NOPE")).to_be_visible()
