"""Server-side time of each page's run on a database, in Streamlit's AppTest (the same script code
a server runs, without the browser): cold, warm, and the bare SQL under it.

    .venv/bin/python bench/bench_pages.py --database sqlite:////tmp/kam.db [--cold 5] [--warm 20]

- cold: the page's first run in a fresh Python process (one process per page and sample):
  imports, the engine, the schema check and every query with nothing cached;
- warm: reruns of the page in one process after each filter value was seen once, cycling
  through the page's filter values (bench.common.PAGES) — a filter change a user already made;
- SQL floor: the statements of the page's cold run, captured with SQLAlchemy's cursor events and
  executed again alone on a raw connection (rows fetched), best of two; the page's time above
  it is what the page costs beyond its queries.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PAGES, ROOT, set_filter, summary, write_json  # noqa: E402
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from streamlit.util import calc_hash  # noqa: E402


def _route_through_app() -> None:
    # AppTest resets "pages/ folder" routing before every run; a server routes through app.py
    # (tests/apptest.py says why).
    original = PagesManager.__init__

    def init(self, *a, **kw):  # noqa: ANN001, ANN002, ANN003
        original(self, *a, **kw)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def _app(name: str, viewer: str | None) -> AppTest:
    spec = PAGES[name]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if viewer:
        at.query_params["as"] = viewer
    for key, value in spec.params.items():
        at.query_params[key] = value
    at.switch_page(spec.file)  # before the first run: the page is found by its file name,
    if (
        spec.url and spec.url != Path(spec.file).stem
    ):  # so one whose url_path differs is given its hash
        at._page_hash = calc_hash(spec.url)  # as st.Page makes it (AppTest's own attribute)
    return at


def _timed_run(at: AppTest) -> float:
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started


class Statements:
    """Every statement run on any engine while capturing, with its parameters and its time."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, object, object]] = []
        self.in_run = 0.0
        self._started: dict[int, float] = {}

    def install(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        event.listen(Engine, "before_cursor_execute", self._before)
        event.listen(Engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG002
        if not executemany and statement.split(None, 1)[0].upper() in ("SELECT", "WITH"):
            url = conn.engine.url.render_as_string(hide_password=False)
            self.seen.append((url, statement, parameters))
        self._started[id(cursor)] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG002
        started = self._started.pop(id(cursor), None)
        if started is not None:
            self.in_run += time.perf_counter() - started

    def replay(self) -> dict:
        """Each captured read executed again alone, rows fetched: best of two per statement."""
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        from kam.core import db

        event.remove(Engine, "before_cursor_execute", self._before)
        event.remove(Engine, "after_cursor_execute", self._after)
        total, slowest = 0.0, (0.0, "")
        for url, statement, parameters in self.seen:
            # The same connection setup and read transaction as the page's, nothing else.
            with db.engine(url).connect() as conn, conn.begin():
                best = float("inf")
                for _ in range(2):
                    started = time.perf_counter()
                    conn.exec_driver_sql(statement, parameters).fetchall()
                    best = min(best, time.perf_counter() - started)
            total += best
            if best > slowest[0]:
                slowest = (best, " ".join(statement.split())[:160])
        return {
            "floor_s": total,
            "statements": len(self.seen),
            "in_run_execute_s": self.in_run,
            "slowest_s": slowest[0],
            "slowest_sql": slowest[1],
        }


def import_time(name: str) -> float:
    """Seconds to import what app.py and the page import, in this fresh process (Streamlit and
    AppTest already loaded, as in a cold sample): the part of a cold run that is no query."""
    import ast
    import contextlib
    import importlib

    modules: list[str] = []
    for path in ("app.py", PAGES[name].file):
        for node in ast.walk(ast.parse((ROOT / path).read_text())):
            if isinstance(node, ast.Import):
                modules += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    started = time.perf_counter()
    for module in modules:
        with contextlib.suppress(ImportError):  # a name imported from a module, not a module
            importlib.import_module(module)
    return time.perf_counter() - started


def cold_sample(name: str, viewer: str | None, floor: bool) -> dict:
    """One cold run of a page in this (fresh) process; with ``floor``, its SQL replayed."""
    statements = Statements()
    if floor:
        statements.install()
    at = _app(name, viewer)
    seconds = _timed_run(at)
    result: dict = {"page": name, "cold_s": seconds, "error": bool(at.exception)}
    if floor:
        result.update(statements.replay())
    return result


def warm_samples(name: str, viewer: str | None, reruns: int) -> dict:
    """Reruns of a page with its filter values already seen once: p50/p95 and the errors."""
    spec = PAGES[name]
    at = _app(name, viewer)
    first = _timed_run(at)
    values = spec.filter.values if spec.filter else (None,)
    for value in values:  # each value once, so the figures are cached as after a first visit
        set_filter(at, PAGES[name].filter, value)
        _timed_run(at)
    times = []
    for i in range(reruns):
        set_filter(at, PAGES[name].filter, values[(i + 1) % len(values)])
        times.append(_timed_run(at))
    return {
        "page": name,
        "first_in_process_s": first,
        "warm": summary(times),
        "filter": spec.filter.key if spec.filter else None,
        "error": bool(at.exception),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, metavar="URL")
    parser.add_argument("--cold", type=int, default=5, help="cold samples per page")
    parser.add_argument("--warm", type=int, default=20, help="warm reruns per page")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated page names")
    parser.add_argument("--viewer", default=None, help="a manager code (default: the first)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--one-cold", dest="one_cold", help=argparse.SUPPRESS)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--imports", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["KAM_DATABASE_URL"] = args.database
    _route_through_app()
    if args.imports:  # a child process: the page's imports, timed
        print(json.dumps({"imports_s": import_time(args.imports)}), flush=True)
        return 0
    if args.one_cold:  # a child process: one cold sample, printed as JSON on the last line
        print(json.dumps(cold_sample(args.one_cold, args.viewer, args.floor)), flush=True)
        return 0

    names = [n for n in args.pages.split(",") if n in PAGES]
    results: dict = {"database": args.database, "pages": {}}
    print(f"{'page':<12} {'cold p50':>9} {'cold p95':>9} {'floor':>7} {'above':>7} "
          f"{'warm p50':>9} {'warm p95':>9}  (ms)", flush=True)  # fmt: skip
    for name in names:
        colds, floor = [], {}
        base = [sys.executable, __file__, "--database", args.database]
        base += ["--viewer", args.viewer] if args.viewer else []
        runs = [[*base, "--imports", name]]
        runs += [
            [*base, "--one-cold", name, *(["--floor"] if k == 0 else [])] for k in range(args.cold)
        ]
        imports = float("nan")
        for cmd in runs:
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
            if proc.returncode or not lines:
                print(f"{name}: a cold sample failed\n{proc.stderr[-2000:]}", file=sys.stderr)
                continue
            sample = json.loads(lines[-1])
            if "imports_s" in sample:
                imports = sample["imports_s"]
                continue
            colds.append(sample["cold_s"])
            if "floor_s" in sample:
                floor = sample
        try:
            warm = warm_samples(name, args.viewer, args.warm)
        except Exception as exc:  # noqa: BLE001 - one page's failure must not hide the others
            print(f"{name}: warm reruns failed: {exc!r}", file=sys.stderr, flush=True)
            warm = {"page": name, "warm": summary([]), "filter": None, "error": True}
        cold = summary(colds)
        above = cold["p50"] - floor.get("floor_s", 0.0)
        results["pages"][name] = {
            "cold": cold, "floor": floor, "cold_above_floor_s": above, "imports_s": imports, **warm
        }  # fmt: skip
        flag = " (error)" if warm["error"] or floor.get("error") else ""
        print(
            f"{name:<12} {cold['p50'] * 1e3:9.0f} {cold['p95'] * 1e3:9.0f} "
            f"{floor.get('floor_s', float('nan')) * 1e3:7.0f} {above * 1e3:7.0f} "
            f"{warm['warm']['p50'] * 1e3:9.0f} {warm['warm']['p95'] * 1e3:9.0f}{flag}",
            flush=True,
        )
        if args.out:
            write_json(args.out, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
