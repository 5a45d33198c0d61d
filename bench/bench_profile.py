"""Where a page's warm rerun spends its time: the script thread profiled over reruns in AppTest.

    .venv/bin/python bench/bench_profile.py --database URL [--pages desk,clients] [--reruns 5]

For each page: one cold run, one run to settle, then ``--reruns`` reruns under cProfile (the
profiler is switched on in Streamlit's script thread, where the page runs). Prints, and writes to
``--out`` as Markdown, the project's functions and the Streamlit calls with the most cumulative
time per rerun: what limits a warm page that misses its goal.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import PAGES, Filter, set_filter  # noqa: E402
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

PROFILER = {"on": False, "profile": cProfile.Profile()}
_run_script = script_runner.ScriptRunner._run_script


def _profiled(self, *args, **kwargs):  # noqa: ANN001, ANN202 - Streamlit's own signature
    if not PROFILER["on"]:
        return _run_script(self, *args, **kwargs)
    PROFILER["profile"].enable()
    try:
        return _run_script(self, *args, **kwargs)
    finally:
        PROFILER["profile"].disable()


def _through_app_py() -> None:
    original = PagesManager.__init__

    def init(self, *a, **kw):  # noqa: ANN001, ANN202 - route through app.py as a server does
        original(self, *a, **kw)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def _top(stats: pstats.Stats, reruns: int, count: int) -> list[tuple[str, float]]:
    """The project's functions and Streamlit's element calls by cumulative ms per rerun."""
    rows = []
    for (path, line, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if f"{ROOT}/kam/" in path or f"{ROOT}/pages/" in path:
            where = f"{Path(path).relative_to(ROOT)}:{line} {name}"
        elif "/streamlit/elements/" in path and not name.startswith("_"):
            where = f"streamlit {Path(path).stem}.{name}"
        else:
            continue
        rows.append((where, cumulative * 1000 / reruns))
    return sorted(rows, key=lambda r: -r[1])[:count]


def _fresh_change(at: AppTest, flt: Filter, name: str, top: int) -> list[str]:
    """One rerun with a filter value the caches have not seen, profiled: a filter change's cost."""
    PROFILER["profile"], PROFILER["on"] = cProfile.Profile(), True
    started = time.perf_counter()
    set_filter(at, flt, flt.fresh)
    at.run()
    wall = (time.perf_counter() - started) * 1000
    PROFILER["on"] = False
    rows = _top(pstats.Stats(PROFILER["profile"]), 1, top)
    return [
        f"#### {name}, a filter value not seen before ({flt.label}): {wall:,.0f} ms (profiled)",
        "",
        "| where | ms |",
        "|---|---:|",
        *[f"| `{where}` | {ms:,.0f} |" for where, ms in rows],
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, metavar="URL")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    os.environ["KAM_DATABASE_URL"] = args.database
    os.environ.setdefault("KAM_TODAY", "2026-12-01")
    script_runner.ScriptRunner._run_script = _profiled
    _through_app_py()
    lines = [
        f"Warm reruns profiled ({args.reruns} each), cumulative ms per rerun; then, on a page with "
        "a filter, one rerun with a value not chosen before (the caches miss, as in the browser's "
        "filter figure).",
        "",
    ]
    for name in args.pages.split(","):
        spec = PAGES[name]
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        for key, value in spec.params.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(spec.file)
        at.run()
        at.run()
        PROFILER["profile"], PROFILER["on"] = cProfile.Profile(), True
        started = time.perf_counter()
        for _ in range(args.reruns):
            at.run()
        wall = (time.perf_counter() - started) * 1000 / args.reruns
        PROFILER["on"] = False
        stats = pstats.Stats(PROFILER["profile"])
        lines += [
            f"### {name}: {wall:,.0f} ms a warm rerun (profiled)",
            "",
            "| where | ms |",
            "|---|---:|",
        ]
        lines += [f"| `{where}` | {ms:,.0f} |" for where, ms in _top(stats, args.reruns, args.top)]
        lines.append("")
        print("\n".join(lines[-(args.top + 5) :]), flush=True)
        if spec.filter is not None:
            lines += _fresh_change(at, spec.filter, name, args.top)
            print("\n".join(lines[-(args.top + 5) :]), flush=True)
    if args.out:
        args.out.write_text("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
