"""Browser fixtures: a demo database, a real Streamlit server and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

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


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def wait_for_app(page: Page, timeout: float = 30_000) -> None:
    """Wait until Streamlit is connected, the page has drawn and its runs have settled."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout
    )
    # Right after connecting the script may not have started yet and the state still reads
    # "notRunning"; a run may also trigger one more (st.rerun) and leave stale elements
    # drawn meanwhile. Settled means: something drawn, no run going, nothing stale, and
    # that still holds a moment later.
    settled = (
        "() => document.querySelectorAll(\"[data-testid='stMain'] "
        "[data-testid='stElementContainer']\").length > 0"
        " && document.querySelector(\"[data-testid='stApp']\")"
        ".getAttribute('data-test-script-state') === 'notRunning'"
        " && document.querySelectorAll(\"[data-stale='true']\").length === 0"
    )
    for _ in range(3):
        page.wait_for_function(settled, timeout=timeout)
        page.wait_for_timeout(300)
    page.wait_for_function(settled, timeout=timeout)


@pytest.fixture(scope="module")
def writable_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[StreamlitServer, str]]:
    """A server on its own small demo database, for tests that save things."""
    import datetime as dt

    from kam import db, demo, migrate

    folder = tmp_path_factory.mktemp("writable")
    url = f"sqlite:///{folder / 'kam.db'}"
    migrate.upgrade(db.engine(url))
    with db.writing(db.engine(url)) as s:
        demo.load(s, today=dt.date.today(), lines=20_000)
    srv = StreamlitServer(url, folder / "streamlit.log")
    yield srv, url
    srv.stop()
    db.engine(url).dispose()
