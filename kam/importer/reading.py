"""Export files as streams of rows: CSV in UTF-8 (with or without BOM) or Windows-1251, its
separator detected, or the first sheet of an XLSX workbook. Rows are yielded one at a time with
their line number in the file (the header is line 1), so memory does not grow with the file."""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kam.core.i18n import Msg

SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_BLOCK = 1 << 20

csv.field_size_limit(1 << 20)


class ReadError(ValueError):
    """The file cannot be read at all (or stops being readable at ``line``); ``message`` is a
    ``Msg`` when it has values."""

    def __init__(self, line: int, column: str, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


@dataclass
class Table:
    """An open file: its header, its rows and how it was read."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (line number, cells), blank rows left out
    encoding: str  # "UTF-8", "UTF-8 with BOM", "Windows-1251" or "XLSX"
    separator: str  # ",", ";", "\t"; "," for XLSX (used for the rejected-rows file)
    fraction: Callable[[], float | None]  # how far through the file the reader is, 0..1


def detect_encoding(path: Path) -> str:
    """The Python codec for a CSV file: utf-8-sig when every byte is UTF-8, else cp1251."""
    if _decodes(path, "utf-8") is None:
        return "utf-8-sig"
    failure = _decodes(path, "cp1251")
    if failure is not None:
        line, byte = failure
        raise ReadError(
            line,
            "file",
            Msg(
                "byte {byte} is neither UTF-8 nor Windows-1251; expected a CSV file saved as "
                "UTF-8 or Windows-1251",
                byte=f"0x{byte:02x}",
            ),
        )
    return "cp1251"


def _decodes(path: Path, encoding: str) -> tuple[int, int] | None:
    """None when the whole file decodes, else (line, byte) of the first failure."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    with path.open("rb") as fh:
        while True:
            block = fh.read(_BLOCK)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                return lines + block.count(b"\n", 0, exc.start), block[exc.start]
            if not block:
                return None
            lines += block.count(b"\n")


def detect_separator(header_line: str) -> str:
    """The separator used most often in the header line, outside quotes (comma if none)."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ","


@contextmanager
def open_table(path: Path) -> Iterator[Table]:
    """Open a .csv or .xlsx file for reading; raises ReadError when it cannot be read."""
    if path.suffix.lower() == ".xlsx":
        with _open_xlsx(path) as table:
            yield table
    else:
        with _open_csv(path) as table:
            yield table


@contextmanager
def _open_csv(path: Path) -> Iterator[Table]:
    encoding = detect_encoding(path)
    size = path.stat().st_size or 1
    with path.open("r", encoding=encoding, newline="") as fh:
        has_bom = encoding == "utf-8-sig" and fh.buffer.peek(3)[:3] == codecs.BOM_UTF8
        first = fh.readline()
        if not first.strip():
            raise ReadError(1, "header", "the first line is empty; expected the column names")
        separator = detect_separator(first.rstrip("\r\n"))
        fh.seek(0)
        reader = csv.reader(fh, delimiter=separator)
        try:
            header = next(reader)
        except csv.Error as exc:
            raise ReadError(
                1,
                "header",
                Msg("cannot be read ({reason}); expected column names", reason=str(exc)),
            ) from None

        def rows() -> Iterator[tuple[int, list[Any]]]:
            last = reader.line_num
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise ReadError(
                        last + 1,
                        "file",
                        Msg("is not valid CSV ({reason}); expected closed quotes", reason=str(exc)),
                    ) from None
                line, last = last + 1, reader.line_num
                if any(cells):
                    yield line, cells

        label = "Windows-1251" if encoding == "cp1251" else "UTF-8 with BOM" if has_bom else "UTF-8"
        yield Table(header, rows(), label, separator, lambda: min(fh.buffer.tell() / size, 1.0))


@contextmanager
def _open_xlsx(path: Path) -> Iterator[Table]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReadError(
            1,
            "file",
            Msg(
                "cannot be opened as a workbook ({reason}); expected an .xlsx file",
                reason=str(exc),
            ),
        ) from None
    try:
        if not workbook.worksheets:
            raise ReadError(1, "file", "has no sheets; expected the data on the first sheet")
        sheet = workbook.worksheets[0]
        total = sheet.max_row if isinstance(sheet.max_row, int) and sheet.max_row > 0 else None
        values = sheet.iter_rows(values_only=True)
        first = next(values, None)
        if first is None or not any(v not in (None, "") for v in first):
            raise ReadError(1, "header", "the first row is empty; expected the column names")
        header = ["" if v is None else str(v) for v in first]
        position = [1]

        def rows() -> Iterator[tuple[int, list[Any]]]:
            for line, cells in enumerate(values, start=2):
                position[0] = line
                if any(v is not None and v != "" for v in cells):
                    yield line, list(cells)

        yield Table(
            header,
            rows(),
            "XLSX",
            ",",
            lambda: min(position[0] / total, 1.0) if total else None,
        )
    finally:
        workbook.close()
