"""One file loading a chunk at a time: each chunk's rows parsed, checked and built, the good
ones upserted in the background while the next chunk is read, the bad ones reported."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kam.core import audit, clock, db
from kam.core.i18n import Msg, text_of
from kam.core.models import SalesLine
from kam.importer.entities import Entity
from kam.importer.parsing import CellError, cell_text
from kam.importer.planning import ImportFile
from kam.importer.reading import Table
from kam.importer.rejected import RejectedRows
from kam.importer.rows import BUILDERS, References
from kam.importer.summaries import FileSummary, Problem, Wording
from kam.importer.upsert import upsert
from kam.plans import replay
from kam.receivables import store
from kam.sales import rollups

CHUNK_ROWS = 5000


class FileLoad:
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
        self._rejected: RejectedRows | None = None
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
        if self._rejected is None:
            assert self.rejected_path is not None
            self._rejected = RejectedRows(
                self.rejected_path, self.table, add_line_no=self.add_line_no, wording=self.wording
            )
        self._rejected.write(cells, line_no, problems)

    def close_rejected(self) -> None:
        """Finish the rejected-rows file, if one was started."""
        if self._rejected is not None and self._rejected.close():
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
        db.analyze(self.session, [self.entity.model])
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
        if self.entity.name == "sales" and clients:
            # New sales change what the forecasts' back-test learns their ranges from.
            replay.refresh(self.session, today=clock.today())
        if self.entity.name in ("invoices", "payments") and (
            self.summary.inserted or self.summary.updated
        ):
            # The stored allocation the pages read is of the ledger as it was before this file.
            store.refresh(self.session)
        audit.record(
            self.session,
            actor=actor,
            entity=self.entity.name,
            entity_id=self.file.label[:64],
            action="import",
            after=self.summary.counts(),
        )
        self.session.flush()
