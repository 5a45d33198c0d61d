"""Benchmark: load 1,000,000 sales lines from CSV into a fresh SQLite database, rollups included.

Generates managers, clients, products and a sales file under a temporary folder (in /tmp),
loads them with ``python -m kam import``'s code path, and prints the time of each file, the
total and the peak memory (max RSS) of this process. The goal of issue 4: under 60 s.

    .venv/bin/python bench/bench_import.py [--lines 1000000] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from kam import importer
from kam.core import access, audit, db, migrate  # noqa: E402
from kam.core.models import SalesDay, SalesLine  # noqa: E402

MANAGERS = 20
CLIENTS = 2_000
PRODUCTS = 5_000
LINES_PER_DOC = 10
CATEGORIES = ("Dairy", "Bakery", "Meat", "Fish", "Frozen", "Drinks", "Grocery", "Fruit")


def generate(folder: Path, lines: int) -> None:
    """Write managers.csv, clients.csv, products.csv and sales.csv as an ERP would export them."""
    rng = random.Random(4)
    with (folder / "managers.csv").open("w", encoding="utf-8") as fh:
        fh.write("code,name,email,role\n")
        for m in range(1, MANAGERS + 1):
            fh.write(f"M{m:03},Manager {m},m{m}@example.com,kam\n")
    with (folder / "clients.csv").open("w", encoding="utf-8") as fh:
        fh.write("code,name,manager_code,segment,payment_terms_days,credit_limit\n")
        for c in range(1, CLIENTS + 1):
            fh.write(
                f"C{c:05},Client {c},M{rng.randint(1, MANAGERS):03},HoReCa,{rng.choice((0, 14, 30))},500000.00\n"
            )
    with (folder / "products.csv").open("w", encoding="utf-8") as fh:
        fh.write("sku,name,category\n")
        for p in range(1, PRODUCTS + 1):
            fh.write(f"P{p:06},Product {p},{rng.choice(CATEGORIES)}\n")
    # Semicolons, decimal commas, DD.MM.YYYY dates and no line_no: the slower, realistic path.
    start = dt.date(2023, 1, 1)
    with (folder / "sales.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write("doc_no;doc_date;client_code;sku;qty;amount;cost;kind;reason\n")
        written = doc = 0
        while written < lines:
            doc += 1
            day = (start + dt.timedelta(days=rng.randrange(730))).strftime("%d.%m.%Y")
            client = f"C{rng.randint(1, CLIENTS):05}"
            returned = rng.random() < 0.03
            for _ in range(min(LINES_PER_DOC, lines - written)):
                qty = rng.randint(1, 40)
                price = rng.randint(50, 5000)
                amount = qty * price
                line = f"{'R' if returned else 'S'}{doc:07};{day};{client};P{rng.randint(1, PRODUCTS):06};"
                if returned:
                    money = f"{-amount:,.2f}".replace(",", " ").replace(".", ",")
                    fh.write(f"{line}-{qty};{money};;return;damaged\n")
                else:
                    cost = f"{amount * 0.8:.2f}".replace(".", ",")
                    fh.write(f"{line}{qty};{amount},00;{cost};;\n")
                written += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the files and database")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kam-bench-import-", dir="/tmp"))
    try:
        t0 = time.perf_counter()
        generate(folder, args.lines)
        size = (folder / "sales.csv").stat().st_size
        print(
            f"generated {args.lines:,} sales lines ({size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s"
        )
        eng = db.engine(f"sqlite:///{folder / 'bench.db'}")
        migrate.upgrade(eng)

        t1, cpu1 = time.perf_counter(), time.process_time()
        files = importer.plan_files([folder])
        summaries = importer.load_files(
            eng, files, viewer=access.SYSTEM, actor=audit.Actor(name="bench")
        )
        total, cpu = time.perf_counter() - t1, time.process_time() - cpu1
        for s in summaries:
            print(
                f"  {s.file:<13} {s.rows:>9,} rows  {s.inserted:>9,} inserted  "
                f"{s.rejected} rejected  {s.seconds:6.1f} s"
            )
            if s.problems:
                print("   ", s.problems[0])
        with db.reading(eng) as session:
            stored = session.scalar(select(func.count()).select_from(SalesLine))
            net = session.scalar(select(func.sum(SalesDay.net)))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"loaded {stored:,} sales lines; rollup net total {net}")
        print(f"total load time {total:.1f} s (goal: under 60 s); peak memory {peak_mb:.0f} MB")
        # On a shared machine the wall time says more about the neighbours than about the load.
        print(f"CPU time of the load {cpu:.1f} s (all threads)")
        return 0 if total < 60 and stored == args.lines else 1
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
