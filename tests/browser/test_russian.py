"""The Russian demo in a real Chromium with ``?lang=ru``: every page in the navigation, as the
head of sales and as a KAM, shows no word in Latin script apart from codes, e-mail addresses,
file names and the trade's abbreviations, and no text is cut or overflows its box. Screenshots:
tests/artifacts/ru_<page>.png (1440×900, the head; ru_kam_<page>.png the KAM) and
ru_review_<n>.png (every review slide in TV mode at 1920×1080)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import full_page, new_context, wait_for_app
from tests.server import ROOT, StreamlitServer

pytestmark = pytest.mark.browser

TODAY = "2026-12-01"
HEAD, KAM = "H01", "K01"
# Latin words a Russian reader may see: the trade's abbreviations, ABC×XYZ classes (AX … CZ).
ABBREVIATIONS = {"ABC", "XYZ", "DSO", "PDF", "CSV", "XLSX"}
ALLOWED = [
    re.compile(r"^[ABC]?[XYZ]?$"),  # an ABC / XYZ class, alone or paired
    re.compile(r"\d"),  # a code or document number: C0001, K01, INV-2026-00012
    re.compile(r"@"),  # an e-mail address
    re.compile(r"\.(csv|xlsx|pdf|json|png|md)$", re.I),  # a file name
]
WORD = re.compile(r"[\w@./\-]*[A-Za-z][\w@./\-]*")
# The import file names start with these (sales.csv, clients_2024-03.xlsx): the Import page
# names them as the words a file name must begin with.
FILE_NAME_WORDS = {
    "managers", "clients", "contacts", "products", "sales", "invoices", "payments", "plans",
}  # fmt: skip
# The language switch names each language in itself: "English" is how an English reader finds it.
LANGUAGE_NAMES = {"English"}

# Visible text of the main area and the sidebar, without Material icon ligatures (drawn as
# glyphs, read as "space_dashboard"), and the column headers of the data grids (canvas: their
# headers are in the accessible table drawn over it).
VISIBLE_TEXT = """() => {
  const out = [];
  for (const root of document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebar]')) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || !el) continue;
      // Icons are ligatures of a symbol font; code is what is typed (column ids, URL
      // parameters); the file uploader's drop zone is Streamlit's, in English only.
      // The empty date fields' "dd.mm.yyyy" are Streamlit's too (it sets no locale on them).
      if (el.closest('style, script, noscript, code, [data-testid=stIconMaterial], '
                     + '[data-testid=stFileUploaderDropzone], [data-placeholder=true]')) continue;
      const box = el.getBoundingClientRect();
      const css = getComputedStyle(el);
      if (box.width <= 1 || box.height <= 1 || css.visibility === 'hidden') continue;
      if (css.fontFamily.includes('Material Symbols')) continue;
      if (el.closest('[aria-hidden=true]') && !el.closest('[data-testid=stDataFrame]')) continue;
      out.push(node.textContent.trim());
    }
  }
  for (const h of document.querySelectorAll('[data-testid=stDataFrame] [role=columnheader]')) {
    out.push(h.textContent.trim());
  }
  return out;
}"""
# Elements whose text must fit: metric values and labels, headings, buttons, nav links, tabs.
OVERFLOWING = """() => {
  const sel = ['[data-testid=stMetricValue]', '[data-testid=stMetricValue] > div',
    '[data-testid=stMetricLabel]', '[data-testid=stMetricLabel] p',
    '[data-testid=stMain] h1', '[data-testid=stMain] h2', '[data-testid=stMain] h3',
    '[data-testid=stMain] h4', 'button', 'button p', '[data-testid=stSidebarNavLink] span',
    '[data-baseweb=tab] p', '[data-testid=stPageLink-NavLink] p'];
  const out = [];
  // Any text cut with an ellipsis too (a metric's label), a chosen value in a select aside.
  const cut = [...document.querySelectorAll('[data-testid=stMain] *, [data-testid=stSidebar] *')]
    .filter(el => getComputedStyle(el).textOverflow === 'ellipsis'
                  && !el.closest('[data-baseweb=select]'));
  for (const el of new Set([...document.querySelectorAll(sel.join(',')), ...cut])) {
    if (!el.closest('[data-testid=stMain], [data-testid=stSidebar]')) continue;
    if (el.clientWidth === 0 || !el.textContent.trim()) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      out.push([el.textContent.trim().slice(0, 60), el.scrollWidth, el.clientWidth]);
    }
  }
  return out;
}"""


def latin_words(texts: list[str]) -> set[str]:
    """The words in Latin script a Russian reader should not see."""
    found = set()
    for text in texts:
        for word in WORD.findall(text):
            word = word.strip(".-/")
            if not re.search(r"[A-Za-z]", word) or word in ABBREVIATIONS:
                continue
            if word in FILE_NAME_WORDS | LANGUAGE_NAMES or any(p.search(word) for p in ALLOWED):
                continue
            found.add(word)
    return found


@pytest.fixture(scope="module")
def ru_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("ru")
    url = f"sqlite:///{folder / 'kam.db'}"
    env = {**os.environ, "KAM_TODAY": TODAY}
    subprocess.run(
        [sys.executable, "-m", "kam", "demo", "--language", "ru", "--lines", "20000",
         "--database", url],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    srv = StreamlitServer(url, folder / "streamlit.log", {"KAM_TODAY": TODAY})
    yield srv
    srv.stop()


def _pages(page) -> list[str]:
    """The url paths in the navigation (shown in full: "View more" clicked when there)."""
    more = page.locator("[data-testid=stSidebarNavViewButton]")
    if more.count() and not re.search(r"less|меньше", more.inner_text(), re.I):
        more.click()
    links = page.locator("[data-testid=stSidebarNavLink]")
    paths = []
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href") or ""
        paths.append(urlsplit(href).path.strip("/"))
    return paths


@pytest.mark.parametrize("who", [HEAD, KAM], ids=["head", "kam"])
def test_every_page_reads_in_russian(ru_server, browser, artifacts, who):
    # A Russian reader's browser: the date fields' placeholders follow the browser's locale.
    context = new_context(browser, 1440, 900, locale="ru-RU")
    page = context.new_page()
    problems: list[str] = []
    try:
        page.goto(f"{ru_server.url}/?lang=ru&as={who}")
        wait_for_app(page, timeout=90_000)
        paths = _pages(page)
        assert len(paths) >= 8, paths
        for path in paths:
            page.goto(f"{ru_server.url}/{path}?lang=ru&as={who}")
            wait_for_app(page, timeout=90_000)
            name = path or "desk"
            if latin := latin_words(page.evaluate(VISIBLE_TEXT)):
                problems.append(f"{name}: Latin words {sorted(latin)}")
            if cut := page.evaluate(OVERFLOWING):
                problems.append(f"{name}: text overflows its box {cut}")
            prefix = "ru" if who == HEAD else "ru_kam"
            full_page(page, artifacts / f"{prefix}_{name}.png")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_review_slides_in_tv_mode(ru_server, browser, artifacts):
    context = new_context(browser, 1920, 1080, device_scale_factor=1, locale="ru-RU")
    page = context.new_page()
    problems: list[str] = []
    try:
        page.goto(f"{ru_server.url}/review?tv=1&lang=ru&as={HEAD}&slide=1")
        wait_for_app(page, timeout=90_000)
        page.wait_for_selector(".rv-slide[data-slide='1']", timeout=90_000)
        count = page.evaluate("+document.querySelector('.rv-slide').dataset.count")
        assert count >= 6
        for number in range(1, count + 1):
            page.goto(f"{ru_server.url}/review?tv=1&lang=ru&as={HEAD}&slide={number}")
            wait_for_app(page, timeout=90_000)
            page.wait_for_selector(f".rv-slide[data-slide='{number}']", timeout=60_000)
            page.wait_for_function(
                "[...document.querySelectorAll('.rv-chart img')].every(i => i.complete)"
            )
            if latin := latin_words(page.evaluate(VISIBLE_TEXT)):
                problems.append(f"slide {number}: Latin words {sorted(latin)}")
            if cut := page.evaluate(OVERFLOWING):
                problems.append(f"slide {number}: text overflows its box {cut}")
            # Longer Russian words must not push rows off the bottom of the slide either.
            tall, room = page.evaluate(
                "(() => { const s = document.querySelector('.rv-slide');"
                " return [s.scrollHeight, s.clientHeight]; })()"
            )
            if tall > room + 1:
                problems.append(f"slide {number}: content cut off at the bottom ({tall} > {room})")
            page.screenshot(path=str(artifacts / f"ru_review_{number:02d}.png"))
    finally:
        context.close()
    assert not problems, "\n".join(problems)
