"""What loading a file reports: its problems (where, what is wrong and what was expected) and
its summary (rows read, inserted, updated, unchanged, rejected)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Wording = Callable[[str], str]  # how a problem reads: str (English) or the page's t


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
        """``loaded``, ``partial`` (loaded, some rows rejected) or ``rejected`` (nothing loaded)."""
        if not self.loaded:
            return "rejected"
        return "partial" if self.rejected else "loaded"

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
