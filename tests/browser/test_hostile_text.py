"""Hostile names and notes in a real browser: drawn exactly as typed, nothing fetched from
another address, no dialog, no link the user did not make."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from kam.core import clock, db, migrate
from tests import hostile
from tests.browser.conftest import full_page, wait_for_app
from tests.server import StreamlitServer

pytestmark = pytest.mark.browser

JOINER = "\u2060"  # the invisible word joiner that keeps "http://" from becoming a link


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'kam.db'}"
    migrate.upgrade(db.engine(url))
    with db.writing(db.engine(url)) as s:
        hostile.seed(s, clock.today())
    srv = StreamlitServer(url, folder / "streamlit.log")
    yield srv
    srv.stop()
    db.engine(url).dispose()


def _watch(page: Page, server: StreamlitServer) -> tuple[list[str], list[str]]:
    """Requests that leave the app's own address, and dialogs opened, as they happen."""
    elsewhere: list[str] = []
    dialogs: list[str] = []
    # Streamlit draws its Material icons from Google's font server; anything else is ours.
    own = (server.url, "data:", "blob:", "https://fonts.gstatic.com/s/i/")
    page.on("request", lambda r: None if r.url.startswith(own) else elsewhere.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return elsewhere, dialogs


def _text(locator) -> str:  # noqa: ANN001
    return locator.inner_text().replace(JOINER, "").strip()


def _no_links_or_images_to(page: Page, host: str) -> None:
    expect(page.locator(f"a[href*='{host}']")).to_have_count(0)
    expect(page.locator(f"img[src*='{host}']")).to_have_count(0)


def test_client_360_draws_the_texts_as_typed(hostile_server, page, artifacts):
    elsewhere, dialogs = _watch(page, hostile_server)
    page.goto(hostile_server.url)
    wait_for_app(page)
    page.goto(f"{hostile_server.url}/client?client=C1&as=H")
    wait_for_app(page)
    assert _text(page.locator("[data-testid='stHeading']").first) == hostile.NAME
    main = page.locator("[data-testid='stMain']")
    texts = "[data-testid='stMarkdownContainer'], [data-testid='stCaptionContainer']"
    shown = [_text(m) for m in main.locator(texts).all()]
    assert "nan" not in shown  # a planned call has no outcome yet
    assert hostile.OUTCOME in shown
    assert hostile.NOTES in shown
    assert any(s.startswith(f"arrow_forward{hostile.STEP} by ") or hostile.STEP in s for s in shown)
    _no_links_or_images_to(page, "127.0.0.1:9")
    full_page(page, artifacts / "hostile_client.png")
    assert elsewhere == [] and dialogs == []


def test_my_desk_and_the_week_draw_the_name_as_typed(hostile_server, page, artifacts):
    elsewhere, dialogs = _watch(page, hostile_server)
    page.goto(f"{hostile_server.url}/?as=H")
    wait_for_app(page)
    links = page.locator("a[data-testid='stPageLink-NavLink']").filter(has_text="· C1")
    expect(links.first).to_be_visible()
    assert {_text(link) for link in links.all()} == {f"{hostile.NAME} · C1"}
    page.screenshot(path=str(artifacts / "hostile_desk.png"), full_page=True)
    page.goto(f"{hostile_server.url}/week?as=H")
    wait_for_app(page)
    card = page.locator("[class*='st-key-visit_']").first
    assert _text(card.locator("a").first) == hostile.NAME  # the link to Client 360
    _no_links_or_images_to(page, "127.0.0.1:9")
    assert elsewhere == [] and dialogs == []
