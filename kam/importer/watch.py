"""A drop folder the ERP writes its exports to: each new file is loaded once, then moved to
``done/`` or to ``rejected/`` beside its problems (``python -m kam import --watch``)."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Engine

from kam.core import access, audit, clock
from kam.importer.entities import ENTITIES
from kam.importer.loading import load_files
from kam.importer.planning import FILE_SUFFIXES, entity_for_filename, plan_files
from kam.importer.rejected import REJECTED_SUFFIX
from kam.importer.summaries import FileSummary

DONE = "done"
REJECTED = "rejected"
PROBLEMS_SUFFIX = ".problems.txt"
SETTLE_SECONDS = 5.0  # a file written to less recently than this may still be growing


def waiting_files(folder: Path, *, settle_seconds: float = SETTLE_SECONDS) -> list[Path]:
    """The export files in ``folder`` (not its sub-folders) that nothing has written to for
    ``settle_seconds``: an export still being copied in waits for the next round."""
    newest = time.time() - settle_seconds
    return sorted(
        f
        for f in folder.iterdir()
        if f.is_file()
        and f.suffix.lower() in FILE_SUFFIXES
        and not f.name.lower().endswith(REJECTED_SUFFIX)
        and f.stat().st_mtime <= newest
    )


def _move(path: Path, folder: Path, stamp: str) -> Path:
    folder.mkdir(exist_ok=True)
    # The time of the load leads the name: the ERP writes the same file name every day.
    target = folder / f"{stamp}-{path.name}"
    path.rename(target)
    return target


def sweep(
    eng: Engine, folder: Path, *, actor: audit.Actor, settle_seconds: float = SETTLE_SECONDS
) -> list[FileSummary]:
    """Load every waiting file of ``folder`` once, in dependency order, each in its own
    transaction; move each to done/ or rejected/ (with ``<name>.problems.txt``). A file whose
    name names no entity goes to rejected/ unread."""
    stamp = clock.now().astimezone().strftime("%Y%m%d-%H%M%S")
    waiting = waiting_files(folder, settle_seconds=settle_seconds)
    unnamed = [p for p in waiting if entity_for_filename(p.name) is None]
    for path in unnamed:
        target = _move(path, folder / REJECTED, stamp)
        target.with_name(target.name + PROBLEMS_SUFFIX).write_text(
            f"{path.name}: the name does not say what the file holds; expected a name starting "
            f"with one of {', '.join(ENTITIES)}\n",
            encoding="utf-8",
        )
    named = [p for p in waiting if p not in unnamed]
    if not named:
        return []
    files = plan_files(named)
    summaries = load_files(eng, files, viewer=access.SYSTEM, actor=actor)
    for file, summary in zip(files, summaries, strict=True):
        if summary.fine:
            _move(file.path, folder / DONE, stamp)
            continue
        target = _move(file.path, folder / REJECTED, stamp)
        target.with_name(target.name + PROBLEMS_SUFFIX).write_text(
            "".join(f"{p}\n" for p in summary.problems), encoding="utf-8"
        )
    return summaries
