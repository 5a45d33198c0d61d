"""A file's header matched to its entity's columns, and a preview of the first rows parsed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import islice
from typing import Any

from kam.core.i18n import Msg, text_of
from kam.importer.entities import ENTITIES, Entity
from kam.importer.parsing import CellError, cell_text
from kam.importer.planning import ImportFile
from kam.importer.reading import ReadError, open_table
from kam.importer.summaries import Problem

_log = logging.getLogger(__name__)


@dataclass
class Preview:
    """The first rows of a file as parsed, with the problems found in them."""

    columns: list[str]
    rows: list[dict[str, Any]]
    problems: list[Problem]
    encoding: str = ""
    separator: str = ""


def match_header(
    header: list[str], entity: Entity
) -> tuple[dict[str, int], list[tuple[str, str]], list[str]]:
    """Column name → index in the row; problems with the header; columns that are ignored."""
    known = {c.name for c in entity.columns}
    columns: dict[str, int] = {}
    problems: list[tuple[str, str]] = []
    ignored: list[str] = []
    for index, raw in enumerate(header):
        name = raw.replace("\ufeff", "").strip().lower()
        if not name:
            continue
        if name in columns:
            problems.append(
                (
                    name,
                    Msg(
                        "appears twice in the header (columns {first} and {second}); expected "
                        "each column once",
                        first=columns[name] + 1,
                        second=index + 1,
                    ),
                )
            )
        elif name in known:
            columns[name] = index
        else:
            ignored.append(raw.strip())
    for name in entity.required:
        if name not in columns:
            problems.append(
                (
                    name,
                    Msg(
                        "required column is missing; expected a header with {columns}",
                        columns=", ".join(entity.required),
                    ),
                )
            )
    return columns, problems, ignored


def preview(file: ImportFile, rows: int = 10) -> Preview:
    """The first ``rows`` rows of ``file`` parsed (no database needed), and their problems."""
    entity = ENTITIES[file.entity]
    try:
        with open_table(file.path) as table:
            columns, header_problems, _ = match_header(table.header, entity)
            problems = [Problem(file.label, 1, c, m) for c, m in header_problems]
            names = [c.name for c in entity.columns if c.name in columns]
            parsed: list[dict[str, Any]] = []
            for line, cells in islice(table.rows, rows):
                values: dict[str, Any] = {"line": line}
                for name in names:
                    index = columns[name]
                    raw = cells[index] if index < len(cells) else None
                    try:
                        values[name] = entity.column(name).parse(raw)
                    except CellError as exc:
                        values[name] = cell_text(raw)
                        problems.append(Problem(file.label, line, name, text_of(exc)))
                parsed.append(values)
            return Preview(["line", *names], parsed, problems, table.encoding, table.separator)
    except ReadError as exc:
        return Preview([], [], [Problem(file.label, exc.line, exc.column, exc.message)])
    except Exception:
        # A bug, not the file's fault: the log gets the traceback, the page one line.
        _log.exception("previewing %s failed", file.label)
        message = Msg("something went wrong reading this file; the log says why")
        return Preview([], [], [Problem(file.label, 1, "file", message)])
