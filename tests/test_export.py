"""Exports hold data, never formulas: page downloads and ``kam report`` alike."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pandas as pd

from kam.__main__ import main
from kam.core import db
from kam.reports import export
from tests import factories as f

HOSTILE = ["=1+2", "+7", "-x", "@SUM(A1)", "\tTAB", "\rCR", "plain", "a=b"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": HOSTILE,
            "count": [-5, 1, 2, 3, 4, 5, 6, 7],
            "money": [Decimal("-5.00")] * 8,
            "share": [-0.5] * 8,
        }
    )


def test_csv_prefixes_formula_text_with_a_quote_and_leaves_numbers_alone():
    rows = list(csv.reader(io.StringIO(export.to_csv(_frame()).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "count", "money", "share"]
    assert [r[0] for r in rows[1:]] == [
        "'=1+2", "'+7", "'-x", "'@SUM(A1)", "'\tTAB", "'\rCR", "plain", "a=b",
    ]  # fmt: skip
    assert {(r[1], r[2], r[3]) for r in rows[1:2]} == {("-5", "-5.00", "-0.5")}


def test_xlsx_writes_formula_text_as_string_cells_and_numbers_as_numbers():
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(_frame()))).active
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in names] == ["s"] * 8
    # The text is kept as typed (XML turns a carriage return into a line feed).
    assert [c.value for c in names] == [
        "=1+2", "+7", "-x", "@SUM(A1)", "\tTAB", "\nCR", "plain", "a=b",
    ]  # fmt: skip
    count, money, share = sheet.cell(2, 2), sheet.cell(2, 3), sheet.cell(2, 4)
    assert (count.value, count.data_type) == (-5, "n")
    assert (money.value, money.data_type) == (-5, "n")
    assert (share.value, share.data_type) == (-0.5, "n")


def test_no_cell_of_any_sheet_is_a_formula():
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(_frame()))).active
    assert [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []


def test_the_report_command_neutralises_names(engine, db_url, capsys, tmp_path):
    with db.writing(engine) as s:
        m = f.manager(s, "M1")
        a = f.client(s, "A", m, name='=HYPERLINK("http://x.test","go")')
        f.line(s, a, "2026-05-04", 700)
        f.refresh(s)
    args = ["clients", "--as-of", "2026-05-13", "--database", db_url]
    assert main(["report", *args]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert (
        lines[1]
        == 'A,"\'=HYPERLINK(""http://x.test"",""go"")",M1,A,700.00,0.00,2026-05-04,False,0.00,0.00,0'
    )
    target = tmp_path / "c.xlsx"
    assert main(["report", *args, "--format", "xlsx", "--output", str(target)]) == 0
    name = openpyxl.load_workbook(target).active.cell(2, 2)
    assert (name.value, name.data_type) == ('=HYPERLINK("http://x.test","go")', "s")


def test_a_pages_excel_has_the_tables_headers_in_the_users_language():
    from kam.core import i18n
    from kam.ui.tables import Col, people_headers

    frame = pd.DataFrame({"client_code": ["C1"], "days_since": [3], "revenue": [10], "x": [1]})
    labels = {"client_code": Col("Client", "client"), "days_since": Col("Days since")}
    i18n.set_language("ru")
    try:
        headers = people_headers(frame, labels)
    finally:
        i18n.set_language("en")
    # The table's labels first, the report's header for the rest; an unknown id stays as it is.
    assert headers == {"client_code": "Клиент", "days_since": "Прошло дней", "revenue": "Выручка"}
