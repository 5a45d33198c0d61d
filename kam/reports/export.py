"""Tables to files: CSV (UTF-8 with BOM, so Excel opens Cyrillic right) and XLSX."""

from __future__ import annotations

import io

import pandas as pd

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_csv(frame: pd.DataFrame) -> bytes:
    """The table as CSV bytes; UTF-8 with a BOM for Excel's sake."""
    return frame.to_csv(index=False).encode("utf-8-sig")


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
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for cells in ws.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in cells[:200])
            ws.column_dimensions[cells[0].column_letter].width = min(max(width + 2, 8), 60)
    return buffer.getvalue()
