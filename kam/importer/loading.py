"""Loading files, each validated and upserted in its own transaction (or under a savepoint of
the caller's), whole or not at all unless invalid rows are to be skipped."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kam.core import audit, db
from kam.core.access import Capability, Viewer, require
from kam.core.i18n import Msg
from kam.importer.chunks import FileLoad
from kam.importer.entities import ENTITIES
from kam.importer.header import match_header
from kam.importer.planning import ImportFile
from kam.importer.reading import ReadError, open_table
from kam.importer.rejected import REJECTED_SUFFIX
from kam.importer.summaries import FileSummary, Problem, Wording

Progress = Callable[["ImportFile", int, float | None], None]
_log = logging.getLogger(__name__)


def load_files(
    eng: Engine,
    files: Sequence[ImportFile],
    *,
    viewer: Viewer,
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
    PermissionError, before anything is read or written, unless ``viewer`` may import (the
    command line passes ``access.SYSTEM``).
    """
    require(viewer, Capability.IMPORT)
    kwargs = {
        "viewer": viewer,
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
    viewer: Viewer,
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
    ``wording``. PermissionError, before anything is read, unless ``viewer`` may import.
    """
    require(viewer, Capability.IMPORT)
    started = time.perf_counter()
    entity = ENTITIES[file.entity]
    summary = FileSummary(file.label, entity.name)
    run: FileLoad | None = None
    try:
        with open_table(file.path) as table:
            summary.encoding, summary.separator = table.encoding, table.separator
            columns, header_problems, summary.ignored_columns = match_header(table.header, entity)
            if header_problems:
                summary.problems = [Problem(file.label, 1, c, m) for c, m in header_problems]
                return summary
            savepoint = session.begin_nested()
            restore = _larger_sqlite_cache(session)
            try:
                run = FileLoad(
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
                if (summary.problems and not skip_invalid) or not summary.rows:
                    # Rejected, or only a header: nothing is written, not even an audit row.
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
    except Exception:
        # A bug, not the file's fault: the log gets the traceback, the person one line, and
        # the files after this one still load.
        _log.exception("importing %s failed", file.label)
        _fail(
            summary,
            run,
            Problem(
                file.label,
                1,
                "file",
                Msg("something went wrong, and nothing of this file was saved; the log says why"),
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


def _fail(summary: FileSummary, run: FileLoad | None, problem: Problem) -> None:
    summary.problems.append(problem)
    _zero(summary)
    if run is not None:
        run.discard_rejected()
