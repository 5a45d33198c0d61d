"""Who you are and the first day, in a real browser: ``?as=`` survives the menu and a reload;
an empty database walks from the greeting to the first figures on My desk."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from kam.core import clock, db, migrate
from tests.browser.conftest import full_page, new_context, wait_for_app
from tests.server import StreamlitServer

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _sidebar_says(page: Page, text: str) -> None:
    chooser = page.locator("[data-testid='stSidebar']").get_by_role("combobox", name="You are")
    expect(chooser).to_have_value(re.compile(re.escape(text)))


def _menu(page: Page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
    wait_for_app(page)


def test_the_chosen_kam_stays_across_the_menu_and_a_reload(server, browser, artifacts):
    context = new_context(browser)
    page = context.new_page()
    page.goto(f"{server.url}/?as=K03")
    wait_for_app(page)
    _sidebar_says(page, "· K03")
    for title, path in (("Clients", "/clients"), ("Weekly plan", "/week")):
        _menu(page, title)
        expect(page).to_have_url(re.compile(rf"{path}\?(.*&)?as=K03(&|$)"))
        _sidebar_says(page, "· K03")
    page.reload()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/week\?(.*&)?as=K03(&|$)"))
    _sidebar_says(page, "· K03")
    full_page(page, artifacts / "who_you_are_desktop.png")
    context.close()

    phone = new_context(browser, **PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(f"{server.url}/week?as=K03")
    wait_for_app(page)
    page.locator("[data-testid='stExpandSidebarButton'], [data-testid='stSidebarCollapsedControl'] button").first.click()
    _sidebar_says(page, "· K03")
    page.screenshot(path=str(artifacts / "who_you_are_phone.png"))
    phone.close()


@pytest.fixture
def empty_server(tmp_path) -> Iterator[StreamlitServer]:
    url = f"sqlite:///{tmp_path / 'kam.db'}"
    migrate.upgrade(db.engine(url))
    db.engine(url).dispose()
    srv = StreamlitServer(url, tmp_path / "streamlit.log")
    yield srv
    srv.stop()


def _files() -> list[dict]:
    day = clock.today().isoformat()
    texts = {
        "managers.csv": "code,name,role\nH01,Виктор Орлов,head\nK01,Ирина Смирнова,kam\n",
        "clients.csv": "code,name,manager_code\nC0001,ООО «Ромашка»,K01\nC0002,Лента-Опт,K01\n",
        # 1 200,00 + 3 300,00 + 500,00 this month: revenue 5 000, two active clients.
        "sales.csv": f"doc_no,doc_date,client_code,amount\nD1,{day},C0001,1200.00\n"
        f"D2,{day},C0002,3300.00\nD3,{day},C0001,500.00\n",
    }
    return [{"name": n, "mimeType": "text/csv", "buffer": t.encode()} for n, t in texts.items()]


def test_an_empty_database_walks_from_the_greeting_to_the_first_figures(
    empty_server, browser, artifacts
):
    phone = new_context(browser, **PHONE, is_mobile=True, has_touch=True)
    small = phone.new_page()
    small.goto(empty_server.url)
    wait_for_app(small)
    expect(small.get_by_role("heading", name="Welcome to the KAM dashboard")).to_be_visible()
    full_page(small, artifacts / "first_day_greeting_phone.png")
    phone.close()

    context = new_context(browser)
    page = context.new_page()
    page.goto(empty_server.url)
    wait_for_app(page)
    expect(page.locator(".st-key-step_admin")).to_contain_text("To do")
    full_page(page, artifacts / "first_day_greeting_desktop.png")
    page.get_by_label("Code").fill("A01")
    page.get_by_label("Name").fill("Ольга Админ")
    page.get_by_role("button", name="Create the administrator").click()
    wait_for_app(page)
    # The first save of a fresh server process is slow (imports, the first queries).
    expect(page.locator(".st-key-step_admin")).to_contain_text("Done", timeout=30_000)
    expect(page).to_have_url(re.compile(r"as=A01"))
    _sidebar_says(page, "Ольга Админ · A01")

    page.locator(".st-key-step_import a").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/import\?(.*&)?as=A01"))
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(_files())
    wait_for_app(page)
    page.get_by_role("button", name="Load the files").click()
    wait_for_app(page, timeout=60_000)
    expect(page.get_by_text("Every file loaded.")).to_be_visible(timeout=30_000)
    full_page(page, artifacts / "first_day_import_desktop.png")

    _menu(page, "My desk")
    expect(page.get_by_role("heading", name="My desk")).to_be_visible()
    expect(page).to_have_url(re.compile(r"as=A01"))
    values = page.locator("[data-testid='stMetric'] [data-testid='stMetricValue']")
    # 1 200 + 3 300 + 500 = 5 000, written short on the tile; C0001 and C0002 bought.
    expect(values.first).to_contain_text(re.compile(r"\b5k\b|5,000"))
    expect(values.nth(1)).to_have_text("2")
    expect(page.locator("[data-testid='stSidebarNav']")).not_to_contain_text("Getting started")
    full_page(page, artifacts / "first_day_desk_desktop.png")
    context.close()
