"""Browser fixtures: a demo database, a real Streamlit server and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from kam.core import clock
from tests.server import StreamlitServer

CHROMIUM = os.environ.get("KAM_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
# These flags keep headless Chromium off the network this machine does not have.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def server(
    demo_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    srv = StreamlitServer(demo_database, tmp_path_factory.mktemp("server") / "streamlit.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run 'make browser' (apt-get install chromium)"
        )
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


# Installed in every page before its own scripts: the time of the last change to the DOM, so a
# test can wait until the page has stopped changing instead of sleeping for a guessed time.
WATCH_DOM = """
window.__kamLastChange = performance.now();
new MutationObserver(() => { window.__kamLastChange = performance.now(); }).observe(
  document, {subtree: true, childList: true, attributes: true, characterData: true});
"""
QUIET_MS = 300
SETTLED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll("[data-testid='stMain'] [data-testid='stElementContainer']").length > 0
    && document.querySelectorAll("[data-stale='true']").length === 0
    && performance.now() - window.__kamLastChange > QUIET_MS;
}""".replace("QUIET_MS", str(QUIET_MS))


def new_context(
    browser: Browser, width: int = 1440, height: int = 900, **options
) -> BrowserContext:
    """A fresh browser context (own cookies and storage) whose pages report DOM changes."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    context.add_init_script(WATCH_DOM)
    return context


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = new_context(browser)
    pg = context.new_page()
    yield pg
    context.close()


def wait_for_app(page: Page, timeout: float = 30_000) -> None:
    """Wait until Streamlit is connected, its run is over, nothing drawn is stale and the page
    has not changed for a moment; then check that no element shows an exception."""
    # Right after connecting the script may not have started yet and the state still reads
    # "notRunning"; a run may also trigger one more (st.rerun). Quiet DOM covers both.
    page.wait_for_function(SETTLED, timeout=timeout)
    expect_no_exception(page)


def expect_no_exception(page: Page) -> None:
    """No Streamlit exception box on the page (its details are hidden from users, the box is
    not)."""
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def full_page(page: Page, path: Path) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, so the window
    is made as tall as that block first (the grids and charts redraw), then set back."""
    size = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height))})
    wait_for_app(page)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


# The grid draws on a canvas; its accessible table holds only the cells in view, so the grid is
# scrolled across (as a thumb would) and the cells met on the way are kept by row and header.
READ_GRID = """async (grid) => {
  const scroller = grid.querySelector('.dvn-scroller');
  const heads = {}, rows = {};
  const first = () => grid.querySelector('tbody td[aria-colindex]')?.getAttribute('aria-colindex');
  // The grid redraws its accessible table a little after the scroll event: wait for the cells
  // in view to change (at most 3 s).
  const moved = async (was) => { for (let t = 0; t < 3000 && first() === was; t += 50)
    await new Promise((done) => setTimeout(done, 50)); };
  for (let left = 0; ; left += Math.max(scroller.clientWidth - 40, 40)) {
    const was = first();
    scroller.scrollLeft = left;
    if (left > 0) await moved(was);
    for (const th of grid.querySelectorAll('th[aria-colindex]')) heads[th.getAttribute('aria-colindex')] = th.innerText.trim();
    for (const td of grid.querySelectorAll('tbody td[aria-colindex]')) {
      const row = td.closest('tr').getAttribute('aria-rowindex');
      (rows[row] ??= {})[td.getAttribute('aria-colindex')] = td.innerText.trim();
    }
    if (left + scroller.clientWidth >= scroller.scrollWidth) break;
  }
  scroller.scrollLeft = 0;
  return Object.values(rows).map((cells) =>
    Object.fromEntries(Object.entries(cells).map(([col, text]) => [heads[col] ?? col, text])));
}"""


def grid_rows(grid: Locator) -> list[dict[str, str]]:
    """The rows of a data grid in view from top to bottom, as {header: cell text}, all its
    columns read by scrolling it sideways."""
    expect(grid.locator("tbody tr").first).to_be_attached()
    return grid.evaluate(READ_GRID)


def select_grid_row(grid: Locator, row: int = 0) -> None:
    """Select a row of a data grid as a keyboard user does: focus one of its cells (the grid's
    accessible table, drawn over its canvas), then Shift+Space; until the row reads as selected
    or the grid has gone (the selection opened another page). A grid that is drawn but not yet
    listening misses the first key press: press again."""
    cell = grid.get_by_test_id(f"glide-cell-1-{row}")
    handle = grid.element_handle()
    taken = """([grid, row]) => !grid.isConnected
        || !!grid.querySelector(`tr[aria-rowindex="${row}"][aria-selected="true"]`)"""
    for attempt in range(3):
        cell.focus()
        cell.press("Shift+Space")
        try:
            grid.page.wait_for_function(taken, arg=[handle, row + 2], timeout=10_000)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise


@pytest.fixture(scope="module")
def writable_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[StreamlitServer, str]]:
    """A server on its own small demo database, for tests that save things."""

    from kam import demo
    from kam.core import db, migrate

    folder = tmp_path_factory.mktemp("writable")
    url = f"sqlite:///{folder / 'kam.db'}"
    migrate.upgrade(db.engine(url))
    with db.writing(db.engine(url)) as s:
        demo.load(s, today=clock.today(), lines=20_000)
    srv = StreamlitServer(url, folder / "streamlit.log")
    yield srv, url
    srv.stop()
    db.engine(url).dispose()
