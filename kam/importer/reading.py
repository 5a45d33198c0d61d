"""Export files as streams of rows: CSV in UTF-8 (with or without BOM) or Windows-1251, its
separator detected, or the first sheet of an XLSX workbook. Rows are yielded one at a time with
their line number in the file (the header is line 1), so memory does not grow with the file."""

from __future__ import annotations

import codecs
import csv
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kam.core.cells import undefused
from kam.core.i18n import Msg
from kam.importer.encoding import detect_encoding
from kam.importer.summaries import ReadError

__all__ = ["ReadError", "Table", "detect_encoding", "detect_separator", "open_table"]

SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
# No column of an import file holds notes: a value with more line breaks than an address
# might have is a quote left open, swallowing the rows below it.
MAX_LINE_BREAKS = 5
_log = logging.getLogger(__name__)

csv.field_size_limit(1 << 20)


@dataclass
class Table:
    """An open file: its header, its rows and how it was read."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (line number, cells), blank rows left out
    encoding: str  # "UTF-8", "UTF-8 with BOM", "Windows-1251" or "XLSX"
    separator: str  # ",", ";", "\t"; "," for XLSX (used for the rejected-rows file)
    fraction: Callable[[], float | None]  # how far through the file the reader is, 0..1


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


class _Lines:
    """The file's lines for the CSV reader, noting when they run out: a row that comes back
    after that was cut off by the end of the file inside a quoted value."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.ended = False
        self._lines = self._read(lines)

    def _read(self, lines: Iterable[str]) -> Iterator[str]:
        yield from lines
        self.ended = True

    def __iter__(self) -> Iterator[str]:
        return self._lines


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
        source = _Lines(fh)
        reader = csv.reader(source, delimiter=separator)
        try:
            header = next(reader)
        except csv.Error as exc:
            raise ReadError(
                1,
                "header",
                Msg("cannot be read ({reason}); expected column names", reason=str(exc)),
            ) from None
        if reader.line_num > 1 or source.ended:
            raise ReadError(
                1,
                "header",
                Msg(
                    "a quoted column name opens on this line and is not closed on it; expected "
                    "the column names on the first line, each quote closed"
                ),
            )

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
                if last > line or source.ended:
                    _check_quotes(line, last, cells, header, separator, source.ended)
                if any(cells):
                    # A file this project wrote (an export, a rejected-rows file) guards text a
                    # spreadsheet would run: the guard is not part of the value.
                    yield line, [undefused(c) for c in cells]

        label = "Windows-1251" if encoding == "cp1251" else "UTF-8 with BOM" if has_bom else "UTF-8"
        yield Table(header, rows(), label, separator, lambda: min(fh.buffer.tell() / size, 1.0))


def _check_quotes(
    line: int, last: int, cells: list[str], header: list[str], separator: str, ended: bool
) -> None:
    """Raise ReadError where a quoted value opens that runs to the end of the file, holds
    more than MAX_LINE_BREAKS line breaks, or takes in a line that looks like a whole row."""
    opened = line
    for index, cell in enumerate(cells):
        breaks = cell.count("\n")
        column = header[index].strip() if index < len(header) and header[index].strip() else "file"
        if ended and index == len(cells) - 1:
            raise ReadError(
                opened,
                column,
                Msg(
                    "a quoted value opens on this line and runs to the end of the file (line "
                    '{end}); expected its closing quote (")',
                    end=last,
                ),
            )
        if breaks > MAX_LINE_BREAKS:
            raise ReadError(
                opened,
                column,
                Msg(
                    "a quoted value opens on this line and runs over {lines} lines, to line "
                    '{end}; expected its closing quote (") within {most} lines',
                    lines=breaks + 1,
                    end=opened + breaks,
                    most=MAX_LINE_BREAKS + 1,
                ),
            )
        # A whole row inside a value (a separator for every column) is a quote left open; a
        # file of one or two columns is left alone, as any comma in an address would match.
        if breaks and len(header) >= 3:
            for offset, part in enumerate(cell.split("\n")[1:], start=1):
                if part.count(separator) >= len(header) - 1:
                    raise ReadError(
                        opened,
                        column,
                        Msg(
                            "a quoted value opens on this line and takes in line {inner}, which "
                            'looks like a row of its own; expected its closing quote (") '
                            "before that line",
                            inner=opened + offset,
                        ),
                    )
        opened += breaks


@contextmanager
def _open_xlsx(path: Path) -> Iterator[Table]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any kind: see _damaged
        raise _damaged(1, exc) from None
    try:
        try:
            sheets = workbook.worksheets
            if not sheets:
                raise ReadError(1, "file", "has no sheets; expected the data on the first sheet")
            sheet = sheets[0]
            total = sheet.max_row if isinstance(sheet.max_row, int) and sheet.max_row > 0 else None
            values = sheet.iter_rows(values_only=True)
            first = next(values, None)
        except ReadError:
            raise
        except Exception as exc:  # any kind: see _damaged
            raise _damaged(1, exc) from None
        if first is None or not any(v not in (None, "") for v in first):
            raise ReadError(1, "header", "the first row is empty; expected the column names")
        header = ["" if v is None else str(v) for v in first]
        position = [1]

        def rows() -> Iterator[tuple[int, list[Any]]]:
            while True:
                try:
                    cells = next(values, None)
                except Exception as exc:  # any kind: see _damaged
                    raise _damaged(position[0] + 1, exc) from None
                if cells is None:
                    return
                position[0] += 1
                if any(v is not None and v != "" for v in cells):
                    yield position[0], list(cells)

        yield Table(
            header,
            rows(),
            "XLSX",
            ",",
            lambda: min(position[0] / total, 1.0) if total else None,
        )
    finally:
        workbook.close()


def _damaged(line: int, exc: Exception) -> ReadError:
    """The one message for a workbook that cannot be read: a damaged zip, bad compression,
    sheet XML cut short, a CSV or other file renamed .xlsx. openpyxl, zipfile, zlib and the
    XML parser each raise their own kinds of error for these, so every error counts."""
    _log.debug("unreadable workbook from row %s", line, exc_info=exc)
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if line == 1:
        message = Msg(
            "cannot be opened as a workbook ({reason}); expected an .xlsx file", reason=reason
        )
    else:
        message = Msg(
            "cannot be read as a workbook from row {line} on ({reason}); expected an .xlsx file",
            line=line,
            reason=reason,
        )
    return ReadError(line, "file", message)
