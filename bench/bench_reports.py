"""Time each report of ``python -m kam report`` on a database, as the command line builds it.

Usage: .venv/bin/python bench/bench_reports.py --database sqlite:////tmp/kam5m.db --as-of 2026-11-20

Each report is built ``--repeat`` times in a fresh read transaction; the best and the median
wall-clock times are printed (the first run also pays for a cold page cache).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from kam import reports
from kam.core import clock, db  # noqa: E402
from kam.core.access import SYSTEM  # noqa: E402
from kam.core.models import SalesLine  # noqa: E402
from kam.core.periods import month_of  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, metavar="URL")
    parser.add_argument("--as-of", dest="as_of", type=dt.date.fromisoformat, default=clock.today())
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    eng = db.engine(args.database)
    with db.reading(eng) as s:
        lines = s.execute(select(func.count()).select_from(SalesLine)).scalar()
    print(f"{args.database}: {lines:,} sales lines, as of {args.as_of}")
    print(f"{'report':<12} {'rows':>6} {'best s':>8} {'median s':>9}")
    for name in reports.REPORTS:
        period = month_of(args.as_of) if name == "plan" else None
        scope = reports.Scope(as_of=args.as_of, period=period)
        times, rows = [], 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            with db.reading(eng) as s:
                rows = len(reports.build(name, s, viewer=SYSTEM, scope=scope))
            times.append(time.perf_counter() - started)
        print(f"{name:<12} {rows:>6} {min(times):>8.3f} {statistics.median(times):>9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
