"""What loading a file reports: its problems (where, what is wrong and what was expected) and
its summary (rows read, inserted, updated, unchanged, rejected)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kam.core.i18n import Msg

Wording = Callable[[str], str]  # how a problem reads: str (English) or the page's t


class ReadError(ValueError):
    """The file cannot be read at all (or stops being readable at ``line``); ``message`` is a
    ``Msg`` when it has values."""

    def __init__(self, line: int, column: str, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where, in which column, what is wrong and what was expected.

    ``message`` is a ``Msg`` when it has values, so the page can translate it; ``str()`` of a
    problem is the English line the command prints.
    """

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


@dataclass
class FileSummary:
    """What loading one file did."""

    file: str
    entity: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    loaded: bool = False
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    rejected_path: Path | None = None
    ignored_columns: list[str] = field(default_factory=list)
    encoding: str = ""
    separator: str = ""
    seconds: float = 0.0

    @property
    def status(self) -> str:
        """``loaded``, ``partial`` (loaded, some rows rejected), ``empty`` (only a header:
        nothing to load) or ``rejected`` (nothing loaded)."""
        if not self.loaded:
            return "empty" if not self.rows and not self.problems else "rejected"
        return "partial" if self.rejected else "loaded"

    @property
    def fine(self) -> bool:
        """Whether nothing of the file was turned away (loaded whole, or had no rows)."""
        return self.status in ("loaded", "empty")

    def counts(self) -> dict[str, Any]:
        """The figures written to the audit log."""
        return {
            "file": self.file,
            "entity": self.entity,
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "rejected_file": str(self.rejected_path) if self.rejected_path else None,
        }


def committed_note(summaries: Sequence[FileSummary]) -> Msg | None:
    """After a load where something went wrong, which of its files were committed all the same
    (each file is its own transaction); None when everything loaded or nothing was written."""
    if all(s.fine for s in summaries) or any(s.dry_run for s in summaries):
        return None
    committed = [s.file for s in summaries if s.loaded]
    if not committed:
        return Msg("Nothing of this load was committed: fix the files and load them again.")
    return Msg(
        "Already committed in this load, each file on its own: {files}. Fix the other files "
        "and load only those again.",
        files=", ".join(committed),
    )
