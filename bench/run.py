"""``make bench``: every benchmark on fresh databases under bench/out/, figures printed.

Builds the demo at 5,000,000 sales lines (SQLite) unless it is already there, times each CLI
report and each page on it, and times loading 1,000,000 sales lines from CSV.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable


def step(title: str, *args: str) -> None:
    print(f"\n== {title}", flush=True)
    started = time.perf_counter()
    subprocess.run([PY, *args], cwd=ROOT, check=True)
    print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    big = OUT / "kam5m.db"
    url = f"sqlite:///{big}"
    if not big.exists():
        step(
            "demo, 5,000,000 sales lines",
            "-m",
            "kam",
            "demo",
            "--lines",
            "5000000",
            "--database",
            url,
        )
    step("reports on 5,000,000 lines", "bench/bench_reports.py", "--database", url)
    step(
        "pages on 5,000,000 lines (server-side run time)", "bench/bench_pages.py", "--database", url
    )
    step("import of 1,000,000 sales lines from CSV", "bench/bench_import.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
