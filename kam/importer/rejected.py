"""The rejected-rows file: the rows of a file that did not load, as they were read, each with
what is wrong, so they can be fixed and loaded again."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from kam.core.cells import defused
from kam.importer.parsing import cell_text
from kam.importer.reading import Table
from kam.importer.summaries import Wording

REJECTED_SUFFIX = ".rejected.csv"


class RejectedRows:
    """A rejected-rows file for ``table``, with the header and separator of the file read;
    written on the first rejected row, so a file with none leaves nothing behind."""

    def __init__(self, path: Path, table: Table, *, add_line_no: bool, wording: Wording) -> None:
        self.path = path
        self.table = table
        self.width = len(table.header)
        self.add_line_no = add_line_no
        self.wording = wording
        self._file: Any = None
        self._writer: Any = None

    def write(self, cells: list[Any], line_no: Any, problems: list[tuple[str, str]]) -> None:
        """Add one row as it was read, then what is wrong with it (as ``wording`` puts it)."""
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._file, delimiter=self.table.separator)
            header = list(self.table.header)
            if self.add_line_no:
                header.append("line_no")
            self._writer.writerow([*header, "error"])
        out = [cell_text(c) for c in cells[: self.width]]
        out += [""] * (self.width - len(out))
        if self.add_line_no:
            # The position the line had in its document, so the fixed row loads in its place.
            out.append(cell_text(line_no))
        out.append("; ".join(f"{c}: {self.wording(m)}" for c, m in problems))
        self._writer.writerow([defused(c) for c in out])

    def close(self) -> bool:
        """Finish the file; True when it had been started (and is now complete)."""
        if self._file is None:
            return False
        self._file.close()
        self._file = None
        return True
