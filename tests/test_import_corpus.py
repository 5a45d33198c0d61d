"""The corpus of malformed import files (tests/data/import_corpus, issue 14): each file, loaded
through the real importer and the command line on SQLite and PostgreSQL, is either loaded with
exactly the rows it holds or rejected whole, at the line and column written here by hand, with
``file:line: column: …; expected …``; a rejected file leaves every table as it was.

The files are made by tests/data/import_corpus/make_corpus.py; a new file needs a line below.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from kam.__main__ import main
from kam.core.models import Client, SalesLine
from tests.test_import_loading import base_data, dump, load, messages, rows

CORPUS = Path(__file__).parent / "data" / "import_corpus"
NO_ROWS = 0  # a header and no rows: reported as "no rows", nothing changes
# Each file: the rows it loads (on top of the base data: managers M1, M2, clients C1, C2,
# products P1, P2), or (line, column) of the first problem when it is rejected whole.
EXPECTED: dict[str, int | tuple[int, str]] = {
    # encodings
    "clients-utf8.csv": 2,
    "clients-utf8-bom.csv": 1,
    "clients-cp1251.csv": 2,
    "clients-mixed-utf8-then-cp1251.csv": (3, "file"),
    "clients-mixed-cp1251-then-utf8.csv": (3, "file"),
    "clients-latin1.csv": (3, "file"),
    "clients-utf16.csv": (1, "file"),
    "clients-bom-in-the-middle.csv": (3, "code"),
    "clients-bom-inside-a-name.csv": (2, "name"),
    "clients-bom-twice-at-start.csv": 1,
    "clients-invalid-utf8-bytes.csv": (2, "file"),
    "clients-binary-junk.csv": (2, "file"),
    # quotes
    "sales-unclosed-quote-to-end.csv": (3, "client_code"),
    "sales-unclosed-quote-swallows-a-row.csv": (3, "client_code"),
    "sales-quoted-value-over-seven-lines.csv": (2, "client_code"),
    "sales-quote-in-the-middle-of-a-value.csv": (2, "client_code"),
    "sales-stray-quote-after-a-value.csv": (2, "client_code"),
    "clients-quoted-name-over-two-lines.csv": 1,
    "clients-header-quote-not-closed.csv": (1, "header"),
    # control characters
    "clients-nul-byte.csv": (2, "name"),
    "clients-escape-character.csv": (2, "name"),
    "clients-nul-in-code.csv": (2, "code"),
    "clients-tab-inside-name.csv": 1,
    # line ends
    "clients-cr-only-line-ends.csv": 2,
    "clients-crlf-line-ends.csv": 2,
    "clients-mixed-line-ends.csv": 3,
    "clients-no-final-line-end.csv": 1,
    "clients-blank-lines-between.csv": 2,
    # header
    "products-empty-file.csv": (1, "header"),
    "products-header-only.csv": NO_ROWS,
    "products-header-only-no-line-end.csv": NO_ROWS,
    "products-blank-first-line.csv": (1, "header"),
    "products-only-separators-below-header.csv": NO_ROWS,
    "clients-duplicate-headers.csv": (1, "name"),
    "clients-duplicate-headers-other-case.csv": (1, "name"),
    "clients-empty-header-cells.csv": 1,
    "clients-missing-required-column.csv": (1, "manager_code"),
    "clients-header-with-spaces-and-case.csv": 1,
    "clients-more-cells-than-header.csv": (2, "row"),
    "clients-fewer-cells-than-header.csv": (2, "manager_code"),
    # long cells
    "products-10000-character-name.csv": (2, "name"),
    "clients-10000-character-code.csv": (2, "code"),
    # formulas are text to the importer (exports neutralise them)
    "clients-formulas-as-values.csv": 3,
    "sales-formula-as-amount.csv": (2, "amount"),
    # numbers
    "sales-amount-1,234-ambiguous.csv": (2, "amount"),
    "sales-qty-1,234-ambiguous.csv": (2, "qty"),
    "sales-amount-1,234.56-english.csv": 1,
    "sales-amount-1.234,56-european.csv": (2, "amount"),
    "sales-amount-1 234,56-grouped.csv": 1,
    "sales-amount-1e309.csv": (2, "amount"),
    "sales-amount-1e3.csv": (2, "amount"),
    "sales-amount-nan.csv": (2, "amount"),
    "sales-amount-infinity.csv": (2, "amount"),
    "sales-amount-minus-zero.csv": 1,
    "sales-amount-arabic-indic-digits.csv": (2, "amount"),
    "sales-amount-full-width-digits.csv": (2, "amount"),
    "sales-amount-too-large.csv": (2, "amount"),
    "sales-amount-three-decimals.csv": (2, "amount"),
    "sales-amount-two-minus-signs.csv": (2, "amount"),
    "sales-qty-hex.csv": (2, "qty"),
    # dates
    "sales-date-0000-00-00.csv": (2, "doc_date"),
    "sales-date-31.02.2024.csv": (2, "doc_date"),
    "sales-date-9999-12-31.csv": (2, "doc_date"),
    "sales-date-1999-12-31.csv": (2, "doc_date"),
    "sales-date-with-time.csv": 1,
    "sales-date-with-words-after.csv": (2, "doc_date"),
    "sales-date-us-order.csv": (2, "doc_date"),
    "sales-date-arabic-indic-digits.csv": (2, "doc_date"),
    # limits and rules
    "clients-payment-terms-999999.csv": (2, "payment_terms_days"),
    "clients-payment-terms-negative.csv": (2, "payment_terms_days"),
    "clients-payment-terms-fraction.csv": (2, "payment_terms_days"),
    "clients-contract-end-before-start.csv": (2, "contract_end"),
    "sales-unknown-client.csv": (2, "client_code"),
    "sales-return-with-positive-amount.csv": (2, "amount"),
    "sales-same-line-twice.csv": (3, "doc_no, line_no"),
    "managers-email-differs-only-in-case.csv": (3, "email"),
    "managers-unknown-role.csv": (2, "role"),
    "invoices-due-before-invoice-date.csv": (2, "due_date"),
    "invoices-zero-amount.csv": (2, "amount"),
    "invoices-last-day-with-longest-terms.csv": 1,
    "payments-unknown-invoice.csv": (2, "invoice_no"),
    "plans-period-0024-01.csv": (2, "period"),
    "plans-period-month-13.csv": (2, "period"),
    "contacts-unknown-client.csv": (2, "client_code"),
    "contacts-valid.csv": 1,
    "clients-valid.xlsx": 2,
    "clients-truncated.xlsx": (1, "file"),
    "clients-sheet-xml-cut-in-half.xlsx": (20, "file"),
    "clients-bad-compression.xlsx": (1, "file"),
    "clients-csv-renamed.xlsx": (1, "file"),
    "clients-empty-zip.xlsx": (1, "file"),
    "clients-empty-file.xlsx": (1, "file"),
    "clients-no-sheets.xlsx": (1, "file"),
    "clients-no-sheet-part.xlsx": (1, "file"),
    "clients-merged-manager-cells.xlsx": (3, "manager_code"),
    "clients-merged-header-cells.xlsx": 1,
    "clients-huge-dimension.xlsx": 2,
    "clients-nonsense-dimension.xlsx": (1, "file"),
    "clients-header-only.xlsx": NO_ROWS,
    "clients-empty-first-row.xlsx": (1, "header"),
    "clients-empty-sheet.xlsx": (1, "header"),
    "clients-numbers-as-codes.xlsx": 1,
    "clients-missing-shared-string.xlsx": (2, "file"),
    "clients-nul-in-name.xlsx": 1,
    "clients-payment-terms-float.xlsx": (2, "payment_terms_days"),
    "clients-payment-terms-date-cell.xlsx": (2, "payment_terms_days"),
    "sales-line-no-date-cell.xlsx": (2, "line_no"),
    "sales-formula-cell-with-value.xlsx": 1,
    "sales-formula-cell-without-value.xlsx": (2, "amount"),
    "sales-formula-as-text.xlsx": (2, "amount"),
    "sales-error-cell.xlsx": (2, "amount"),
    "sales-bool-amount.xlsx": (2, "amount"),
    "sales-nan-cell.xlsx": (2, "file"),
    "sales-1e309-cell.xlsx": (2, "amount"),
    "sales-amount-float-noise.xlsx": (2, "amount"),
    "sales-date-cell-with-time.xlsx": 1,
    "sales-date-cell.xlsx": 1,
    "sales-date-cell-1900.xlsx": (2, "doc_date"),
    "sales-date-cell-negative.xlsx": (2, "doc_date"),
    "sales-date-cell-huge.xlsx": (2, "doc_date"),
    "sales-date-as-text.xlsx": (2, "doc_date"),
}
# Rules shared with the forms (kam.core.validation.Checker.not_before) word their message as a
# sentence without "; expected …" (tests/test_import_loading.py pins it); only the place is checked.
FORMS_WORDING = {"clients-contract-end-before-start.csv", "invoices-due-before-invoice-date.csv"}
D = Decimal


def _new_clients(engine):
    query = select(Client.code, Client.name).where(Client.code.not_in(["C1", "C2"]))
    return sorted(rows(engine, query))


def _sales(engine):
    return rows(engine, select(SalesLine.doc_date, SalesLine.amount, SalesLine.kind))


# What some of the loaded files leave in the database, beyond their row count.
STORED = {
    "clients-utf8.csv": (_new_clients, [("C3", "ООО «Ромашка»"), ("C4", "Ёлка №5")]),
    "clients-cp1251.csv": (_new_clients, [("C3", "ООО «Ромашка»"), ("C4", "Ёлка №5")]),
    "clients-bom-twice-at-start.csv": (_new_clients, [("C3", "Alpha")]),
    "clients-cr-only-line-ends.csv": (_new_clients, [("C3", "Alpha"), ("C4", "Beta")]),
    "clients-mixed-line-ends.csv": (_new_clients, [("C3", "Alpha"), ("C4", "Beta"), ("C5", "G")]),
    "clients-quoted-name-over-two-lines.csv": (_new_clients, [("C3", "Alpha\nBranch, 2")]),
    "clients-formulas-as-values.csv": (
        _new_clients,
        [("C3", '=HYPERLINK("http://x.example","x")'), ("C4", "+1+1"), ("C5", "@SUM(A1)")],
    ),
    "clients-numbers-as-codes.xlsx": (_new_clients, [("1001", "2.5")]),
    "clients-huge-dimension.xlsx": (_new_clients, [("C3", "Client 3"), ("C4", "Client 4")]),
    "sales-amount-1 234,56-grouped.csv": (_sales, [(dt.date(2024, 3, 5), D("1234.56"), "sale")]),
    "sales-amount-1,234.56-english.csv": (_sales, [(dt.date(2024, 3, 5), D("1234.56"), "sale")]),
    "sales-amount-minus-zero.csv": (_sales, [(dt.date(2024, 3, 5), D("0"), "sale")]),
    "sales-date-with-time.csv": (_sales, [(dt.date(2024, 3, 5), D("10"), "sale")]),
    "sales-date-cell-with-time.xlsx": (_sales, [(dt.date(2024, 3, 5), D("10"), "sale")]),
    "sales-formula-cell-with-value.xlsx": (_sales, [(dt.date(2024, 3, 5), D("10"), "sale")]),
}


def test_every_corpus_file_has_an_expected_outcome():
    files = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx"))
    assert files == sorted(EXPECTED)
    assert set(STORED) <= {name for name, n in EXPECTED.items() if isinstance(n, int) and n}


def _problem_line(name: str, line: int, column: str) -> re.Pattern[str]:
    tail = r".+" if name in FORMS_WORDING else r".+; expected .+"
    return re.compile(rf"^{re.escape(name)}:{line}: {re.escape(column)}: {tail}$", re.DOTALL)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_a_corpus_file_loads_exactly_or_is_rejected_whole(engine, db_url, tmp_path, capsys, name):
    base_data(engine, tmp_path)
    before = dump(engine)
    expected = EXPECTED[name]
    [summary] = load(engine, CORPUS / name)
    if isinstance(expected, tuple):
        line, column = expected
        problems = messages(summary)
        assert summary.status == "rejected", problems
        assert problems and _problem_line(name, line, column).match(problems[0]), problems
        assert all(re.match(rf"^{re.escape(name)}:\d+: [^:]+: .+", p) for p in problems)
        assert dump(engine) == before
    elif expected == NO_ROWS:
        assert (summary.status, summary.rows, messages(summary)) == ("empty", 0, [])
        assert dump(engine) == before
    else:
        assert (summary.status, messages(summary)) == ("loaded", [])
        assert summary.rows == expected
        assert summary.inserted + summary.updated + summary.unchanged == expected
        if name in STORED:
            query, stored = STORED[name]
            assert query(engine) == stored
    capsys.readouterr()

    # The command line, on the same database: no traceback, 1 for a rejected file, else 0 (a
    # file loaded above is unchanged the second time; only the audit log notes the load).
    after = _data(dump(engine))
    code = main(["import", str(CORPUS / name), "--database", db_url])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == (1 if isinstance(expected, tuple) else 0), out + err
    if isinstance(expected, tuple):
        assert err.splitlines()[0] == messages(summary)[0].splitlines()[0]
    else:
        assert err == ""
    assert _data(dump(engine)) == after


def _data(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    return {
        name: rows for name, rows in tables.items() if name not in ("audit_log", "data_version")
    }
