"""Each page in a real browser (headless Chromium through Playwright) against a real server, and
a constant Streamlit page (bench/constant_app.py) on its own server as the yardstick.

    .venv/bin/python bench/bench_browser.py --database sqlite:////tmp/kam.db [--samples 10]

Times, from the user's action to the moment the run finished and the page was drawn (the last
change to the DOM once Streamlit says notRunning and nothing is stale; the quiet time the
tests wait for on top is not counted):

- first: the page opened by link in a fresh browser context — the session's first page, the
  browser's first visit (nothing cached);
- returning: the page opened by link in a new tab of a browser that has opened it before — the
  session's first page, the app's files from the browser's cache;
- later: the page chosen in the menu, in a session that has shown other pages;
- filter: one filter change on the page (bench.common.PAGES), a value not chosen before;
- server cold: the very first time this server draws the page (one sample, no repeat).
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, PAGES, ROOT, app_server, script_server, summary, write_json  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SETTLED, new_context  # noqa: E402

TIMEOUT_MS = 300_000
MENU_TIMEOUT_MS = 60_000  # a page of a session that has drawn it before
# Also installed before the page's scripts (new_context installs the DOM watch): the user's
# last input and every start and end of a script run, from Streamlit's own state attribute.
WATCH_RUNS = """
window.__kamRuns = 0; window.__kamRunEnd = 0; window.__kamInput = 0;
for (const type of ['pointerdown', 'click']) {
  document.addEventListener(type, () => { window.__kamInput = performance.now(); }, true);
}
document.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') window.__kamInput = performance.now(); }, true);
new MutationObserver((records) => {
  for (const r of records) {
    const now = r.target.getAttribute('data-test-script-state');
    if (r.oldValue !== 'running' && now === 'running') window.__kamRuns += 1;
    if (now === 'notRunning') window.__kamRunEnd = performance.now();
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""
# Settled after run number ``runs``: at least one more run started and the page is quiet.
AFTER_RUN = "(runs) => window.__kamRuns > runs && (" + SETTLED + ")()"
# After a menu click: a run seen, or the new page's heading up (a run so quick that the browser
# never drew its "running" state is not seen as a run); then settled.
AFTER_MENU = (
    "([runs, heading]) => (window.__kamRuns > runs || [...document.querySelectorAll("
    "\"[data-testid='stMain'] h1\")].some(h => h.textContent.trim() === heading)) && ("
    + SETTLED
    + ")()"
)
NAV_TITLES = {
    "desk": "My desk",
    "clients": "Clients",
    "client": "Client 360",
    "plan": "Plan fulfilment",
    "receivables": "Receivables",
    "claims": "Claims and returns",
    "competitors": "Competitors",
    "week": "Weekly plan",
    "plans": "Plans",
    "review": "Weekly review",
}


def _context(browser: Browser):  # noqa: ANN202
    context = new_context(browser)
    context.add_init_script(WATCH_RUNS)
    return context


def _settle(
    page: Page, runs: int, since: str, timeout: float = TIMEOUT_MS, heading: str | None = None
) -> dict:
    """Wait for the run after ``runs`` to finish (or, after a menu click, for the page with
    ``heading``) and the page to settle; milliseconds from ``since`` (a JS expression) to the
    last DOM change and to the run's end."""
    if heading is None:
        page.wait_for_function(AFTER_RUN, arg=runs, timeout=timeout)
    else:
        page.wait_for_function(AFTER_MENU, arg=[runs, heading], timeout=timeout)
    errors = page.locator("[data-testid='stException']").count()
    t = page.evaluate(
        f"() => [{since}, window.__kamLastChange, window.__kamRunEnd, window.__kamRuns]"
    )
    return {"drawn_ms": t[1] - t[0], "run_end_ms": t[2] - t[0], "errors": errors}


def _url(base: str, name: str) -> str:
    spec = PAGES[name]
    query = "&".join(f"{k}={v}" for k, v in spec.params.items())
    return f"{base}/{spec.url}" + (f"?{query}" if query else "")


def open_by_link(browser: Browser, url: str) -> dict:
    """A fresh context opens ``url``: from navigation start to drawn."""
    context = _context(browser)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        return _settle(page, 0, "0")
    finally:
        context.close()


def open_returning(browser: Browser, url: str, n: int) -> list[dict]:
    """``n`` new tabs open ``url`` in one browser context that has opened it once: each tab a
    new session, the app's files from the browser's cache, as a returning user's browser has
    them (Streamlit's files are named by their content and cached for a year)."""
    context = _context(browser)
    try:
        first = context.new_page()
        first.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        _settle(first, 0, "0")
        first.close()
        samples = []
        for _ in range(n):
            page = context.new_page()
            page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
            samples.append(_settle(page, 0, "0"))
            page.close()
        return samples
    finally:
        context.close()


def _runs(page: Page) -> int:
    return int(page.evaluate("() => window.__kamRuns"))


def choose_in_menu(page: Page, name: str) -> dict:
    runs = _runs(page)
    title = re.escape(NAV_TITLES[name])
    link = page.locator("[data-testid='stSidebarNav'] a").filter(has_text=re.compile(f"{title}$"))
    link.first.click(timeout=60_000)
    return _settle(
        page, runs, "window.__kamInput", timeout=MENU_TIMEOUT_MS, heading=NAV_TITLES[name]
    )


def change_filter(page: Page, name: str, k: int) -> dict:
    """The k-th change of the page's filter: the next option of a select, or the next text."""
    flt = PAGES[name].filter
    assert flt is not None
    runs = _runs(page)
    if flt.kind == "text":
        box = page.get_by_label(flt.label).first
        box.fill(f"C{k + 1:03}")
        box.press("Enter")
    else:
        page.get_by_label(flt.label).first.click()
        options = page.get_by_role("option")
        options.first.wait_for(timeout=TIMEOUT_MS)
        options.nth((k + 1) % options.count()).click()
    return _settle(page, runs, "window.__kamInput")


def _failed(page: Page | None, what: str, exc: Exception, results: dict) -> None:
    """A step that did not finish: its error and a screenshot under bench/out/, then go on."""
    shot = OUT / f"failed-{what}.png"
    with contextlib.suppress(Exception):  # the page may be gone
        page.screenshot(path=str(shot))  # type: ignore[union-attr]
    message = f"{what}: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
    results.setdefault("failures", []).append(message)
    print("FAILED", message, file=sys.stderr, flush=True)


def _stats(samples: list[dict]) -> dict:
    return {
        "drawn": summary([s["drawn_ms"] for s in samples]),
        "run_end": summary([s["run_end_ms"] for s in samples]),
        "errors": sum(s["errors"] for s in samples),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, metavar="URL")
    parser.add_argument("--samples", type=int, default=10, help="samples per page and figure")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated page names")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--skip-constant", action="store_true", dest="skip_constant")
    args = parser.parse_args()
    names = [n for n in args.pages.split(",") if n in PAGES]
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {"database": args.database, "samples": args.samples, "pages": {}}

    def save() -> None:
        if args.out:
            write_json(args.out, results)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            if not args.skip_constant:
                server = script_server(ROOT / "bench" / "constant_app.py", OUT / "constant.log")
                try:
                    open_by_link(browser, server.url)  # the server's first session, not counted
                    samples = [open_by_link(browser, server.url) for _ in range(args.samples)]
                    results["constant"] = _stats(samples)
                    results["constant_returning"] = _stats(
                        open_returning(browser, server.url, args.samples)
                    )
                    print(f"constant page by link: p50 {results['constant']['drawn']['p50']:.0f} ms, "
                          f"p95 {results['constant']['drawn']['p95']:.0f} ms", flush=True)  # fmt: skip
                finally:
                    server.stop()
                save()
            server = app_server(args.database, OUT / "streamlit.log")
            try:
                measure_app(browser, server.url, names, args.samples, results, save)
            finally:
                server.stop()
        finally:
            browser.close()
    save()
    return 0


def measure_app(browser: Browser, base: str, names: list[str], n: int, results: dict, save) -> None:  # noqa: ANN001
    pages = results["pages"]
    print(f"{'page':<12} {'server cold':>11} {'first p50':>9} {'p95':>6} {'later p50':>9} "
          f"{'p95':>6} {'filter p50':>10} {'p95':>6}  (ms)", flush=True)  # fmt: skip
    for name in names:
        started = time.perf_counter()
        pages[name] = {}
        try:
            pages[name]["server_cold"] = open_by_link(browser, _url(base, name))
            pages[name]["first"] = _stats(
                [open_by_link(browser, _url(base, name)) for _ in range(n)]
            )
            pages[name]["returning"] = _stats(open_returning(browser, _url(base, name), n))
        except Exception as exc:
            _failed(None, f"first-{name}", exc, results)
        save()
        print(f"  {name}: first visits done in {time.perf_counter() - started:.0f} s", flush=True)

    # Later visits: one session goes round the menu n times (the first round starts on desk).
    later: dict[str, list[dict]] = {name: [] for name in names}
    order = [x for x in names if x != "desk"] + (["desk"] if "desk" in names else [])
    rounds = 0
    while rounds < n:
        context, page = _context(browser), None
        try:
            page = context.new_page()
            page.goto(_url(base, "desk"), wait_until="commit", timeout=TIMEOUT_MS)
            _settle(page, 0, "0")
            while rounds < n:
                for name in order:
                    later[name].append(choose_in_menu(page, name))
                rounds += 1
        except Exception as exc:  # a stuck click: say so, start a new session, go on
            rounds += 1
            _failed(page, "later", exc, results)
        finally:
            context.close()
    for name in names:
        pages[name]["later"] = _stats(later[name])
    save()

    for name in names:
        if PAGES[name].filter is None:
            continue
        context, page = _context(browser), None
        samples: list[dict] = []
        try:
            page = context.new_page()
            page.goto(_url(base, name), wait_until="commit", timeout=TIMEOUT_MS)
            _settle(page, 0, "0")
            for k in range(n):
                samples.append(change_filter(page, name, k))
        except Exception as exc:
            _failed(page, f"filter-{name}", exc, results)
        finally:
            context.close()
        pages[name]["filter"] = _stats(samples)
        save()

    for name in names:
        p = pages[name]

        def cell(key: str, p=p) -> str:  # noqa: ANN001
            got = p.get(key, {}).get("drawn", {})
            return f"{got['p50']:9.0f} {got['p95']:6.0f}" if got.get("n") else f"{'-':>9} {'-':>6}"

        cold = p.get("server_cold", {}).get("drawn_ms", float("nan"))
        print(
            f"{name:<12} {cold:11.0f} {cell('first')} {cell('later')} {cell('filter')}", flush=True
        )


if __name__ == "__main__":
    sys.exit(main())
