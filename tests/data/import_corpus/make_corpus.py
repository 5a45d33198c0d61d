"""Write the malformed import files of this folder (issue 14): run it again to get the very same
bytes. ``python tests/data/import_corpus/make_corpus.py``

Every file is tiny and named for what it tries; its name starts with the entity it claims to
be. They are checked against the base data of tests/test_import_corpus.py: managers M1 and M2,
clients C1 (M1) and C2 (M2), products P1 and P2. The expected outcome of each is written by hand
in that test, not here.

Workbooks are built from their XML parts by hand (no openpyxl: its files carry the time they
were saved), zipped with fixed dates and no compression, so that they are byte-for-byte the
same on every run and every machine.
"""

from __future__ import annotations

import codecs
import random
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
SUFFIXES = (".csv", ".xlsx")

CLIENTS = "code,name,manager_code\n"
SALES = "doc_no,doc_date,client_code,sku,qty,amount\n"
OK_SALE = "D1,2024-03-05,C1,P1,1,10\n"


def sale(amount: str = "10", date: str = "2024-03-05", qty: str = "1") -> str:
    """A sales file of one line, its cells quoted so that commas stay inside them."""
    return SALES + f'D1,"{date}",C1,P1,"{qty}","{amount}"\n'


# --- CSV (text written as bytes, so that encodings and line ends are exact) -------------------

CSV: dict[str, bytes] = {
    # encodings
    "clients-utf8.csv": (CLIENTS + "C3,ООО «Ромашка»,M1\nC4,Ёлка №5,M2\n").encode(),
    "clients-utf8-bom.csv": codecs.BOM_UTF8 + (CLIENTS + "C3,ООО Альфа,M1\n").encode(),
    "clients-cp1251.csv": (CLIENTS + "C3,ООО «Ромашка»,M1\nC4,Ёлка №5,M2\n").encode("cp1251"),
    "clients-mixed-utf8-then-cp1251.csv": CLIENTS.encode()
    + "C3,ООО Альфа,M1\n".encode()
    + "C4,ООО Бета,M1\n".encode("cp1251"),
    "clients-mixed-cp1251-then-utf8.csv": CLIENTS.encode()
    + "C3,ООО Альфа,M1\n".encode("cp1251")
    + "C4,ООО Бета,M1\n".encode(),
    "clients-latin1.csv": (CLIENTS + "C3,Plain GmbH,M1\nC4,Müller GmbH,M1\n").encode("latin-1"),
    "clients-utf16.csv": (CLIENTS + "C3,Alpha,M1\n").encode("utf-16"),
    "clients-bom-in-the-middle.csv": (CLIENTS + "C3,Alpha,M1\n\ufeffC4,Beta,M1\n").encode(),
    "clients-bom-inside-a-name.csv": (CLIENTS + "C3,Al\ufeffpha,M1\n").encode(),
    "clients-bom-twice-at-start.csv": codecs.BOM_UTF8 * 2 + (CLIENTS + "C3,Alpha,M1\n").encode(),
    "clients-invalid-utf8-bytes.csv": CLIENTS.encode() + b"C3,Al\xff\xfepha,M1\n",
    "clients-binary-junk.csv": random.Random(14).randbytes(600),
    # quotes
    "sales-unclosed-quote-to-end.csv": (
        SALES + OK_SALE + 'D2,2024-03-05,"C1,P1,1,20\nD3,2024-03-05,C1,P1,1,30\n'
    ).encode(),
    "sales-unclosed-quote-swallows-a-row.csv": (
        SALES + OK_SALE + 'D2,2024-03-05,"C1,P1,1,20\nD3,2024-03-05,C1,P1,1,30\nD4,x",P1,1,4\n'
    ).encode(),
    "sales-quoted-value-over-seven-lines.csv": (
        SALES + 'D1,2024-03-05,"C1' + "\nx" * 6 + '",P1,1,10\n'
    ).encode(),
    "sales-quote-in-the-middle-of-a-value.csv": (SALES + 'D1,2024-03-05,C"1,P1,1,10\n').encode(),
    "sales-stray-quote-after-a-value.csv": (SALES + 'D1,2024-03-05,"C1"x,P1,1,10\n').encode(),
    "clients-quoted-name-over-two-lines.csv": (CLIENTS + 'C3,"Alpha\nBranch, 2",M1\n').encode(),
    "clients-header-quote-not-closed.csv": (b'code,"name,manager_code\nC3,Alpha,M1\n'),
    # control characters
    "clients-nul-byte.csv": (CLIENTS + "C3,Al\x00pha,M1\n").encode(),
    "clients-escape-character.csv": (CLIENTS + "C3,Al\x1bpha,M1\n").encode(),
    "clients-nul-in-code.csv": (CLIENTS + "C\x003,Alpha,M1\n").encode(),
    "clients-tab-inside-name.csv": (CLIENTS + "C3,Al\tpha,M1\n").encode(),
    # line ends
    "clients-cr-only-line-ends.csv": (CLIENTS + "C3,Alpha,M1\nC4,Beta,M2\n")
    .replace("\n", "\r")
    .encode(),
    "clients-crlf-line-ends.csv": (CLIENTS + "C3,Alpha,M1\nC4,Beta,M2\n")
    .replace("\n", "\r\n")
    .encode(),
    "clients-mixed-line-ends.csv": b"code,name,manager_code\r\nC3,Alpha,M1\rC4,Beta,M2\nC5,G,M1",
    "clients-no-final-line-end.csv": (CLIENTS + "C3,Alpha,M1").encode(),
    "clients-blank-lines-between.csv": (CLIENTS + "\n\nC3,Alpha,M1\n\n\nC4,Beta,M2\n\n").encode(),
    # header
    "products-empty-file.csv": b"",
    "products-header-only.csv": b"sku,name,category\n",
    "products-header-only-no-line-end.csv": b"sku,name,category",
    "products-blank-first-line.csv": b"\nsku,name,category\nP3,Tea,Drinks\n",
    "products-only-separators-below-header.csv": b"sku,name,category\n,,\n,,\n",
    "clients-duplicate-headers.csv": b"code,name,name,manager_code\nC3,Alpha,Beta,M1\n",
    "clients-duplicate-headers-other-case.csv": b"code,Name, NAME ,manager_code\nC3,A,B,M1\n",
    "clients-empty-header-cells.csv": b"code,,name,,manager_code\nC3,x,Alpha,y,M1\n",
    "clients-missing-required-column.csv": b"code,name\nC3,Alpha\n",
    "clients-header-with-spaces-and-case.csv": b" Code ; NAME ;Manager_Code \nC3;Alpha;M1\n",
    "clients-more-cells-than-header.csv": b"code,name,manager_code\nC3,Alpha,M1,extra,more\n",
    "clients-fewer-cells-than-header.csv": b"code,name,manager_code\nC3,Alpha\n",
    # long cells
    "products-10000-character-name.csv": ("sku,name\nP3," + "x" * 10_000 + "\n").encode(),
    "clients-10000-character-code.csv": (CLIENTS + "C" * 10_000 + ",Alpha,M1\n").encode(),
    # formulas are text to the importer (exports neutralise them)
    "clients-formulas-as-values.csv": (
        CLIENTS + 'C3,"=HYPERLINK(""http://x.example"",""x"")",M1\nC4,+1+1,M1\nC5,@SUM(A1),M2\n'
    ).encode(),
    "sales-formula-as-amount.csv": (SALES + "D1,2024-03-05,C1,P1,1,=1+2\n").encode(),
    # numbers
    "sales-amount-1,234-ambiguous.csv": sale("1,234").encode(),
    "sales-qty-1,234-ambiguous.csv": sale(qty="1,234").encode(),
    "sales-amount-1,234.56-english.csv": sale("1,234.56").encode(),
    "sales-amount-1.234,56-european.csv": sale("1.234,56").encode(),
    "sales-amount-1 234,56-grouped.csv": (
        "doc_no;doc_date;client_code;amount\nD1;05.03.2024;C1;1\u00a0234,56\n"
    ).encode(),
    "sales-amount-1e309.csv": sale("1e309").encode(),
    "sales-amount-1e3.csv": sale("1e3").encode(),
    "sales-amount-nan.csv": sale("NaN").encode(),
    "sales-amount-infinity.csv": sale("Infinity").encode(),
    "sales-amount-minus-zero.csv": sale("-0").encode(),
    "sales-amount-arabic-indic-digits.csv": sale("٣٤").encode(),
    "sales-amount-full-width-digits.csv": sale("１２３").encode(),
    "sales-amount-too-large.csv": sale("1000000000000").encode(),
    "sales-amount-three-decimals.csv": sale("10.001").encode(),
    "sales-amount-two-minus-signs.csv": sale("--5").encode(),
    "sales-qty-hex.csv": sale(qty="0x10").encode(),
    # dates
    "sales-date-0000-00-00.csv": sale(date="0000-00-00").encode(),
    "sales-date-31.02.2024.csv": sale(date="31.02.2024").encode(),
    "sales-date-9999-12-31.csv": sale(date="9999-12-31").encode(),
    "sales-date-1999-12-31.csv": sale(date="1999-12-31").encode(),
    "sales-date-with-time.csv": sale(date="05.03.2024 14:30").encode(),
    "sales-date-with-words-after.csv": sale(date="2024-03-05 noon").encode(),
    "sales-date-us-order.csv": sale(date="03/05/2024").encode(),
    "sales-date-arabic-indic-digits.csv": sale(date="٢٠٢٤-٠٣-٠٥").encode(),
    # limits and rules
    "clients-payment-terms-999999.csv": b"code,name,manager_code,payment_terms_days\nC3,A,M1,999999\n",
    "clients-payment-terms-negative.csv": b"code,name,manager_code,payment_terms_days\nC3,A,M1,-5\n",
    "clients-payment-terms-fraction.csv": b"code,name,manager_code,payment_terms_days\nC3,A,M1,30.5\n",
    "clients-contract-end-before-start.csv": (
        b"code,name,manager_code,contract_start,contract_end\nC3,A,M1,2024-06-01,2024-01-01\n"
    ),
    "sales-unknown-client.csv": (SALES + "D1,2024-03-05,C9,P1,1,10\n").encode(),
    "sales-return-with-positive-amount.csv": (
        b"doc_no,doc_date,client_code,amount,kind\nD1,2024-03-05,C1,10,return\n"
    ),
    "sales-same-line-twice.csv": (
        b"doc_no,line_no,doc_date,client_code,amount\nD1,1,2024-03-05,C1,10\nD1,1,2024-03-05,C1,20\n"
    ),
    "managers-email-differs-only-in-case.csv": (
        b"code,name,email\nM3,Vera,vera@example.com\nM4,Vlad,VERA@Example.com\n"
    ),
    "managers-unknown-role.csv": b"code,name,role\nM3,Vera,boss\n",
    "invoices-due-before-invoice-date.csv": (
        b"invoice_no,client_code,invoice_date,due_date,amount\nI1,C1,2024-03-05,2024-03-01,10\n"
    ),
    "invoices-zero-amount.csv": b"invoice_no,client_code,invoice_date,amount\nI1,C1,2024-03-05,0\n",
    "invoices-last-day-with-longest-terms.csv": (
        b"invoice_no,client_code,invoice_date,amount\nI1,C1,2100-12-31,5\n"
    ),
    "payments-unknown-invoice.csv": (
        b"payment_no,client_code,payment_date,amount,invoice_no\nY1,C1,2024-03-05,10,I404\n"
    ),
    "plans-period-0024-01.csv": b"period,manager_code,metric,target\n0024-01,M1,revenue,5\n",
    "plans-period-month-13.csv": b"period,manager_code,metric,target\n2024-13,M1,revenue,5\n",
    "contacts-unknown-client.csv": b"client_code,name\nC9,Ivan\n",
    "contacts-valid.csv": b"client_code;name;phone\nC1;Ivan;+7 900 123-45-67\n",
}


# --- XLSX, built from XML ---------------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)  # fmt: skip
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)  # fmt: skip
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)  # fmt: skip
NS = (
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
SHEETS = '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
# Cell styles: 0 general, 1 a date with a time (numFmt 22), 2 a date (numFmt 14).
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)  # fmt: skip


def column_letter(index: int) -> str:
    return chr(ord("A") + index)


def cell(ref: str, value: object) -> str:
    """One <c>: text is an inline string, a number a number; a tuple is a special cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    assert isinstance(value, tuple)
    kind, rest = value[0], value[1:]
    if kind == "formula":  # ("formula", "SUM(1,2)", "3" or None for no cached value)
        formula, cached = rest
        v = "" if cached is None else f"<v>{cached}</v>"
        return f'<c r="{ref}"><f>{escape(formula)}</f>{v}</c>'
    if kind == "datetime":  # ("datetime", serial): style 1, a date with a time
        return f'<c r="{ref}" s="1"><v>{rest[0]}</v></c>'
    if kind == "date":
        return f'<c r="{ref}" s="2"><v>{rest[0]}</v></c>'
    if kind == "raw":  # ("raw", '<c …>…</c>' with {ref})
        return rest[0].format(ref=ref)
    raise ValueError(kind)


def sheet_xml(rows: list[list[object]], dimension: str | None = None, merged: str = "") -> str:
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(cell(f"{column_letter(c)}{r}", v) for c, v in enumerate(row))
        body.append(f'<row r="{r}">{cells}</row>')
    if dimension is None:
        width = max((len(r) for r in rows), default=1)
        dimension = f"A1:{column_letter(width - 1)}{max(len(rows), 1)}"
    merge = f'<mergeCells count="1"><mergeCell ref="{merged}"/></mergeCells>' if merged else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet {NS}><dimension ref="{dimension}"/>'
        f"<sheetData>{''.join(body)}</sheetData>{merge}</worksheet>"
    )


def workbook_parts(sheet: str, sheets: str = SHEETS) -> dict[str, str]:
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<workbook {NS}>{sheets}</workbook>"
    )
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/styles.xml": STYLES,
        "xl/worksheets/sheet1.xml": sheet,
    }


def zipped(parts: Mapping[str, str | bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            book.writestr(info, content)
    return out.getvalue()


def xlsx(rows: list[list[object]], **kwargs: str) -> bytes:
    return zipped(workbook_parts(sheet_xml(rows, **kwargs)))


CLIENT_ROWS: list[list[object]] = [["code", "name", "manager_code"]]
CLIENT_ROWS += [[f"C{i}", f"Client {i}", "M1"] for i in range(3, 43)]
SALES_HEADER: list[object] = ["doc_no", "doc_date", "client_code", "sku", "qty", "amount"]


def sales_xlsx(amount: object = 10, date: object = "2024-03-05") -> bytes:
    return xlsx([SALES_HEADER, ["D1", date, "C1", "P1", 1, amount]])


def _cut_sheet_xml() -> bytes:
    parts: dict[str, str | bytes] = dict(workbook_parts(sheet_xml(CLIENT_ROWS)))
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet[: len(sheet) // 2]
    return zipped(parts)


def _bad_compression() -> bytes:
    data = zipped(dict(workbook_parts(sheet_xml(CLIENT_ROWS))), zipfile.ZIP_DEFLATED)
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as book:
        info = book.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    spoiled = bytearray(data)
    for i in range(start + 20, start + 60):
        spoiled[i] ^= 0x5A
    return bytes(spoiled)


def _empty_zip() -> bytes:
    return zipped({})


def _missing_shared_strings() -> bytes:
    rows: list[list[object]] = [
        ["code", "name", "manager_code"],
        ["C3", ("raw", '<c r="{ref}" t="s"><v>7</v></c>'), "M1"],
    ]
    return xlsx(rows)


XLSX: dict[str, bytes] = {
    "clients-valid.xlsx": xlsx(CLIENT_ROWS[:3]),
    "clients-truncated.xlsx": xlsx(CLIENT_ROWS)[:700],
    "clients-sheet-xml-cut-in-half.xlsx": _cut_sheet_xml(),
    "clients-bad-compression.xlsx": _bad_compression(),
    "clients-csv-renamed.xlsx": (CLIENTS + "C3,Alpha,M1\n").encode(),
    "clients-empty-zip.xlsx": _empty_zip(),
    "clients-empty-file.xlsx": b"",
    "clients-no-sheets.xlsx": zipped(
        dict(workbook_parts(sheet_xml(CLIENT_ROWS[:2]), sheets="<sheets/>"))
    ),
    "clients-no-sheet-part.xlsx": zipped(
        {
            k: v
            for k, v in workbook_parts(sheet_xml(CLIENT_ROWS[:2])).items()
            if k != "xl/worksheets/sheet1.xml"
        }
    ),
    "clients-merged-manager-cells.xlsx": xlsx(
        [["code", "name", "manager_code"], ["C3", "Alpha", "M1"], ["C4", "Beta", None]],
        merged="C2:C3",
    ),
    "clients-merged-header-cells.xlsx": xlsx(
        [["code", "name", None, "manager_code"], ["C3", "Alpha", "x", "M1"]], merged="B1:C1"
    ),
    "clients-huge-dimension.xlsx": xlsx(CLIENT_ROWS[:3], dimension="A1:XFD1048576"),
    "clients-nonsense-dimension.xlsx": xlsx(CLIENT_ROWS[:3], dimension="ZZZZ0:A"),
    "clients-header-only.xlsx": xlsx(CLIENT_ROWS[:1]),
    "clients-empty-first-row.xlsx": xlsx([[None], *CLIENT_ROWS[:2]], dimension="A1:C3"),
    "clients-empty-sheet.xlsx": xlsx([], dimension="A1"),
    "clients-numbers-as-codes.xlsx": xlsx([["code", "name", "manager_code"], [1001, 2.5, "M1"]]),
    "clients-missing-shared-string.xlsx": _missing_shared_strings(),
    "clients-nul-in-name.xlsx": xlsx([["code", "name", "manager_code"], ["C3", "A_x0000_b", "M1"]]),
    "clients-payment-terms-float.xlsx": xlsx(
        [["code", "name", "manager_code", "payment_terms_days"], ["C3", "A", "M1", 30.5]]
    ),
    "clients-payment-terms-date-cell.xlsx": xlsx(
        [["code", "name", "manager_code", "payment_terms_days"], ["C3", "A", "M1", ("date", 30)]]
    ),
    "sales-line-no-date-cell.xlsx": xlsx(
        [
            ["doc_no", "line_no", "doc_date", "client_code", "amount"],
            ["D1", ("date", 45000), "2024-03-05", "C1", 10],
        ]
    ),
    "sales-formula-cell-with-value.xlsx": sales_xlsx(("formula", "SUM(4,6)", "10")),
    "sales-formula-cell-without-value.xlsx": sales_xlsx(("formula", "SUM(4,6)", None)),
    "sales-formula-as-text.xlsx": sales_xlsx("=SUM(4,6)"),
    "sales-error-cell.xlsx": sales_xlsx(("raw", '<c r="{ref}" t="e"><v>#DIV/0!</v></c>')),
    "sales-bool-amount.xlsx": sales_xlsx(("raw", '<c r="{ref}" t="b"><v>1</v></c>')),
    "sales-nan-cell.xlsx": sales_xlsx(("raw", '<c r="{ref}"><v>NaN</v></c>')),
    "sales-1e309-cell.xlsx": sales_xlsx(("raw", '<c r="{ref}"><v>1e309</v></c>')),
    "sales-amount-float-noise.xlsx": sales_xlsx(0.1 + 0.2),
    "sales-date-cell-with-time.xlsx": sales_xlsx(date=("datetime", 45356.6041666667)),
    "sales-date-cell.xlsx": sales_xlsx(date=("date", 45356)),
    "sales-date-cell-1900.xlsx": sales_xlsx(date=("date", 1)),
    "sales-date-cell-negative.xlsx": sales_xlsx(date=("date", -5)),
    "sales-date-cell-huge.xlsx": sales_xlsx(date=("date", 99999999)),
    "sales-date-as-text.xlsx": sales_xlsx(date="31.02.2024"),
}


def main() -> None:
    for old in HERE.iterdir():
        if old.suffix in SUFFIXES:
            old.unlink()
    for name, data in {**CSV, **XLSX}.items():
        (HERE / name).write_bytes(data)
    print(f"{len(CSV)} CSV and {len(XLSX)} XLSX files written to {HERE}")


if __name__ == "__main__":
    main()
