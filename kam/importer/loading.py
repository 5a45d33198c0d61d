"""Loading files: which files, in which order, and each one validated and upserted in its own
transaction, whole or not at all (unless invalid rows are to be skipped)."""

from __future__ import annotations

import csv
import gc
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kam.core import audit, db
from kam.core.i18n import Msg, text_of
from kam.core.models import SalesLine
from kam.importer.entities import (
    DEPENDENCY_ORDER,
    ENTITIES,
    FILE_SUFFIXES,
    Entity,
    entity_for_filename,
)
from kam.importer.parsing import CellError, cell_text
from kam.importer.reading import ReadError, Table, open_table
from kam.importer.rows import BUILDERS, References
from kam.importer.upsert import upsert
from kam.sales import rollups

CHUNK_ROWS = 5000
REJECTED_SUFFIX = ".rejected.csv"

Progress = Callable[["ImportFile", int, float | None], None]
Wording = Callable[[str], str]  # how a problem reads: str (English) or the page's t


class UsageError(ValueError):
    """The files asked for cannot be loaded as asked (missing, unknown kind, mixed kinds)."""


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


@dataclass(frozen=True)
class ImportFile:
    """A file to load, the entity it holds, and the name shown for it (default: its file name)."""

    path: Path
    entity: str
    name: str = ""

    @property
    def label(self) -> str:
        """The name used in messages and the summary."""
        return self.name or self.path.name


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


@dataclass
class Preview:
    """The first rows of a file as parsed, with the problems found in them."""

    columns: list[str]
    rows: list[dict[str, Any]]
    problems: list[Problem]
    encoding: str = ""
    separator: str = ""


def plan_files(paths: Iterable[str | Path], entity: str | None = None) -> list[ImportFile]:
    """The files to load, in dependency order; folders give every import file in them.

    Raises UsageError for a missing path, an unknown entity, a file whose kind cannot be told,
    or ``entity`` given for a file named for another entity.
    """
    if entity is not None and entity not in ENTITIES:
        # Entity names stay as they are here and below: they are what --entity and file names
        # are written with.
        raise UsageError(
            Msg(
                "unknown entity '{entity}'; expected one of {entities}",
                entity=entity,
                entities=", ".join(ENTITIES),
            )
        )
    found: list[ImportFile] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = [
                f
                for f in sorted(path.iterdir())
                if f.is_file()
                and f.suffix.lower() in FILE_SUFFIXES
                and not f.name.lower().endswith(REJECTED_SUFFIX)
                and entity_for_filename(f.name) is not None
                and (entity is None or entity_for_filename(f.name) == entity)
            ]
            if not files:
                raise UsageError(
                    Msg(
                        "{path}: no import files in this folder; expected files named after "
                        "their entity ({entities}) ending in .csv or .xlsx",
                        path=str(path),
                        entities=", ".join(ENTITIES),
                    )
                )
            candidates = [(f, entity_for_filename(f.name) or "") for f in files]
        elif path.is_file():
            if path.suffix.lower() not in FILE_SUFFIXES:
                raise UsageError(
                    Msg("{file}: not a .csv or .xlsx file; expected one of those", file=str(path))
                )
            named = entity_for_filename(path.name)
            if entity is not None and named is not None and named != entity:
                raise UsageError(
                    Msg(
                        "{path}: the name says {named}, but --entity says {entity}; expected "
                        "files of one kind with --entity, or no --entity",
                        path=str(path),
                        named=named,
                        entity=entity,
                    )
                )
            kind = entity or named
            if kind is None:
                raise UsageError(
                    Msg(
                        "{path}: cannot tell what this file holds; expected a name starting "
                        "with its entity ({entities}) or --entity",
                        path=str(path),
                        entities=", ".join(ENTITIES),
                    )
                )
            candidates = [(path, kind)]
        else:
            raise UsageError(Msg("{path}: no such file or folder", path=str(path)))
        for file, kind in candidates:
            resolved = file.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(ImportFile(file, kind))
    return sorted(found, key=lambda f: DEPENDENCY_ORDER.index(f.entity))


def load_files(
    eng: Engine,
    files: Sequence[ImportFile],
    *,
    actor: audit.Actor,
    skip_invalid: bool = False,
    dry_run: bool = False,
    rejected_dir: Path | None = None,
    progress: Progress | None = None,
    wording: Wording = str,
) -> list[FileSummary]:
    """Load ``files`` (from plan_files) in order, each in its own write transaction.

    A dry run loads them all in one transaction and rolls it back, so later files still see
    the rows of earlier ones and the counts are those a real load would give. ``wording`` puts
    the problems into the rejected-rows files (English by default; the page passes its ``t``).
    """
    kwargs = {
        "actor": actor,
        "skip_invalid": skip_invalid,
        "progress": progress,
        "wording": wording,
    }
    if dry_run:
        session = Session(eng.execution_options(kam_write=True))
        try:
            session.begin()
            summaries = [load_file(session, f, write_rejected=False, **kwargs) for f in files]
        finally:
            session.rollback()
            session.close()
        for summary in summaries:
            summary.dry_run = True
        return summaries
    summaries = []
    for file in files:
        with db.writing(eng) as session:
            summaries.append(load_file(session, file, rejected_dir=rejected_dir, **kwargs))
    return summaries


def load_file(
    session: Session,
    file: ImportFile,
    *,
    actor: audit.Actor,
    skip_invalid: bool = False,
    rejected_dir: Path | None = None,
    write_rejected: bool = True,
    progress: Progress | None = None,
    wording: Wording = str,
) -> FileSummary:
    """Validate and upsert one file inside the caller's transaction, under a savepoint.

    When the file is rejected the savepoint is rolled back, so the caller's transaction is as
    it was. On success the rollups of the touched clients are rebuilt and the load is audited.
    With ``skip_invalid`` the valid rows load and the invalid ones go to
    ``<rejected_dir or the file's folder>/<stem>.rejected.csv``, their problems put by
    ``wording``.
    """
    started = time.perf_counter()
    entity = ENTITIES[file.entity]
    summary = FileSummary(file.label, entity.name)
    run: _FileLoad | None = None
    try:
        with open_table(file.path) as table:
            summary.encoding, summary.separator = table.encoding, table.separator
            columns, header_problems, summary.ignored_columns = _match_header(table.header, entity)
            if header_problems:
                summary.problems = [Problem(file.label, 1, c, m) for c, m in header_problems]
                return summary
            savepoint = session.begin_nested()
            restore = _larger_sqlite_cache(session)
            try:
                run = _FileLoad(
                    session, entity, file, table, columns, summary, skip_invalid, wording
                )
                if skip_invalid and write_rejected:
                    folder = rejected_dir or file.path.parent
                    run.rejected_path = folder / (Path(file.label).stem + REJECTED_SUFFIX)
                with _collector_paused():
                    for done in run.chunks():
                        if progress is not None:
                            progress(file, done, table.fraction())
                run.wait_for_writes()
                run.close_rejected()
                if summary.problems and not skip_invalid:
                    savepoint.rollback()
                    _zero(summary)
                    return summary
                run.after_load(actor)
                savepoint.commit()
                summary.loaded = True
            except BaseException:
                if run is not None:
                    run.close()  # nothing may still be writing when the savepoint goes
                if savepoint.is_active:
                    savepoint.rollback()
                raise
            finally:
                if run is not None:
                    run.close()
                restore()
    except ReadError as exc:
        _fail(summary, run, Problem(file.label, exc.line, exc.column, exc.message))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.filename:
            message = Msg(
                "cannot read or write {path} ({reason}); expected a readable file and a "
                "writable folder for the rejected rows",
                path=str(exc.filename),
                reason=reason,
            )
        else:
            message = Msg(
                "cannot read or write ({reason}); expected a readable file and a writable "
                "folder for the rejected rows",
                reason=reason,
            )
        _fail(summary, run, Problem(file.label, 1, "file", message))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        _fail(
            summary,
            run,
            Problem(
                file.label,
                1,
                "file",
                Msg("the database refused the file ({reason}); nothing was loaded", reason=reason),
            ),
        )
    finally:
        summary.seconds = time.perf_counter() - started
    return summary


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while rows stream through.

    Every chunk's rows live just long enough to reach the oldest generation, so with the
    collector on, full collections run every few chunks and a million-line load takes a
    quarter longer. Rows hold no reference cycles; whatever cycles appear meanwhile are
    collected once it is back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _larger_sqlite_cache(session: Session) -> Callable[[], None]:
    """Give SQLite a 64 MB page cache while a file loads; returns how to put it back.

    With the default 2 MB, inserting into the indexes of a large table spills pages to the
    WAL again and again; a bigger cache makes a million-line load about a third faster.
    """
    if not db.is_sqlite(session):
        return lambda: None
    connection = session.connection()
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql("PRAGMA cache_size = -65536")

    def restore() -> None:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")

    return restore


def _zero(summary: FileSummary) -> None:
    summary.inserted = summary.updated = summary.unchanged = 0
    summary.loaded = False


def _fail(summary: FileSummary, run: _FileLoad | None, problem: Problem) -> None:
    summary.problems.append(problem)
    _zero(summary)
    if run is not None:
        run.discard_rejected()


def _match_header(
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
            columns, header_problems, _ = _match_header(table.header, entity)
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


class _FileLoad:
    """The state of one file while it loads: positions, keys seen, references, counts."""

    def __init__(
        self,
        session: Session,
        entity: Entity,
        file: ImportFile,
        table: Table,
        columns: dict[str, int],
        summary: FileSummary,
        skip_invalid: bool,
        wording: Wording = str,
    ) -> None:
        self.session = session
        self.wording = wording
        self.entity = entity
        self.file = file
        self.table = table
        self.summary = summary
        self.skip_invalid = skip_invalid
        self.width = len(table.header)
        self.readers = [
            (c.name, columns[c.name], c.parser) for c in entity.columns if c.name in columns
        ]
        self.absent = {c.name: c.default for c in entity.columns if c.name not in columns}
        present = {entity.column(name).column for name in columns}
        self.update_columns = tuple(
            c.column
            for c in entity.columns
            if (c.column in present or c.column in entity.always_set)
            and c.column not in entity.db_key
        )
        self.numbered = entity.name == "sales"
        self.positions: dict[str, int] = {}
        self.keys: dict[str, int] = {}
        self.key_required = [entity.column(k).required for k in entity.key]
        getter = itemgetter(*entity.key)
        self.key_of = getter if len(entity.key) > 1 else lambda values: (getter(values),)
        self.refs = References(session)
        self.build = BUILDERS[entity.name]
        self.touched_clients: set[int] = set()
        self.recategorised: set[int] = set()
        self.rejected_path: Path | None = None
        self._pending: list[tuple[int, list[Any], Any, list[tuple[str, str]]]] = []
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kam-import")
        self._inserting: Future[Any] | None = None
        self._rejected_file: Any = None
        self._rejected_writer: Any = None
        self.add_line_no = self.numbered and "line_no" not in columns

    def chunks(self) -> Iterator[int]:
        """Load the file a chunk at a time, yielding the number of rows read so far."""
        rows = self.table.rows
        while chunk := list(islice(rows, CHUNK_ROWS)):
            self._chunk(chunk)
            yield self.summary.rows

    def _chunk(self, chunk: list[tuple[int, list[Any]]]) -> None:
        candidates: list[tuple[int, list[Any], dict[str, Any]]] = []
        numbered = self.numbered
        for line, cells in chunk:
            self.summary.rows += 1
            values, problems = self._parse(cells)
            if numbered:
                self._number(values)
            self._check_key(line, values, problems)
            if problems:
                self._reject(line, cells, values, problems)
            else:
                candidates.append((line, cells, values))
        self.wait_for_writes()
        self.refs.preload(v for _, _, v in candidates)
        good: list[dict[str, Any]] = []
        for line, cells, values in candidates:
            row, problems = self.build(values, self.refs)
            if problems:
                self._reject(line, cells, values, problems)
            else:
                good.append(row)
        self._flush_rejected()
        if good and (self.skip_invalid or not self.summary.problems):
            self._write(good)

    def _parse(self, cells: list[Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        values = dict(self.absent)
        problems: list[tuple[str, str]] = []
        count = len(cells)
        for name, index, parse in self.readers:
            try:
                values[name] = parse(cells[index] if index < count else None)
            except CellError as exc:
                problems.append((name, text_of(exc)))
        if count > self.width and any(cells[self.width :]):
            problems.append(
                (
                    "row",
                    Msg(
                        "has {count} values; expected at most {most}, one per column of the header",
                        count=count,
                        most=self.width,
                    ),
                )
            )
        return values, problems

    def _number(self, values: dict[str, Any]) -> None:
        # A sales line without line_no is numbered by its position among its document's lines
        # in this file, counting every line of the document, valid or not.
        doc = values.get("doc_no")
        if doc is None:
            return
        position = self.positions[doc] = self.positions.get(doc, 0) + 1
        # Absent or empty gives None; a cell that failed to parse leaves no value at all.
        if "line_no" in values and values["line_no"] is None:
            values["line_no"] = position

    def _check_key(
        self, line: int, values: dict[str, Any], problems: list[tuple[str, str]]
    ) -> None:
        try:
            key = self.key_of(values)
        except KeyError:  # a key cell that did not parse: the row is rejected already
            return
        if None in key:
            if any(v is None and req for v, req in zip(key, self.key_required, strict=True)):
                return
            text = "\x1f".join("\x00" if v is None else str(v) for v in key)
        else:
            # Keys are kept as one string: a million tuples would be tracked by the garbage
            # collector and make its passes slow long after this file has loaded.
            text = "\x1f".join(map(str, key))
        first = self.keys.setdefault(text, line)
        if first != line:
            shown = ", ".join(
                v.strftime("%Y-%m") if k == "period" else cell_text(v)
                for k, v in zip(self.entity.key, key, strict=True)
                if v is not None
            )
            names = ", ".join(self.entity.key)
            problems.append(
                (
                    names,
                    Msg(
                        "{key} repeats line {first}; expected each {names} once in a file",
                        key=shown,
                        first=first,
                        names=names,
                    ),
                )
            )

    def _reject(
        self,
        line: int,
        cells: list[Any],
        values: dict[str, Any],
        problems: list[tuple[str, str]],
    ) -> None:
        self._pending.append((line, cells, values.get("line_no"), problems))

    def _flush_rejected(self) -> None:
        # Rows fail at different stages of a chunk; report and write them in file order.
        self._pending.sort(key=lambda item: item[0])
        label = self.file.label
        for line, cells, line_no, problems in self._pending:
            self.summary.rejected += 1
            self.summary.problems.extend(Problem(label, line, c, m) for c, m in problems)
            if self.rejected_path is not None:
                self._write_rejected(cells, line_no, problems)
        self._pending.clear()

    def _write_rejected(
        self, cells: list[Any], line_no: Any, problems: list[tuple[str, str]]
    ) -> None:
        if self._rejected_writer is None:
            assert self.rejected_path is not None
            self.rejected_path.parent.mkdir(parents=True, exist_ok=True)
            self._rejected_file = self.rejected_path.open("w", encoding="utf-8-sig", newline="")
            self._rejected_writer = csv.writer(self._rejected_file, delimiter=self.table.separator)
            header = list(self.table.header)
            if self.add_line_no:
                header.append("line_no")
            self._rejected_writer.writerow([*header, "error"])
        out = [cell_text(c) for c in cells[: self.width]]
        out += [""] * (self.width - len(out))
        if self.add_line_no:
            # The position the line had in its document, so the fixed row loads in its place.
            out.append(cell_text(line_no))
        out.append("; ".join(f"{c}: {self.wording(m)}" for c, m in problems))
        self._rejected_writer.writerow(out)

    def close_rejected(self) -> None:
        """Finish the rejected-rows file, if one was started."""
        if self._rejected_file is not None:
            self._rejected_file.close()
            self._rejected_file = None
            self.summary.rejected_path = self.rejected_path

    def discard_rejected(self) -> None:
        """Remove a rejected-rows file of a file that was not loaded after all."""
        self.close_rejected()
        if self.summary.rejected_path is not None:
            self.summary.rejected_path.unlink(missing_ok=True)
            self.summary.rejected_path = None

    def _write(self, rows: list[dict[str, Any]]) -> None:
        outcome = upsert(
            self.session, self.entity, rows, self.update_columns, background=self._writer
        )
        self._inserting = outcome.pending
        self.summary.inserted += len(outcome.inserted)
        self.summary.updated += len(outcome.updated)
        self.summary.unchanged += outcome.unchanged
        if self.entity.name == "sales":
            self.touched_clients.update(r["client_id"] for r in outcome.inserted)
            for old, new in outcome.updated:
                self.touched_clients.update((old["client_id"], new["client_id"]))
        elif self.entity.name == "products" and "category" in self.update_columns:
            self.recategorised.update(
                old["id"] for old, new in outcome.updated if old["category"] != new["category"]
            )

    def wait_for_writes(self) -> None:
        """Wait for the chunk being inserted in the background; raises what it raised."""
        if self._inserting is not None:
            pending, self._inserting = self._inserting, None
            pending.result()

    def close(self) -> None:
        """Let the background insert finish (its error, if any, is already being handled)."""
        try:
            self.wait_for_writes()
        except Exception:  # noqa: S110 - the load is failing anyway; the first error is reported
            pass
        finally:
            self._writer.shutdown(wait=True)

    def after_load(self, actor: audit.Actor) -> None:
        """Bring the rollups up to date and write the audit row (which bumps the data version)."""
        self.wait_for_writes()
        clients = set(self.touched_clients)
        if self.recategorised:
            # A product's category is part of the monthly rollup of every client who bought it.
            ids = sorted(self.recategorised)
            for start in range(0, len(ids), CHUNK_ROWS):
                query = (
                    select(SalesLine.client_id)
                    .where(SalesLine.product_id.in_(ids[start : start + CHUNK_ROWS]))
                    .distinct()
                )
                clients.update(self.session.execute(query).scalars())
        if clients:
            rollups.refresh(self.session, clients)
        audit.record(
            self.session,
            actor=actor,
            entity=self.entity.name,
            entity_id=self.file.label[:64],
            action="import",
            after=self.summary.counts(),
        )
        self.session.flush()
