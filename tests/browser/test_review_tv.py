"""The weekly review in TV mode in a real Chromium at 1920×1080 and 3840×2160: every slide fits
the screen, type is large enough to read across the room, slides advance by themselves, and a
data refresh keeps the slide on the wall. Screenshots: tests/artifacts/review_*.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from kam import review
from kam.activities import claims
from kam.core import audit, clock, db
from kam.core.access import Viewer
from kam.core.models import Client, Manager
from tests.browser.conftest import expect_no_exception, new_context, wait_for_app

pytestmark = pytest.mark.browser

SIZES = [(1920, 1080), (3840, 2160)]
KEY_MIN, TEXT_MIN = 48, 20
MEASURE = """() => {
  const slide = document.querySelector('.rv-slide');
  const main = document.querySelector('[data-testid=stMain]');
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('style, script, noscript')) continue;
    const box = el.getBoundingClientRect();
    const css = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || css.visibility === 'hidden') continue;
    // The "skip to main content" link is visually hidden until focused (a 1 px clipped box).
    if (box.width <= 1 || box.height <= 1 || css.clipPath.startsWith('inset(50%')
        || css.clip.startsWith('rect(0')) continue;
    if (box.bottom < 0 || box.top > innerHeight || box.right < 0 || box.left > innerWidth) continue;
    const size = parseFloat(css.fontSize);
    if (size < TEXT_MIN) small.push([node.textContent.trim().slice(0, 40), size]);
  }
  return {
    doc: document.documentElement.scrollHeight,
    inner: innerHeight,
    main: [main.scrollHeight, main.clientHeight],
    slide: [slide.scrollHeight, slide.clientHeight, slide.getBoundingClientRect().bottom],
    keys: [...document.querySelectorAll('.rv-key')].map(k => parseFloat(getComputedStyle(k).fontSize)),
    small: small,
    number: +slide.dataset.slide, count: +slide.dataset.count, key: slide.dataset.key,
    // A key figure or a line under it wider than its card: cut, or running past its edge.
    cut: [...document.querySelectorAll('.rv-key, .rv-line')]
      .filter(e => e.scrollWidth > e.clientWidth).map(e => [e.textContent, e.scrollWidth, e.clientWidth]),
    values: [...document.querySelectorAll('.rv-key, .rv-line')].length,
  };
}""".replace("TEXT_MIN", str(TEXT_MIN))


def _showing(page, number: int, timeout: float = 60_000) -> None:
    page.wait_for_selector(f".rv-slide[data-slide='{number}']", timeout=timeout)
    # The chart is a picture: let it load before measuring and taking the screenshot.
    page.wait_for_function(
        "[...document.querySelectorAll('.rv-chart img')].every(i => i.complete)", timeout=timeout
    )


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["1080p", "2160p"])
def test_every_slide_fits_and_reads_from_across_the_room(server, browser, artifacts, width, height):  # fmt: skip
    context = new_context(browser, width, height, device_scale_factor=1)  # fmt: skip
    page = context.new_page()
    try:
        page.goto(f"{server.url}/review?tv=1&slide=1")
        wait_for_app(page, timeout=90_000)
        _showing(page, 1, timeout=90_000)
        count = page.evaluate("+document.querySelector('.rv-slide').dataset.count")
        assert count >= 6
        for number in range(1, count + 1):
            if number > 1:
                page.locator(".st-key-rv-nav button:visible").last.click()
                page.mouse.move(width / 2, 5)  # nobody's pointer rests on the wall
                _showing(page, number)
                wait_for_app(page, timeout=60_000)
            m = page.evaluate(MEASURE)
            where = f"slide {number} ({m['key']}) at {width}×{height}"
            assert m["number"] == number, where
            assert m["doc"] <= m["inner"], f"{where}: the page scrolls ({m['doc']} > {m['inner']})"
            assert m["main"][0] <= m["main"][1], f"{where}: the main block scrolls {m['main']}"
            assert m["slide"][0] <= m["slide"][1] + 1, f"{where}: content cut off {m['slide']}"
            assert m["slide"][2] <= height + 1, f"{where}: the slide runs off the screen"
            if m["key"] not in ("movers", "market"):  # those two are tables only
                assert m["keys"], f"{where}: no key figure"
            assert all(size >= KEY_MIN for size in m["keys"]), f"{where}: key figures {m['keys']}"
            assert not m["cut"], f"{where}: wider than their card: {m['cut']}"
            assert not m["small"], f"{where}: text under {TEXT_MIN}px: {m['small'][:5]}"
            page.screenshot(path=str(artifacts / f"review_{width}x{height}_{number:02d}_{m['key']}.png"))  # fmt: skip
        expect_no_exception(page)
        # Chrome is hidden: no sidebar, header or toolbar on the wall.
        for testid in ("stSidebar", "stHeader", "stToolbar"):
            assert not page.locator(f"[data-testid='{testid}']").is_visible()
    finally:
        context.close()


def test_a_presentation_clicker_changes_slides(server, browser, artifacts):
    """What a clicker sends (Page Down/Up), the arrows and Space move the slide and the URL."""
    context = new_context(browser, 1920, 1080)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/review?tv=1&slide=1")
        wait_for_app(page, timeout=90_000)
        _showing(page, 1, timeout=90_000)
        page.mouse.click(960, 540)  # the wall's browser has the focus, not a button
        for key, number in [("ArrowRight", 2), ("PageDown", 3), ("Space", 4), ("ArrowLeft", 3),
                            ("PageUp", 2)]:  # fmt: skip
            page.keyboard.press(key)
            _showing(page, number, timeout=30_000)
            page.wait_for_url(re.compile(rf"[?&]slide={number}\b"), timeout=10_000)
            assert page.evaluate("+document.querySelector('.rv-slide').dataset.slide") == number, key
        # The page itself never scrolled away from the slide.
        assert page.evaluate("scrollY") == 0
        expect_no_exception(page)
    finally:
        context.close()


def test_slides_advance_by_themselves(server, browser):
    context = new_context(browser, 1920, 1080)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/review?tv=1&advance=3&slide=2")
        wait_for_app(page, timeout=90_000)
        _showing(page, 2, timeout=90_000)
        _showing(page, 3, timeout=20_000)
        page.wait_for_url(re.compile(r"[?&]slide=3\b"), timeout=5_000)
        _showing(page, 4, timeout=20_000)
    finally:
        context.close()


def _open_a_claim(url: str, day: dt.date) -> None:
    """A new claim, opened on the review date by the client's own manager, written via kam."""
    with db.writing(db.engine(url)) as s:
        client_id, manager_id, name = s.execute(
            select(Client.id, Manager.id, Manager.name)
            .join(Manager, Manager.id == Client.manager_id)
            .where(Manager.role == "kam")
            .order_by(Client.id)
        ).first()
        claims.open_claim(
            s,
            viewer=Viewer(name=name, role="kam", manager_id=manager_id),
            actor=audit.Actor(name=name, id=manager_id),
            form=claims.ClaimForm(client_id=client_id, kind="damage", opened_on=day, amount="10"),
            today=day,
        )


def test_a_data_refresh_keeps_the_slide(writable_server, browser, artifacts):
    server, url = writable_server
    context = new_context(browser, 1920, 1080)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/review?tv=1&refresh=2&slide=1")
        wait_for_app(page, timeout=90_000)
        _showing(page, 1, timeout=90_000)
        count = page.evaluate("+document.querySelector('.rv-slide').dataset.count")
        changes = count - 3  # what changed: fourth from the end
        page.goto(f"{server.url}/review?tv=1&refresh=2&slide={changes}")
        wait_for_app(page, timeout=90_000)
        _showing(page, changes, timeout=90_000)
        tile = page.locator(".rv-tile", has=page.locator(".rv-label", has_text="Claims opened"))
        before = int(tile.locator(".rv-key").inner_text())
        today = clock.today()
        _open_a_claim(url, review.review_week(today, today).review_date)
        page.wait_for_function(
            """([before]) => {
              const tiles = [...document.querySelectorAll('.rv-tile')];
              const t = tiles.find(t => t.querySelector('.rv-label').textContent === 'Claims opened');
              return t && +t.querySelector('.rv-key').textContent === before + 1;
            }""",
            arg=[before],
            timeout=30_000,
        )
        assert page.evaluate("+document.querySelector('.rv-slide').dataset.slide") == changes
        assert re.search(rf"[?&]slide={changes}\b", page.url)
        page.screenshot(path=str(artifacts / "review_refreshed.png"))
    finally:
        context.close()
