"""Real browsers for the load test: a few Chromium pages changing the same filter as the light
client, to check that its figures agree with what a person waiting in a browser sees."""

from __future__ import annotations

import asyncio
import random
import sys
import time

from load_client import DONE
from playwright.async_api import Page, WebSocket, async_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

CHROMIUM = "/usr/bin/chromium"  # Debian's (make browser); Playwright cannot download its own
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
# A run ends when Streamlit's ForwardMsg.script_finished reaches the page's websocket (as the
# light client counts it). The script-state attribute in the DOM is not enough: a run quick
# enough to start and end within one render never turns it to "running", and a wait for that
# flip timed out (3 of 43 changes in the bench of 2 Dec).
IDLE = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll("[data-stale='true']").length === 0;
}"""


class Runs:
    """The end of every run a page's websocket reported, on this process's clock."""

    def __init__(self, page: Page) -> None:
        self.ends: list[float] = []
        self._changed = asyncio.Event()
        page.on("websocket", self._watch)

    def _watch(self, ws: WebSocket) -> None:
        if ws.url.endswith("/_stcore/stream"):
            ws.on("framereceived", self._frame)

    def _frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished in DONE:
            self.ends.append(time.perf_counter())
            self._changed.set()

    async def after(self, since: float, timeout: float) -> float:
        """The first end of a run after ``since``; waits for it up to ``timeout`` seconds."""
        async with asyncio.timeout(timeout):
            while not (later := [end for end in self.ends if end > since]):
                self._changed.clear()
                await self._changed.wait()
        return later[0]


async def _change(page: Page, runs: Runs, step: int) -> float:
    """One filter change on the ABC multiselect (add a class, then take it off); seconds from
    the action to the end of the run it caused, once the page has drawn it."""
    box = page.locator("[data-testid='stMultiSelect']").filter(has_text="ABC").first
    field = box.locator("input")
    if step % 2 == 0:
        await field.click()
        since = time.perf_counter()
        await page.get_by_role("option", name="ABC"[step // 2 % 3], exact=True).click()
    else:  # the class chosen last is the only one: take it off from the keyboard
        await field.focus()
        since = time.perf_counter()
        await page.keyboard.press("Backspace")
    await runs.after(since, timeout=120)
    await page.wait_for_function(IDLE, timeout=120_000)
    drawn = time.perf_counter()
    await page.keyboard.press("Escape")
    return drawn - since


async def browse(
    url: str, viewers: list[str], *, seconds: float, think: tuple[float, float]
) -> dict[str, list[float] | int]:
    """Open one Chromium page per viewer on the Clients page and change its filter every few
    seconds until ``seconds`` have passed; the change and opening latencies, and failures."""
    opens: list[float] = []
    changes: list[float] = []
    failures = 0
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            deadline = time.monotonic() + seconds

            async def person(index: int, viewer: str) -> None:
                nonlocal failures
                rng = random.Random(index)
                await asyncio.sleep(index * think[0] / max(len(viewers), 1))
                context = await browser.new_context(viewport={"width": 1440, "height": 900})
                page = await context.new_page()
                runs = Runs(page)
                started = time.perf_counter()
                await page.goto(f"{url}/clients?as={viewer}")
                await runs.after(started, timeout=120)
                await page.wait_for_function(IDLE, timeout=120_000)
                opens.append(time.perf_counter() - started)
                step = 2 * rng.randrange(3)  # even: the filter is empty, add a class first
                while True:
                    await asyncio.sleep(rng.uniform(*think))
                    if time.monotonic() >= deadline:
                        break
                    try:
                        changes.append(await _change(page, runs, step))
                    except Exception as exc:  # a timeout or a lost element: counted, not fatal
                        print(f"browser: a change failed: {exc!r:.300}", file=sys.stderr)
                        failures += 1
                    step += 1
                await context.close()

            await asyncio.gather(*(person(i, v) for i, v in enumerate(viewers)))
        finally:
            await browser.close()
    return {"opens": opens, "changes": changes, "failures": failures}
