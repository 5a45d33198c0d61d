"""``make bench``: every benchmark in one run, the figures written to bench/RESULTS.md.

Builds the demo at 1,000,000 and 5,000,000 sales lines on SQLite (under bench/out/) and at
5,000,000 on PostgreSQL (database ``kam_bench`` on 127.0.0.1:5432, user postgres) unless they are
already there, then, all as of KAM_TODAY=2026-12-01:

1. each page server-side in AppTest: cold (a fresh process per page and sample), warm reruns
   with varied filters, and the bare SQL under each page (bench/bench_pages.py); profiled in
   AppTest (bench/bench_profile.py) and in a real server with py-spy
   (bench/bench_server_profile.py);
2. each page in headless Chromium: opened by link, chosen in the menu, a filter change, beside a
   constant Streamlit page (bench/bench_browser.py, bench/constant_app.py);
3. three figures the usual way (pd.read_sql + pandas) against the project's functions
   (bench/bench_usual.py);
4. the import of 1,000,000 sales lines (bench/bench_import.py);
5. concurrent sessions (bench/bench_load.py, when present; it writes bench/out/load.md);
6. the CLI reports (bench/bench_reports.py).

The PostgreSQL page figures, the load and the reports run while the time budget lasts
(``--budget``, minutes); a step that is skipped or fails says so in RESULTS.md.

    .venv/bin/python bench/run.py [--budget 60] [--quick]   # --quick: a 200,000-line trial
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, PAGES, ROOT, loadavg, machine_facts, read_json, short_url  # noqa: E402

PY = sys.executable
RESULTS = ROOT / "bench" / "RESULTS.md"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_NAME = "kam_bench"
GOAL_LINK_RATIO = 2.0
GOAL_FILTER_P95_MS = 1000
GOAL_FIRST_MS = 2000
GOAL_WARM_P95_MS = 150
GOAL_USUAL_RATIO = 20


class Run:
    """The steps of this run: each a subprocess with a time limit, its output kept."""

    def __init__(self, budget_min: float) -> None:
        self.started = time.monotonic()
        self.budget = budget_min * 60
        self.notes: list[str] = []

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def left(self) -> float:
        return self.budget - self.elapsed()

    def step(self, title: str, args: list[str], log: str, timeout: float) -> bool:
        """Run ``python args`` from the project root, echo and keep its output; True on success."""
        print(f"\n== {title}  ({self.elapsed() / 60:.1f} min in, load {loadavg()})", flush=True)
        started = time.perf_counter()
        with (OUT / log).open("w") as fh:
            proc = subprocess.Popen(
                [PY, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True, start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )  # fmt: skip
            # The step's own process group (its servers and browser too), stopped at the limit.
            timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGTERM))
            timer.start()
            try:
                assert proc.stdout is not None
                for line in proc.stdout:
                    fh.write(line)
                    if "missing ScriptRunContext" not in line:
                        print("   " + line, end="", flush=True)
                code = proc.wait()
            finally:
                timer.cancel()
        took = time.perf_counter() - started
        print(f"   ({took:.0f} s, exit {code})", flush=True)
        if code != 0 and not (log == "import.log" and code == 1):  # 1: its 60 s goal missed
            self.notes.append(
                f"{title}: exit {code} after {took:.0f} s"
                + (" (stopped at its time limit)" if took >= timeout else "")
                + f"; output in bench/out/{log}"
            )
        return code == 0

    def skip(self, title: str) -> None:
        print(f"\n== {title}: skipped, time budget spent", flush=True)
        self.notes.append(f"{title}: skipped, the time budget was spent")


# --- the databases -------------------------------------------------------------------------


def sales_lines(url: str) -> int | None:
    """Sales lines in the database at ``url``; None when it cannot be read (absent, no schema)."""
    from sqlalchemy import create_engine, text

    from kam.core.config import normalise_url

    if url.startswith("sqlite") and not Path(url.split(":///", 1)[1]).exists():
        return None
    eng = create_engine(normalise_url(url))
    try:
        with eng.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM sales_lines")).scalar_one())
    except Exception:  # noqa: BLE001 - absent, unreachable or not migrated: build it
        return None
    finally:
        eng.dispose()


def database_line(url: str) -> str:
    """What the figures ran on: sales lines, schema revision and, where the schema has one, how
    many days the stored receivables allocation holds (read live when it holds none)."""
    from sqlalchemy import create_engine, text

    from kam.core.config import normalise_url

    line = f"{short_url(url)}: {sales_lines(url) or 0:,} sales lines"
    eng = create_engine(normalise_url(url))
    try:
        with eng.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            line += f", schema {revision}"
            try:
                days = conn.execute(text("SELECT count(*) FROM receivable_day")).scalar()
                line += (
                    f", receivables store: {days} days stored"
                    if days
                    else ", receivables store empty (read live)"
                )
            except Exception:  # noqa: BLE001 - a schema without the store
                conn.rollback()
    except Exception:  # noqa: BLE001
        pass
    finally:
        eng.dispose()
    return f"{line} (`{url}`)"


def ensure_pg_database() -> str | None:
    """The URL of ``kam_bench``, created if absent; None when PostgreSQL cannot be reached."""
    from sqlalchemy import create_engine, text

    from kam.core.config import normalise_url

    eng = create_engine(normalise_url(f"{PG_SERVER}/postgres"), isolation_level="AUTOCOMMIT")
    try:
        with eng.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_NAME}
            ).scalar()
            if not found:
                conn.execute(text(f'CREATE DATABASE "{PG_NAME}"'))
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
        return None
    finally:
        eng.dispose()
    return f"{PG_SERVER}/{PG_NAME}"


def ensure_demo(run: Run, url: str, lines: int) -> bool:
    """The demo at ``lines`` in ``url``: reused when the database holds it, else loaded."""
    have = sales_lines(url)
    if have:
        print(f"{short_url(url)}: reused, {have:,} sales lines", flush=True)
        if have != lines:
            run.notes.append(f"{short_url(url)} holds {have:,} sales lines, not {lines:,}")
        return True
    return run.step(
        f"demo, {lines:,} sales lines: {short_url(url)}",
        ["-m", "kam", "demo", "--lines", str(lines), "--database", url],
        f"demo-{lines}.log",
        timeout=40 * 60,
    )


# --- RESULTS.md ----------------------------------------------------------------------------


def ms(value: float | None) -> str:
    return "–" if value is None or value != value else f"{value:,.0f}"


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


def pages_section(label: str, data: dict | None, browser: dict | None) -> list[str]:
    if not data:
        return [f"_No server-side figures on {label}._", ""]
    lines = [
        f"### Server side (AppTest) — {label}",
        "",
        "| page | cold p50 | cold p95 | imports | SQL floor | statements | slowest statement "
        "| cold above floor | warm p50 | warm p95 | warm filter |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, p in data["pages"].items():
        floor = p.get("floor", {})
        err = " (error)" if p.get("error") or floor.get("error") else ""
        lines.append(
            f"| {name}{err} | {ms(p['cold']['p50'] * 1e3)} | {ms(p['cold']['p95'] * 1e3)} "
            f"| {ms(p.get('imports_s', float('nan')) * 1e3)} "
            f"| {ms(floor.get('floor_s', float('nan')) * 1e3)} | {floor.get('statements', '–')} "
            f"| {ms(floor.get('slowest_s', float('nan')) * 1e3)} | {ms(p['cold_above_floor_s'] * 1e3)} "
            f"| {ms(p['warm']['p50'] * 1e3)} | {ms(p['warm']['p95'] * 1e3)} | {p.get('filter') or '–'} |"
        )
    n_cold = max((p["cold"]["n"] for p in data["pages"].values()), default=0)
    n_warm = max((p["warm"]["n"] for p in data["pages"].values()), default=0)
    lines += [
        "",
        f"Milliseconds. Cold: {n_cold} samples, each a fresh Python process running the page "
        "once (imports, engine, schema check, every query uncached; the OS file cache is warm). "
        f"Warm: {n_warm} reruns cycling through the filter values after each was seen once. "
        "SQL floor: the read statements of the first cold run, executed again alone on the same "
        "connection setup (rows fetched, best of two); 'above floor' = cold p50 − floor. "
        "Imports: one fresh process importing what app.py and the page import (Streamlit "
        "already loaded) — the share of a cold run that is Python start-up, not data.",
        "",
    ]
    if browser:
        lines += browser_section(label, browser)
    return lines


def browser_section(label: str, data: dict) -> list[str]:
    const = data.get("constant", {}).get("drawn")
    lines = [f"### In the browser (Chromium) — {label}", ""]
    back = data.get("constant_returning", {}).get("drawn")
    if const:
        lines += [
            f"Constant page (bench/constant_app.py) opened by link: p50 {ms(const['p50'])} ms, "
            f"p95 {ms(const['p95'])} ms ({const['n']} samples)"
            + (f"; in a returning browser p50 {ms(back['p50'])} ms, p95 {ms(back['p95'])} ms."
               if back else "."),
            "",
        ]  # fmt: skip
    lines += [
        "| page | server cold | by link p50 | by link p95 | ÷ constant (p50) | returning p50 "
        "| returning p95 | menu p50 | menu p95 | filter p50 | filter p95 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, p in data["pages"].items():
        first = p.get("first", {}).get("drawn", {})
        later = p.get("later", {}).get("drawn", {})
        again = p.get("returning", {}).get("drawn", {})
        filt = p.get("filter", {}).get("drawn", {}) if p.get("filter") else {}
        ratio = first["p50"] / const["p50"] if const and first.get("n") else None
        errors = sum(
            p.get(k, {}).get("errors", 0) for k in ("first", "returning", "later", "filter")
        )
        lines.append(
            f"| {name}{' (errors shown: ' + str(errors) + ')' if errors else ''} "
            f"| {ms(p.get('server_cold', {}).get('drawn_ms'))} | {ms(first.get('p50'))} "
            f"| {ms(first.get('p95'))} | {'–' if ratio is None else f'{ratio:.1f}×'} "
            f"| {ms(again.get('p50'))} | {ms(again.get('p95'))} "
            f"| {ms(later.get('p50'))} | {ms(later.get('p95'))} | {ms(filt.get('p50'))} "
            f"| {ms(filt.get('p95'))} |"
        )
    lines += [
        "",
        f"Milliseconds, {data.get('samples')} samples each, from the user's action (navigation "
        "start, the click on the menu or the option, Enter in a search box) to the last change "
        "of the page once Streamlit's script state is notRunning and nothing is stale (the "
        "300 ms of quiet the tests wait for are not counted). By link: a fresh browser context "
        "(the session's first page in a browser that has never opened the app: Streamlit's "
        "scripts downloaded and compiled); returning: a new tab of a browser that opened the "
        "page before (a new session, the app's files from the browser's cache); menu: the page chosen in the sidebar of a session that has "
        "shown the other pages; filter: a value not chosen before on that page (Manager; Clients: "
        "a search; Plan fulfilment: the month; Competitors: the category; Plans: the month). "
        "Server cold: the first time the server drew the page (one sample). Client 360 by menu "
        "shows its search box (no client in the link).",
        "",
    ]
    for failure in data.get("failures", []):
        lines.append(f"- failed: {failure}")
    return lines + [""]


def usual_section(runs: list[tuple[str, dict]]) -> list[str]:
    lines = [
        "| database | figure | project s | usual way s | ratio | rows | rows differing |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, data in runs:
        for name, f in data["figures"].items():
            lines.append(
                f"| {label} | {name} | {f['project_s']:.3f} | {f['usual_s']:.3f} "
                f"| {f['ratio']:.1f}× | {f['rows']} | {f['rows_differing']} |"
            )
    for label, data in runs:
        for name, f in data["figures"].items():
            if f.get("profile"):
                lines += [
                    "",
                    f"Where the project's {name} goes ({label}, one run profiled, "
                    f"{f['project_s'] * 1000:,.0f} ms timed):",
                    "",
                    "| where | ms |",
                    "|---|---:|",
                ]
                lines += [f"| `{where}` | {ms:,.1f} |" for where, ms in f["profile"]]
    return lines + [
        "",
        "Median of the repeats (see each database's run: "
        + ", ".join(f"{label} ×{d['repeat']}" for label, d in runs)
        + "). Project: the function the page calls, uncached, in its own read transaction, the "
        "median of at least 5 runs after one that compiles its statements "
        "(the scorecard also works out forecasts). Usual way: `pd.read_sql` of the raw rows "
        "(all sales lines for the scorecard, the client's sales lines for the history, all "
        "invoices and payments for the ageing) and pandas group-bys; the ageing a vectorised "
        "FIFO allocation by docs/METRICS.md. Rows differing: figures more than a cent apart "
        "(plan, fact and last year; gross, returns, net and last year; outstanding, the five "
        "buckets and credit balance) or rows on one side only.",
        "",
    ]


def goals_section(pages: dict | None, browser: dict | None, usual: dict | None) -> list[str]:
    lines = [
        "| page | by link ≤ 2× constant (p50) | filter change p95 < 1 s | first page < 2 s (p50; p95) "
        "| warm rerun p95 < 150 ms |",
        "|---|---|---|---|---|",
    ]
    const = (browser or {}).get("constant", {}).get("drawn", {}).get("p50")
    for name in PAGES:
        b = (browser or {}).get("pages", {}).get(name, {})
        first = b.get("first", {}).get("drawn", {})
        filt = b.get("filter", {}).get("drawn", {}) if b.get("filter") else {}
        warm = (pages or {}).get("pages", {}).get(name, {}).get("warm", {})
        link = first["p50"] / const if const and first.get("n") else None
        cells = [f"{verdict(None if link is None else link <= GOAL_LINK_RATIO)}"
                 + ("" if link is None else f" ({link:.1f}×)")]  # fmt: skip
        if filt.get("n"):
            cells.append(f"{verdict(filt['p95'] < GOAL_FILTER_P95_MS)} ({ms(filt['p95'])} ms)")
        else:
            cells.append("– (no filter)")
        again = b.get("returning", {}).get("drawn", {})
        if first.get("n"):
            cell = f"new browser {verdict(first['p50'] < GOAL_FIRST_MS)} ({ms(first['p50'])}; {ms(first['p95'])} ms)"
            if again.get("n"):
                cell += f"; returning {verdict(again['p50'] < GOAL_FIRST_MS)} ({ms(again['p50'])}; {ms(again['p95'])} ms)"
            cells.append(cell)
        else:
            cells.append("–")
        if warm.get("n"):
            p95 = warm["p95"] * 1e3
            cells.append(f"{verdict(p95 < GOAL_WARM_P95_MS)} ({ms(p95)} ms)")
        else:
            cells.append("–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    if usual:
        lines.append(f"≥ {GOAL_USUAL_RATIO}× faster than the usual way ({usual['label']}):")
        lines.append("")
        for name, f in usual["data"]["figures"].items():
            ok = f["ratio"] >= GOAL_USUAL_RATIO and f["rows_differing"] == 0
            lines.append(
                f"- {name}: {verdict(ok)} ({f['ratio']:.1f}×, {f['rows_differing']} rows differing)"
            )
        lines.append("")
    return lines


def write_results(ctx: dict) -> None:
    facts = ctx["facts"]
    big, pg = ctx["big"], ctx["pg"]
    pages_big = read_json(OUT / "pages-sqlite.json")
    pages_pg = read_json(OUT / "pages-pg.json")
    browser_big = read_json(OUT / "browser-sqlite.json")
    browser_pg = read_json(OUT / "browser-pg.json")
    usual = [
        (label, d)
        for label, file in (
            ("SQLite 1M", "usual-sqlite1m.json"),
            ("SQLite 5M", "usual-sqlite.json"),
            ("PostgreSQL 5M", "usual-pg.json"),
        )  # fmt: skip
        if (d := read_json(OUT / file))
    ]
    usual_5m = next(({"label": lb, "data": d} for lb, d in usual if lb == "SQLite 5M"), None)
    parts = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`{ctx['command']}`) on {ctx['date']}; the run took "
        f"{ctx['minutes']:.0f} min. Every figure as of KAM_TODAY=2026-12-01, viewer: the head of "
        "sales (sees everyone), language English.",
        "",
        ctx.get("samples", ""),
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in facts.items()],
        f"- load average (1, 5, 15 min) at the start: {ctx['load_start']}; at the end: {ctx['load_end']}",
        "- The machine is shared: other work ran beside this benchmark (see the load), so the "
        "wall-clock figures carry its noise; the ratios between figures taken side by side "
        "(page ÷ constant page, usual ÷ project) carry less of it.",
        "",
        "## Databases",
        "",
        *[f"- {line}" for line in ctx["databases"]],
        "",
        "## Goals",
        "",
        f"On {short_url(big)} (server side and browser).",
        "",
        *goals_section(pages_big, browser_big, usual_5m),
        "## Pages",
        "",
        *pages_section(short_url(big), pages_big, browser_big),
    ]
    if pg:
        parts += pages_section(short_url(pg), pages_pg, browser_pg)
    profiles = OUT / "profiles.md"
    if profiles.exists() and profiles.stat().st_mtime >= ctx["started_at"]:
        parts += [f"### Where a warm rerun goes — {short_url(big)}", ""]
        parts += ["#" + line if line.startswith("###") else line
                  for line in profiles.read_text().splitlines()] + [""]  # fmt: skip
    server_profile = OUT / "server-profile.md"
    if server_profile.exists() and server_profile.stat().st_mtime >= ctx["started_at"]:
        parts += [f"### Where a real server's CPU goes — {short_url(big)}", ""]
        parts += [*server_profile.read_text().splitlines(), ""]
    parts += ["## The usual way", "", *usual_section(usual)]
    for title, log in (("Import of 1,000,000 sales lines", "import.log"),
                       ("CLI reports on 5,000,000 lines", "reports.log")):  # fmt: skip
        text = (OUT / log).read_text() if (OUT / log).exists() else "(not run)"
        parts += [f"## {title}", "", "```", text.strip(), "```", ""]
    load = OUT / "load.md"
    if load.exists() and load.stat().st_mtime >= ctx["started_at"]:
        body = load.read_text().strip().splitlines()
        parts += ["## Concurrent sessions (bench/bench_load.py)", ""]
        parts += ["#" + line if line.startswith("#") else line for line in body] + [""]
    elif (ROOT / "bench" / "bench_load.py").exists():
        parts += [
            "## Concurrent sessions",
            "",
            "bench/out/load.md was not written by this run.",
            "",
        ]
    if ctx["notes"]:
        parts += ["## Steps that did not run or did not finish", ""]
        parts += [f"- {n}" for n in ctx["notes"]] + [""]
    RESULTS.write_text("\n".join(parts))
    print(f"\nwrote {RESULTS.relative_to(ROOT)}", flush=True)


# --- the run -------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=60, help="minutes (default 60)")
    parser.add_argument(
        "--quick", action="store_true", help="a trial on 200,000 lines, few samples"
    )
    parser.add_argument("--no-pg", dest="pg", action="store_false", help="leave PostgreSQL out")
    args = parser.parse_args()
    os.environ["KAM_TODAY"] = "2026-12-01"
    OUT.mkdir(parents=True, exist_ok=True)
    started_at = time.time()
    for stale in OUT.glob("*.json"):
        stale.unlink()
    run = Run(args.budget)
    ctx: dict = {
        "command": " ".join([Path(PY).name, "bench/run.py", *sys.argv[1:]]),
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "load_start": loadavg(),
        "facts": machine_facts(),
        "started_at": started_at,
        "databases": [],
    }
    big_lines, mid_lines = (200_000, 100_000) if args.quick else (5_000_000, 1_000_000)
    big = f"sqlite:///{OUT / ('quick-kam200k.db' if args.quick else 'kam5m.db')}"
    mid = f"sqlite:///{OUT / ('quick-kam100k.db' if args.quick else 'kam1m.db')}"
    ensure_demo(run, mid, mid_lines)
    ensure_demo(run, big, big_lines)
    pg = ensure_pg_database() if args.pg and not args.quick else None
    if pg and not ensure_demo(run, pg, big_lines):
        pg = None
    for url in (mid, big, pg):
        if url:
            ctx["databases"].append(
                f"{short_url(url)}: {sales_lines(url) or 0:,} sales lines ({url})"
            )
    if args.pg and not args.quick and not pg:
        run.notes.append(
            "PostgreSQL: not reachable or the demo could not be loaded; its figures are missing"
        )
    ctx["big"], ctx["pg"] = big, pg

    cold, warm, samples, usual_repeat = (1, 5, 2, 1) if args.quick else (3, 20, 6, 1)
    pages = ["--pages", ",".join(PAGES)]
    ctx["samples"] = (
        f"Samples: server side {cold} cold processes and {warm} warm reruns per page; browser "
        f"{samples} per page and figure on {short_url(big)} (fewer than 10, to fit the time "
        "budget on this shared 2-core machine), 4 on PostgreSQL; the usual way: the median of "
        f"2 runs on 1M and of {usual_repeat} on 5M (one pandas read of 5M rows takes minutes)."
    )
    # Over its third minute per page cold sample, the step is stuck: the limits say so.
    run.step(f"pages server-side: {short_url(big)}",
             ["bench/bench_pages.py", "--database", big, "--cold", str(cold), "--warm", str(warm),
              "--out", str(OUT / "pages-sqlite.json"), *pages], "pages-sqlite.log", 25 * 60)  # fmt: skip
    run.step(f"warm reruns profiled: {short_url(big)}",
             ["bench/bench_profile.py", "--database", big, "--out", str(OUT / "profiles.md")],
             "profiles.log", 10 * 60)  # fmt: skip
    run.step(f"a real server profiled (py-spy): {short_url(big)}",
             ["bench/bench_server_profile.py", "--database", big,
              "--out", str(OUT / "server-profile.md")], "server-profile.log", 8 * 60)  # fmt: skip
    run.step(f"pages in the browser: {short_url(big)}",
             ["bench/bench_browser.py", "--database", big, "--samples", str(samples),
              "--out", str(OUT / "browser-sqlite.json")], "browser-sqlite.log", 25 * 60)  # fmt: skip
    for url, file in ((mid, "usual-sqlite1m"), (big, "usual-sqlite")):
        run.step(f"the usual way: {short_url(url)}",
                 ["bench/bench_usual.py", "--database", url, "--repeat", str(2 if url == mid else usual_repeat),
                  "--out", str(OUT / f"{file}.json")], f"{file}.log", 15 * 60)  # fmt: skip
    run.step("import of 1,000,000 sales lines from CSV",
             ["bench/bench_import.py", *(["--lines", "100000"] if args.quick else [])],
             "import.log", 10 * 60)  # fmt: skip
    if (ROOT / "bench" / "bench_load.py").exists() and not args.quick:
        if run.left() > 8 * 60:
            run.step("concurrent sessions (bench/bench_load.py)",
                     ["bench/bench_load.py", "--database", big,
                      *(["--pg-database", pg] if pg else [])], "load.log",
                     max(run.left() - 6 * 60, 8 * 60))  # fmt: skip
        else:
            run.skip("concurrent sessions (bench/bench_load.py)")
    if pg:
        if run.left() > 6 * 60:
            run.step(f"the usual way: {short_url(pg)}",
                     ["bench/bench_usual.py", "--database", pg, "--repeat", "1",
                      "--out", str(OUT / "usual-pg.json")], "usual-pg.log", 10 * 60)  # fmt: skip
        else:
            run.skip(f"the usual way: {short_url(pg)}")
        if run.left() > 8 * 60:
            run.step(f"pages server-side: {short_url(pg)}",
                     ["bench/bench_pages.py", "--database", pg, "--cold", "2", "--warm", "20",
                      "--out", str(OUT / "pages-pg.json"), *pages], "pages-pg.log",
                     max(run.left(), 8 * 60))  # fmt: skip
        else:
            run.skip(f"pages server-side: {short_url(pg)}")
        if run.left() > 8 * 60:
            run.step(f"pages in the browser: {short_url(pg)}",
                     ["bench/bench_browser.py", "--database", pg, "--samples", "4",
                      "--skip-constant", "--out", str(OUT / "browser-pg.json")], "browser-pg.log",
                     max(run.left(), 8 * 60))  # fmt: skip
        else:
            run.skip(f"pages in the browser: {short_url(pg)}")
    if run.left() > 3 * 60:
        run.step("CLI reports", ["bench/bench_reports.py", "--database", big, "--repeat", "2"],
                 "reports.log", max(run.left(), 3 * 60))  # fmt: skip
    else:
        run.skip("CLI reports")

    ctx.update(load_end=loadavg(), notes=run.notes, minutes=run.elapsed() / 60)
    write_results(ctx)
    (OUT / "run.json").write_text(json.dumps({k: v for k, v in ctx.items()}, default=str, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
