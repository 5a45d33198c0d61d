"""Hostile and clumsy import files (issue 14): each loads exactly, or is rejected whole with
``file:line: column: message``; a rejected file leaves the database as it was."""

from __future__ import annotations

import datetime as dt
import io
import random
import struct
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from kam.__main__ import main
from kam.core import audit, clock, db, migrate
from kam.core.access import SYSTEM, viewer_by_email
from kam.core.models import AuditLog, Client, Manager, SalesLine
from kam.core.validation import Checker, ValidationError
from kam.importer import committed_note
from kam.importer.parsing import CellError, parse_decimal
from kam.importer.rows import BUILDERS
from kam.portfolio.managers import add_manager
from tests.test_import_loading import MANAGERS, base_data, dump, load, messages, rows, write

D = Decimal
HEAD = "code,name,manager_code\n"


def clients_loaded(engine: Engine) -> list[tuple[str, str]]:
    return rows(engine, select(Client.code, Client.name).order_by(Client.code))


def rejected_whole(engine: Engine, before: dict, summary) -> list[str]:
    """The problems of a file that must have changed nothing."""
    assert summary.status == "rejected"
    assert dump(engine) == before
    return messages(summary)


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
def test_a_file_in_one_encoding_loads_exactly(engine, tmp_path, encoding):
    load(engine, write(tmp_path, "managers.csv", MANAGERS))
    text = HEAD + "C1,ООО «Ромашка»,M1\nC2,Ёлка №5,M1\n"
    [summary] = load(engine, write(tmp_path, "clients.csv", text, encoding))
    assert summary.status == "loaded"
    assert clients_loaded(engine) == [("C1", "ООО «Ромашка»"), ("C2", "Ёлка №5")]


def _mixed(tmp_path: Path, first: str, second: str) -> Path:
    lines = [HEAD.encode(), "C1,ООО Альфа,M1\n".encode(first), b"C2,Plain,M1\n"]
    lines += ["C3,ООО Бета,M1\n".encode(second), "C4,ООО Гамма,M1\n".encode(first)]
    path = tmp_path / "clients.csv"
    path.write_bytes(b"".join(lines))
    return path


def test_lines_in_two_encodings_are_refused_at_the_first_that_disagrees(engine, tmp_path):
    load(engine, write(tmp_path, "managers.csv", MANAGERS))
    before = dump(engine)
    [summary] = load(engine, _mixed(tmp_path, "utf-8", "cp1251"))
    assert rejected_whole(engine, before, summary) == [
        "clients.csv:4: file: this line is not UTF-8, but line 2 is; expected the whole file in "
        "one encoding, UTF-8 or Windows-1251"
    ]
    [summary] = load(engine, _mixed(tmp_path, "cp1251", "utf-8"))
    assert rejected_whole(engine, before, summary) == [
        "clients.csv:4: file: this line is UTF-8, but line 2 is Windows-1251; expected the "
        "whole file in one encoding, UTF-8 or Windows-1251"
    ]


def test_latin_1_is_not_read_as_windows_1251(engine, tmp_path):
    load(engine, write(tmp_path, "managers.csv", MANAGERS))
    before = dump(engine)
    text = HEAD + "C1,Plain GmbH,M1\nC2,Müller GmbH,M1\nC3,Café Noir,M1\n"
    [summary] = load(engine, write(tmp_path, "clients.csv", text, "latin-1"))
    assert rejected_whole(engine, before, summary) == [
        "clients.csv:3: file: 'Müller' looks like Western European text (Latin-1), which would "
        "be misread as Windows-1251; expected UTF-8 or Windows-1251 (in Excel: CSV UTF-8)"
    ]
    [summary] = load(engine, write(tmp_path, "clients.csv", text, "utf-16"))
    assert messages(summary) == [
        "clients.csv:1: file: is saved as UTF-16; expected UTF-8 or Windows-1251 (in Excel: "
        "CSV UTF-8)"
    ]


# --- quotes ----------------------------------------------------------------------------------

SALES = "doc_no,doc_date,client_code,amount\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The quote on line 3 never closes: lines 3 to 5 would become one text cell.
        (
            'D1,2024-03-05,C1,10\nD2,2024-03-05,"C1,20\nD3,2024-03-05,C1,30\nD4,2024-03-05,C1,40\n',
            "sales.csv:3: client_code: a quoted value opens on this line and runs to the end of "
            'the file (line 5); expected its closing quote (")',
        ),
        # A stray quote further down closes it, after swallowing whole rows.
        (
            'D1,2024-03-05,C1,10\nD2,2024-03-05,"C1,20\nD3,2024-03-05,C1,30\nD4,2024-03-05,C1",40\n',
            "sales.csv:3: client_code: a quoted value opens on this line and takes in line 4, "
            'which looks like a row of its own; expected its closing quote (") before that line',
        ),
        # Seven lines in one value: no column of an import file holds that.
        (
            'D1,2024-03-05,"C1' + "\nx" * 6 + '",10\n',
            "sales.csv:2: client_code: a quoted value opens on this line and runs over 7 lines, "
            'to line 8; expected its closing quote (") within 6 lines',
        ),
    ],
)
def test_an_unclosed_quote_rejects_the_file_at_the_line_it_opened(engine, tmp_path, body, expected):
    base_data(engine, tmp_path)
    before = dump(engine)
    [summary] = load(engine, write(tmp_path, "sales.csv", SALES + body), skip_invalid=True)
    assert rejected_whole(engine, before, summary) == [expected]


def test_a_value_over_two_lines_still_loads(engine, tmp_path):
    load(engine, write(tmp_path, "managers.csv", MANAGERS))
    [summary] = load(engine, write(tmp_path, "clients.csv", HEAD + 'C1,"Alpha\nBranch, 2",M1\n'))
    assert summary.status == "loaded"
    assert clients_loaded(engine) == [("C1", "Alpha\nBranch, 2")]


# --- XLSX that is not one --------------------------------------------------------------------


def _workbook(folder: Path) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "name", "manager_code"])
    for i in range(1, 41):
        sheet.append([f"C{i}", f"Client {i}", "M1"])
    path = folder / "good.xlsx"
    book.save(path)
    return path.read_bytes()


def _sheet_cut_in_half(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            content = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            new.writestr(item.filename, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _bad_compression(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        offset = book.getinfo("xl/worksheets/sheet1.xml").header_offset
    name, extra = struct.unpack("<HH", data[offset + 26 : offset + 30])
    start = offset + 30 + name + extra  # the deflated bytes of the sheet
    spoiled = bytearray(data)
    for i in range(start + 20, start + 60):
        spoiled[i] ^= 0x5A
    return bytes(spoiled)


NOT_A_ZIP = "clients.xlsx:1: file: cannot be opened as a workbook (File is not a zip file)"
CORRUPT = {
    "csv renamed": (lambda d: HEAD.encode() + b"C1,Alpha,M1\n", NOT_A_ZIP),
    "random bytes": (lambda d: random.Random(14).randbytes(3000), NOT_A_ZIP),
    "cut in half": (lambda d: d[: len(d) // 2], NOT_A_ZIP),
    "sheet xml cut": (
        _sheet_cut_in_half,
        "clients.xlsx:20: file: cannot be read as a workbook from row 20 on (unclosed token",
    ),
    "bad compression": (
        _bad_compression,
        "clients.xlsx:1: file: cannot be opened as a workbook (Error -3 while decompressing",
    ),
}


@pytest.mark.parametrize("case", list(CORRUPT))
def test_a_corrupt_workbook_is_one_line_in_the_cli_and_earlier_files_are_named(
    db_url, tmp_path, capsys, case
):
    spoil, expected = CORRUPT[case]
    (tmp_path / "clients.xlsx").write_bytes(spoil(_workbook(tmp_path)))
    (tmp_path / "good.xlsx").unlink()
    write(tmp_path, "managers.csv", MANAGERS)
    assert main(["import", str(tmp_path), "--database", db_url]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[1:] == [
        "managers.csv  managers     2         2        0          0         0  loaded",
        "clients.xlsx  clients      0         0        0          0         0  rejected",
        "Already committed in this load, each file on its own: managers.csv. Fix the other "
        "files and load only those again.",
    ]
    [line] = err.splitlines()
    assert line.startswith(expected) and line.endswith("; expected an .xlsx file")
    assert rows(db.engine(db_url), select(Client.code)) == []


def test_a_corrupt_workbook_on_the_import_page_shows_no_traceback(
    monkeypatch, sqlite_url, tmp_path
):
    from tests.apptest import run_app

    load(db.engine(sqlite_url), write(tmp_path, "managers.csv", MANAGERS))
    at = run_app(monkeypatch, sqlite_url, page="pages/import_data.py")
    broken = _sheet_cut_in_half(_workbook(tmp_path))
    products = b"sku,name\nP1,Milk\n"
    at.file_uploader[0].set_value(
        [
            ("clients.xlsx", broken, "application/octet-stream"),
            ("products.csv", products, "text/csv"),
        ]
    )
    at.run()
    assert not at.exception
    at.button[0].click()
    at.run()
    assert not at.exception
    tables = {tuple(d.value.columns)[-1]: d.value for d in at.dataframe}
    summary = tables["status"]
    assert list(summary["status"]) == ["rejected", "loaded"]
    # The page escapes Markdown in the file names; the backslashes do not show on screen.
    assert [i.value.replace("\\", "") for i in at.info][-1] == (
        "Already committed in this load, each file on its own: products.csv. Fix the other "
        "files and load only those again."
    )
    problems = tables["problem"]
    assert list(problems["line"]) == [20]
    assert problems["problem"].iloc[0].startswith("cannot be read as a workbook from row 20 on")


# --- control characters ----------------------------------------------------------------------


def test_nul_and_control_characters_are_errors_on_their_line(engine, tmp_path):
    load(engine, write(tmp_path, "managers.csv", MANAGERS))
    before = dump(engine)
    text = HEAD + "C1,Al\tpha,M1\nC2,Be\x00ta,M1\nC3,Gam\x1bma,M1\nC\x7f4,Delta,M1\n"
    path = write(tmp_path, "clients.csv", text)
    [summary] = load(engine, path)
    expected = "holds the control character U+{} at position {}; expected text without control "
    expected += "characters (tab and line breaks are allowed)"
    assert rejected_whole(engine, before, summary) == [
        "clients.csv:3: name: " + expected.format("0000", 3),
        "clients.csv:4: name: " + expected.format("001B", 4),
        "clients.csv:5: code: " + expected.format("007F", 2),
    ]
    [summary] = load(engine, path, skip_invalid=True)
    assert (summary.status, summary.inserted, summary.rejected) == ("partial", 1, 3)
    assert clients_loaded(engine) == [("C1", "Al\tpha")]


# --- numbers and limits ----------------------------------------------------------------------


def test_one_number_rule_for_forms_and_import():
    ambiguous = (
        "'1,234' is ambiguous (a thousands comma or a decimal one); expected 1234 or 1 234 for "
        "a whole number, 1.234 for a fraction"
    )
    for places in (2, 3):  # money and quantities alike
        with pytest.raises(CellError) as exc:
            parse_decimal("1,234", places)
        assert str(exc.value) == ambiguous
    assert parse_decimal("1,234.56", 2) == D("1234.56")
    assert parse_decimal("1,234,567", 2) == D("1234567")
    assert parse_decimal("0,125", 3) == D("0.125")
    checker = Checker()
    assert checker.amount("a", "1,234.56", label="Amount", column=SalesLine.amount) == D("1234.56")
    assert checker.amount("b", "1 234,5", label="Amount", column=SalesLine.amount) == D("1234.50")
    assert checker.amount("q", "1,234", label="Quantity", column=SalesLine.qty) is None
    assert checker.amount("c", "1.234,56", label="Amount", column=SalesLine.amount) is None
    assert checker.problems == {
        "q": "Quantity: " + ambiguous,
        "c": "Amount must be a number (got '1.234,56').",
    }


def test_quantities_and_amounts_follow_the_rule_on_their_line(engine, tmp_path):
    base_data(engine, tmp_path)
    sales = (
        "doc_no;doc_date;client_code;qty;amount\n"
        "D1;2024-03-05;C1;1,234;10\n"
        "D2;2024-03-05;C1;2,5;1,234.56\n"
        "D3;2024-03-05;C1;1;1 000 000 000 000\n"
    )
    [summary] = load(engine, write(tmp_path, "sales.csv", sales), skip_invalid=True)
    assert messages(summary) == [
        "sales.csv:2: qty: '1,234' is ambiguous (a thousands comma or a decimal one); expected "
        "1234 or 1 234 for a whole number, 1.234 for a fraction",
        "sales.csv:4: amount: '1 000 000 000 000' is too large; expected less than "
        "1 000 000 000 000",
    ]
    assert rows(engine, select(SalesLine.doc_no, SalesLine.qty, SalesLine.amount)) == [
        ("D2", D("2.5"), D("1234.56"))
    ]


def test_terms_dates_and_periods_outside_a_sane_range_are_errors_on_their_line(engine, tmp_path):
    load(engine, write(tmp_path, "managers.csv", MANAGERS))
    clients = (
        "code,name,manager_code,payment_terms_days,contract_start\n"
        "C1,Alpha,M1,3650,2100-12-31\n"
        "C2,Beta,M1,3651,\n"
        "C3,Gamma,M1,99999999999,31.12.1999\n"
        "C4,Delta,M1,,9999-12-31\n"
    )
    [summary] = load(engine, write(tmp_path, "clients.csv", clients), skip_invalid=True)
    outside = "is outside the years 2000 to 2100; expected a date from 2000-01-01 to 2100-12-31"
    assert messages(summary) == [
        "clients.csv:3: payment_terms_days: '3651' is too large; expected at most 3650",
        "clients.csv:4: payment_terms_days: '99999999999' is too large; expected at most 3650",
        f"clients.csv:4: contract_start: '31.12.1999' {outside}",
        f"clients.csv:5: contract_start: '9999-12-31' {outside}",
    ]
    # The longest terms from the last day allowed: a due date ten years on, no OverflowError.
    invoices = "invoice_no,client_code,invoice_date,amount\nI1,C1,2100-12-31,5\n"
    [summary] = load(engine, write(tmp_path, "invoices.csv", invoices))
    assert summary.status == "loaded"
    plans = "period,manager_code,metric,target\n0024-01,M1,revenue,5\n2024-01,M1,revenue,5\n"
    [summary] = load(engine, write(tmp_path, "plans.csv", plans))
    assert messages(summary) == [
        "plans.csv:2: period: '0024-01' is outside the years 2000 to 2100; expected a date from "
        "2000-01-01 to 2100-12-31"
    ]


# --- e-mails in any case ---------------------------------------------------------------------


def test_e_mails_are_unique_in_any_case_in_the_importer(engine, tmp_path):
    load(engine, write(tmp_path, "managers.csv", MANAGERS))  # M1 anna@example.com
    before = dump(engine)
    managers = "code,name,email\nM3,Vera,vera@example.com\nM4,Vlad,VERA@Example.com\n"
    managers += "M5,Nina,Anna@EXAMPLE.com\n"
    [summary] = load(engine, write(tmp_path, "managers.csv", managers))
    assert rejected_whole(engine, before, summary) == [
        "managers.csv:3: email: 'VERA@Example.com' is also given to manager M3 in this file; "
        "expected an e-mail no other manager has",
        "managers.csv:4: email: 'Anna@EXAMPLE.com' is already the e-mail of manager M1; "
        "expected an e-mail no other manager has",
    ]
    # A manager's own e-mail in another case is simply an update.
    [summary] = load(
        engine, write(tmp_path, "managers.csv", "code,name,email\nM1,Anna,ANNA@example.com\n")
    )
    assert (summary.status, summary.updated) == ("loaded", 1)


def test_e_mails_are_unique_in_any_case_on_the_users_page_sign_in_and_database(engine, tmp_path):
    load(engine, write(tmp_path, "managers.csv", MANAGERS))
    actor = audit.Actor(name="tester")
    with pytest.raises(ValidationError) as exc, db.writing(engine) as s:
        add_manager(s, viewer=SYSTEM, actor=actor, code="M7", name="Eve", email="ANNA@example.COM")
    assert exc.value.problems == {"email": "E-mail ANNA@example.COM is already used by Anna."}
    with db.reading(engine) as s:
        found = viewer_by_email(s, email=" Anna@Example.Com ", on=clock.today())
    assert found is not None and found.name == "Anna"
    with pytest.raises(IntegrityError), db.writing(engine) as s:
        s.execute(insert(Manager).values(code="M8", name="Eve", email="ANNA@EXAMPLE.COM"))


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    template = request.getfixturevalue("postgresql_template")
    url = template.empty()
    yield url
    template.drop(url)


def test_the_migration_keeps_one_of_two_e_mails_that_differ_in_case(empty_url):
    eng = db.engine(empty_url)
    migrate.upgrade(eng, "0004")
    with db.writing(eng) as s:
        s.execute(
            insert(Manager),
            [
                {"code": "M1", "name": "Old", "email": "ann@x.com", "active": False},
                {"code": "M2", "name": "Ann", "email": "Ann@X.com", "active": True},
                {"code": "M3", "name": "Bob", "email": "bob@x.com", "active": True},
            ],
        )
    migrate.upgrade(eng)
    got = rows(eng, select(Manager.code, Manager.email, Manager.version).order_by(Manager.code))
    assert got == [("M1", None, 2), ("M2", "Ann@X.com", 1), ("M3", "bob@x.com", 1)]
    trail = rows(eng, select(AuditLog.entity, AuditLog.before, AuditLog.after))
    assert trail == [("manager", {"email": "ann@x.com"}, {"email": None})]
    eng.dispose()


# --- nothing to load -------------------------------------------------------------------------


def test_a_header_only_file_is_no_rows_and_changes_nothing(db_url, tmp_path, capsys):
    write(tmp_path, "products.csv", "sku,name,category\n")
    before = dump(db.engine(db_url))
    assert main(["import", str(tmp_path), "--database", db_url]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[1:] == [
        "products.csv  products     0         0        0          0         0  no rows"
    ]
    assert err == ""
    assert dump(db.engine(db_url)) == before


def test_an_xlsx_date_outside_the_range_is_an_error_on_its_row(engine, tmp_path):
    load(engine, write(tmp_path, "managers.csv", MANAGERS))
    book = openpyxl.Workbook()
    book.active.append(["code", "name", "manager_code", "contract_end"])
    book.active.append(["C1", "Alpha", "M1", dt.datetime(2101, 1, 1)])
    book.active.append(["C2", "Beta", "M1", dt.datetime(2100, 12, 31)])
    book.save(tmp_path / "clients.xlsx")
    [summary] = load(engine, tmp_path / "clients.xlsx", skip_invalid=True)
    assert messages(summary) == [
        "clients.xlsx:2: contract_end: '2101-01-01' is outside the years 2000 to 2100; expected "
        "a date from 2000-01-01 to 2100-12-31"
    ]
    assert clients_loaded(engine) == [("C2", "Beta")]


def test_a_bug_while_loading_a_file_is_one_line_and_later_files_still_load(
    sqlite_engine, tmp_path, monkeypatch
):
    def broken(values, refs):
        raise RuntimeError("a bug")

    monkeypatch.setitem(BUILDERS, "managers", broken)
    managers = write(tmp_path, "managers.csv", MANAGERS)
    products = write(tmp_path, "products.csv", "sku,name\nP1,Milk\n")
    first, second = load(sqlite_engine, managers, products)
    assert messages(first) == [
        "managers.csv:1: file: something went wrong, and nothing of this file was saved; the "
        "log says why"
    ]
    assert (first.status, second.status) == ("rejected", "loaded")
    assert str(committed_note([first, second])) == (
        "Already committed in this load, each file on its own: products.csv. Fix the other "
        "files and load only those again."
    )
