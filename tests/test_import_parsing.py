"""Reading export files without a database: cell formats, encodings, separators, XLSX."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from kam.importer import entity_for_filename
from kam.importer.entities import ENTITIES
from kam.importer.parsing import (
    CellError,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_period,
)
from kam.importer.reading import ReadError, open_table


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("1'234.56", "1234.56"),
        ("-1 234 567,5", "-1234567.5"),
        ("\u22121 234", "-1234"),
        ("  42 ", "42"),
        ("0", "0"),
        (1500, "1500"),
        (12.5, "12.5"),
    ],
)
def test_numbers_in_every_export_format(raw, expected):
    assert parse_decimal(raw, places=2) == Decimal(expected)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1.234,56", "'1.234,56' is not a number; expected a number like 1234.56 or 1 234,56"),
        ("12 34", "'12 34' is not a number; expected a number like 1234.56 or 1 234,56"),
        ("abc", "'abc' is not a number; expected a number like 1234.56 or 1 234,56"),
        ("1e5", "'1e5' is not a number; expected a number like 1234.56 or 1 234,56"),
        (
            "1,234",
            "'1,234' is ambiguous (a thousands comma or a decimal one); expected 1234 or 1 234 "
            "for a whole number, 1.234 for a fraction",
        ),
        ("1.234", "'1.234' has more than 2 decimal places; expected at most 2"),
    ],
)
def test_bad_numbers_say_what_was_expected(raw, message):
    with pytest.raises(CellError) as exc:
        parse_decimal(raw, places=2)
    assert str(exc.value) == message


def test_empty_number_is_none_and_quantities_take_three_places():
    assert parse_decimal("  ", places=2) is None
    assert parse_decimal("1.234", places=3) == Decimal("1.234")
    assert parse_decimal("0,125", places=3) == Decimal("0.125")
    assert parse_decimal("1234,567", places=3) == Decimal("1234.567")


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-05",
        "05.03.2024",
        "5.3.2024",
        "2024-03-05 14:30",
        "2024-03-05T14:30:00",
        "05.03.2024 14:30:15",
        " 05.03.2024 ",
        dt.datetime(2024, 3, 5, 14, 30),
        dt.date(2024, 3, 5),
    ],
)
def test_dates_with_and_without_time(raw):
    assert parse_date(raw) == dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2024/03/05", "'2024/03/05' is not a date; expected a date as YYYY-MM-DD or DD.MM.YYYY"),
        ("05.03.24", "'05.03.24' is not a date; expected a date as YYYY-MM-DD or DD.MM.YYYY"),
        (
            "31.02.2024",
            "'31.02.2024' is not a real date; expected a date as YYYY-MM-DD or DD.MM.YYYY",
        ),
        (
            "2024-03-05 noon",
            "'2024-03-05 noon' is not a date; expected a date as YYYY-MM-DD or DD.MM.YYYY, "
            "optionally with a time",
        ),
        (45000, "'45000' is not a date; expected a date as YYYY-MM-DD or DD.MM.YYYY"),
    ],
)
def test_bad_dates(raw, message):
    with pytest.raises(CellError) as exc:
        parse_date(raw)
    assert str(exc.value) == message


def test_periods_months_integers_and_yes_no():
    assert parse_period("2024-03") == dt.date(2024, 3, 1)
    assert parse_period(dt.datetime(2024, 3, 1)) == dt.date(2024, 3, 1)
    with pytest.raises(
        CellError, match=r"^'2024-13' is not a month; expected YYYY-MM, like 2024-03$"
    ):
        parse_period("2024-13")
    with pytest.raises(CellError, match=r"^'03\.2024' is not a month"):
        parse_period("03.2024")
    assert parse_int("30") == 30
    assert parse_int(30.0) == 30
    with pytest.raises(CellError, match=r"^'3\.5' is not a whole number; expected digits like 30$"):
        parse_int("3.5")
    assert [parse_bool(v) for v in ("yes", "NO", "1", "0", "true", "нет", True)] == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
    ]
    with pytest.raises(CellError, match="expected true/false, yes/no or 1/0"):
        parse_bool("maybe")


def test_column_rules_required_minimum_length_choice():
    sales = ENTITIES["sales"]
    with pytest.raises(CellError, match=r"^is empty; expected a number like 1234\.56"):
        sales.column("amount").parse("")
    with pytest.raises(CellError, match=r"^'0' is below 1; expected 1 or more$"):
        sales.column("line_no").parse("0")
    with pytest.raises(
        CellError, match=r"^'gift' is not allowed; expected one of sale, return, refusal$"
    ):
        sales.column("kind").parse("gift")
    assert sales.column("kind").parse(" Return ") == "return"
    with pytest.raises(CellError, match=r"^is 65 characters long; expected at most 64 characters$"):
        sales.column("doc_no").parse("D" * 65)
    with pytest.raises(CellError, match=r"^'-5' is not above 0; expected an amount above 0$"):
        ENTITIES["invoices"].column("amount").parse("-5")
    with pytest.raises(CellError, match=r"^'1000000000000' is too large; expected less than"):
        ENTITIES["invoices"].column("amount").parse("1000000000000")
    assert ENTITIES["managers"].column("role").parse("") == "kam"


def test_entity_from_file_name():
    assert entity_for_filename("sales.csv") == "sales"
    assert entity_for_filename("Sales_2024-03.XLSX") == "sales"
    assert entity_for_filename("clients-week12.csv") == "clients"
    assert entity_for_filename("sales.rejected.csv") == "sales"
    assert entity_for_filename("salesman.csv") is None
    assert entity_for_filename("export.csv") is None


def _rows(path: Path) -> tuple[list[str], list[tuple[int, list]], str, str]:
    with open_table(path) as table:
        return table.header, list(table.rows), table.encoding, table.separator


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with BOM"), ("cp1251", "Windows-1251")],
)
@pytest.mark.parametrize(("separator", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_encodings_and_separators(tmp_path, encoding, label, separator, name):
    path = tmp_path / "clients.csv"
    text = separator.join(["code", "name", "manager_code"]) + "\r\n"
    text += separator.join(["C1", "ООО «Ромашка»", "M1"]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    header, rows, found_label, found_separator = _rows(path)
    assert header == ["code", "name", "manager_code"]
    assert rows == [(2, ["C1", "ООО «Ромашка»", "M1"])]
    assert (found_label, found_separator) == (label, separator)


def test_line_numbers_count_blank_lines_and_quoted_newlines(tmp_path):
    path = tmp_path / "products.csv"
    path.write_text('sku,name\nA,"two\nlines"\n\nB,plain\n;;\n', encoding="utf-8")
    _, rows, _, _ = _rows(path)
    assert rows == [(2, ["A", "two\nlines"]), (5, ["B", "plain"]), (6, [";;"])]


def test_a_file_in_neither_encoding_is_refused(tmp_path):
    path = tmp_path / "products.csv"
    path.write_bytes(b"sku,name\nA,ok\nB,\x98\n")
    with pytest.raises(ReadError) as exc:
        _rows(path)
    assert (exc.value.line, exc.value.column) == (3, "file")
    assert exc.value.message == (
        "byte 0x98 is neither UTF-8 nor Windows-1251; "
        "expected a CSV file saved as UTF-8 or Windows-1251"
    )


def test_empty_file_and_broken_workbook(tmp_path):
    empty = tmp_path / "sales.csv"
    empty.write_bytes(b"")
    with pytest.raises(ReadError, match="expected the column names"):
        _rows(empty)
    broken = tmp_path / "sales.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ReadError, match=r"expected an \.xlsx file$"):
        _rows(broken)


def test_xlsx_reads_the_first_sheet_with_real_line_numbers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["doc_no", "doc_date", "amount"])
    sheet.append(["D1", dt.datetime(2024, 3, 5), 1234.5])
    sheet.append([None, None, None])
    sheet.append(["D2", "06.03.2024", 7])
    book.create_sheet("other").append(["ignored"])
    path = tmp_path / "sales.xlsx"
    book.save(path)
    header, rows, label, _ = _rows(path)
    assert header == ["doc_no", "doc_date", "amount"]
    assert rows == [(2, ["D1", dt.datetime(2024, 3, 5), 1234.5]), (4, ["D2", "06.03.2024", 7])]
    assert label == "XLSX"
