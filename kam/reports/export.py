"""Tables to files: CSV (UTF-8 with BOM, so Excel opens Cyrillic right) and XLSX.

Every file holds data, never formulas: text a spreadsheet would run is neutralised here, the
rule kept in kam.core.cells (OWASP's CSV injection advice), for the pages and ``kam report`` alike.
"""

from __future__ import annotations

import io
from typing import IO

import pandas as pd

from kam.core.cells import FORMULA_STARTS, defused  # noqa: F401 - re-exported for callers

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

def _defused_frame(frame: pd.DataFrame) -> pd.DataFrame:
    # Only object and string columns can hold text; numbers (a negative -5) stay numbers.
    clean = frame.copy()
    for col in clean.columns:
        if clean[col].dtype == object or isinstance(clean[col].dtype, pd.StringDtype):
            clean[col] = clean[col].map(defused)
    return clean


def write_csv(frame: pd.DataFrame, out: IO[bytes], *, encoding: str = "utf-8") -> None:
    """Write ``frame`` as CSV, every formula-like text cell neutralised."""
    # CRLF line ends (RFC 4180) also make the writer quote a cell holding a lone carriage
    # return, which would otherwise split its row in two.
    text = _defused_frame(frame).to_csv(index=False, lineterminator="\r\n")
    out.write(text.encode(encoding))


def to_csv(frame: pd.DataFrame) -> bytes:
    """The table as CSV bytes; UTF-8 with a BOM for Excel's sake."""
    buffer = io.BytesIO()
    write_csv(frame, buffer, encoding="utf-8-sig")
    return buffer.getvalue()


def to_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """The table as an XLSX workbook with one sheet and a frozen, filtered header row."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        clean = frame.copy()
        for col in clean.columns:
            # Excel has no time-zone-aware datetimes.
            if isinstance(clean[col].dtype, pd.DatetimeTZDtype):
                clean[col] = clean[col].dt.tz_localize(None)
        clean.to_excel(writer, sheet_name=sheet[:31], index=False)
        ws = writer.sheets[sheet[:31]]
        for row in ws.iter_rows():
            for cell in row:
                # openpyxl makes any text starting with "=" a formula; a string cell is never
                # run, and keeps the text exactly as stored.
                if cell.data_type == "f":
                    cell.data_type = "s"
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for cells in ws.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in cells[:200])
            ws.column_dimensions[cells[0].column_letter].width = min(max(width + 2, 8), 60)
    return buffer.getvalue()
