"""Files uploaded through the Import page, saved to a folder so they load exactly like files
given on the command line, and the results tables the page shows."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kam.core.i18n import Msg
from kam.importer.entities import DEPENDENCY_ORDER, ENTITIES, FILE_SUFFIXES, entity_for_filename
from kam.importer.planning import ImportFile, UsageError
from kam.importer.summaries import FileSummary, Problem, Wording

if TYPE_CHECKING:  # pandas costs a second to import; the command line does not need it
    import pandas as pd


def save_upload(
    folder: Path, position: int, name: str, data: bytes, entity: str | None = None
) -> ImportFile:
    """Write an uploaded file under ``folder`` and say what it holds (``entity`` or its name).

    Raises UsageError when the kind of file or its entity cannot be told.
    """
    base = Path(name).name  # a browser may send a path; keep only the file name
    if Path(base).suffix.lower() not in FILE_SUFFIXES:
        raise UsageError(Msg("{file}: not a .csv or .xlsx file; expected one of those", file=base))
    kind = entity or entity_for_filename(base)
    if kind not in ENTITIES:
        # The entity names stay as they are: they are what the file name must start with.
        raise UsageError(
            Msg(
                "{file}: cannot tell what this file holds; expected a name starting with its "
                "entity ({entities}), or choose the entity",
                file=base,
                entities=", ".join(ENTITIES),
            )
        )
    # Each upload in its own subfolder: two files may have the same name.
    path = folder / str(position) / base
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return ImportFile(path, kind, base)


def in_dependency_order(files: Iterable[ImportFile]) -> list[ImportFile]:
    """``files`` in the order they must load (managers first, plans last), stable otherwise."""
    return sorted(files, key=lambda f: DEPENDENCY_ORDER.index(f.entity))


def problems_table(problems: Iterable[Problem], wording: Wording = str) -> pd.DataFrame:
    """The problems as a table: file, line, column, problem (each message as ``wording`` puts
    it: the page passes ``kam.core.i18n.t``; pandas would keep only the English text of a Msg)."""
    import pandas as pd

    return pd.DataFrame(
        [(p.file, p.line, p.column, wording(p.message)) for p in problems],
        columns=["file", "line", "column", "problem"],
    )


def summary_table(summaries: Iterable[FileSummary]) -> pd.DataFrame:
    """One row per file: what it held and what loading it did."""
    import pandas as pd

    return pd.DataFrame(
        [
            (s.file, s.entity, s.rows, s.inserted, s.updated, s.unchanged, s.rejected, s.status)
            for s in summaries
        ],
        columns=[
            "file", "entity", "rows", "inserted", "updated", "unchanged", "rejected", "status",
        ],
    )  # fmt: skip
