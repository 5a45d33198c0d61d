"""Real browsers for the load test: a few Chromium pages changing the same filter as the light
client, to check that its figures agree with what a person waiting in a browser sees."""

from __future__ import annotations

import asyncio
import random
import sys
import time

from playwright.async_api import Page, async_playwright

CHROMIUM = "/usr/bin/chromium"  # Debian's (make browser); Playwright cannot download its own
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
# The time of every end of a run (the app's script state turning "notRunning"), recorded by
# the page itself, so the latency does not include Playwright's polling.
WATCH_RUNS = """
window.__kamRunEnd = 0;
new MutationObserver((changes) => {
  for (const c of changes) {
    if (c.target.getAttribute('data-test-script-state') === 'notRunning') {
      window.__kamRunEnd = performance.now();
    }
  }
}).observe(document, {subtree: true, attributes: true,
                      attributeFilter: ['data-test-script-state']});
"""
IDLE = """(since) => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && window.__kamRunEnd > since
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll("[data-stale='true']").length === 0;
}"""


async def _change(page: Page, step: int) -> float:
    """One filter change on the ABC multiselect (add a class, then take it off); seconds from
    the action to the end of the run it caused."""
    box = page.locator("[data-testid='stMultiSelect']").filter(has_text="ABC").first
    field = box.locator("input")
    since = await page.evaluate("performance.now()")
    if step % 2 == 0:
        await field.click()
        await page.get_by_role("option", name="ABC"[step // 2 % 3], exact=True).click()
    else:  # the class chosen last is the only one: take it off from the keyboard
        await field.focus()
        await page.keyboard.press("Backspace")
    await page.wait_for_function(IDLE, arg=since, timeout=120_000)
    ended = await page.evaluate("window.__kamRunEnd")
    await page.keyboard.press("Escape")
    return (ended - since) / 1000


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
                await context.add_init_script(WATCH_RUNS)
                page = await context.new_page()
                started = time.perf_counter()
                await page.goto(f"{url}/clients?as={viewer}")
                await page.wait_for_function(IDLE, arg=0, timeout=120_000)
                opens.append(time.perf_counter() - started)
                step = 2 * rng.randrange(3)  # even: the filter is empty, add a class first
                while True:
                    await asyncio.sleep(rng.uniform(*think))
                    if time.monotonic() >= deadline:
                        break
                    try:
                        changes.append(await _change(page, step))
                    except Exception as exc:  # a timeout or a lost element: counted, not fatal
                        print(f"browser: a change failed: {exc!r:.300}", file=sys.stderr)
                        failures += 1
                    step += 1
                await context.close()

            await asyncio.gather(*(person(i, v) for i, v in enumerate(viewers)))
        finally:
            await browser.close()
    return {"opens": opens, "changes": changes, "failures": failures}
