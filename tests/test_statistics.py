"""Planner statistics after bulk loads: on PostgreSQL a table filled by the demo or an import
is analysed in the same transaction (without it, a Client 360 query on 5,000,000 lines was
planned as a few rows and ran for minutes); SQLite is left to its own planner."""

from __future__ import annotations

from sqlalchemy import Engine, text

from kam import demo
from kam.core import clock, db
from tests.test_import_loading import base_data, load, write

SALES = (
    "doc_no;doc_date;client_code;sku;qty;amount\n"
    "D1;05.03.2024;C1;P1;10;1000\n"
    "D2;06.03.2024;C2;P2;1;200\n"
    "D3;07.03.2024;C1;P2;2;300\n"
)


def _rows_known(engine: Engine, table: str) -> float | None:
    """PostgreSQL's estimate of a table's rows: -1 until the table is first analysed."""
    with db.reading(engine) as s:
        if db.is_sqlite(s):
            return None
        return s.execute(
            text("SELECT reltuples FROM pg_class WHERE relname = :t"), {"t": table}
        ).scalar_one()


def test_an_import_leaves_fresh_statistics(engine, tmp_path):
    assert _rows_known(engine, "sales_lines") in (None, -1)  # a new table: never analysed
    base_data(engine, tmp_path)
    [summary] = load(engine, write(tmp_path, "sales.csv", SALES))
    assert summary.status == "loaded"
    if db.is_sqlite(engine):
        stats = text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        with db.reading(engine) as s:  # nothing written to SQLite's statistics table
            assert not s.execute(stats).all()
        return
    assert _rows_known(engine, "sales_lines") == 3  # the three lines just loaded
    assert _rows_known(engine, "clients") == 2
    # March 2024 per client and category: C1 Dairy (P1), C1 Bakery (P2), C2 Bakery (P2).
    assert _rows_known(engine, "sales_month") == 3


def test_the_demo_leaves_fresh_statistics(engine):
    with db.writing(engine) as s:
        loaded = demo.load(s, today=clock.today(), lines=5_000)
    if db.is_sqlite(engine):
        return
    assert _rows_known(engine, "sales_lines") == loaded.sales_lines == 5_000
    assert _rows_known(engine, "clients") == loaded.clients
