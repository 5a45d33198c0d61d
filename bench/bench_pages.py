"""Server-side time of each page's run on a database: the first (cold) run and warm reruns.

    .venv/bin/python bench/bench_pages.py --database sqlite:////tmp/kam.db [--repeat 5]

Runs the real app in Streamlit's AppTest (the same script code a server runs, without the
browser). "warm" is the median of reruns after the first, as after a filter change whose
figures are cached; the goal of issue 5 is under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

PAGES = {
    "desk": ("pages/desk.py", {}),
    "clients": ("pages/clients.py", {}),
    "client": ("pages/client.py", {"client": "C0001"}),
    "plan": ("pages/plan.py", {}),
    "receivables": ("pages/receivables.py", {}),
    "claims": ("pages/claims.py", {}),
    "competitors": ("pages/competitors.py", {}),
    "week": ("pages/week.py", {}),
    "plans": ("pages/plans_admin.py", {}),
    "review": ("pages/review.py", {}),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, metavar="URL")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--viewer", default=None, help="a manager code (default: the head)")
    args = parser.parse_args()
    os.environ["KAM_DATABASE_URL"] = args.database
    original = PagesManager.__init__

    def init(self, *a, **kw):  # route through app.py as a running server does
        original(self, *a, **kw)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    print(f"{'page':<12} {'cold ms':>8} {'warm ms':>8}")
    for name, (path, params) in PAGES.items():
        if not (ROOT / path).exists():
            continue
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        if args.viewer:
            at.query_params["as"] = args.viewer
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(path)
        started = time.perf_counter()
        at.run()
        cold = time.perf_counter() - started
        warm = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - started)
        failed = " (error)" if at.exception else ""
        print(f"{name:<12} {cold * 1000:8.0f} {statistics.median(warm) * 1000:8.0f}{failed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
