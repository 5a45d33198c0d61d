"""``python -m kam import PATH...``: load ERP exports (CSV or XLSX files, or folders of them)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from kam import importer
from kam.core import access, audit, db, migrate
from kam.importer import FileSummary

EXIT_LOADED = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
_STATUS = {"loaded": "loaded", "partial": "partly loaded", "rejected": "rejected"}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="load CSV/XLSX exports from the accounting system",
        description=(
            "Load export files (or every import file in a folder) in dependency order, each "
            "file in its own transaction. Exit 0 when everything loaded, 1 when something "
            "was rejected, 2 on bad usage. Formats: docs/IMPORT.md."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="a .csv or .xlsx file, or a folder")
    p.add_argument(
        "--entity",
        metavar="NAME",
        help=f"what the files hold when their names do not say ({', '.join(importer.ENTITIES)})",
    )
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="load the valid rows and write the invalid ones to <file>.rejected.csv",
    )
    p.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
    p.add_argument("--database", metavar="URL", help="database URL (default: configured)")


def run(args: argparse.Namespace) -> int:
    try:
        files = importer.plan_files(args.paths, entity=args.entity)
    except importer.UsageError as exc:
        print(f"kam import: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        eng = db.engine(args.database)
        migrate.upgrade(eng)
        summaries = importer.load_files(
            eng,
            files,
            viewer=access.SYSTEM,
            actor=audit.Actor(name=f"cli:{_user()}"),
            skip_invalid=args.skip_invalid,
            dry_run=args.dry_run,
        )
    except (SQLAlchemyError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"kam import: cannot use the database ({reason})", file=sys.stderr)
        return EXIT_USAGE
    print_summary(summaries, args.dry_run)
    ok = all(s.loaded and not s.rejected for s in summaries)
    return EXIT_LOADED if ok else EXIT_REJECTED


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def print_summary(summaries: Sequence[FileSummary], dry_run: bool) -> None:
    """The per-file table on stdout, then every problem on stderr."""
    header = ("file", "entity", "rows", "inserted", "updated", "unchanged", "rejected", "status")
    lines = [header]
    for s in summaries:
        status = _STATUS[s.status] + (" (dry run)" if dry_run else "")
        lines.append(
            (
                s.file,
                s.entity,
                *(str(n) for n in (s.rows, s.inserted, s.updated, s.unchanged, s.rejected)),
                status,
            )
        )
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    for row in lines:
        cells = [
            cell.ljust(w) if i in (0, 1, 7) else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
    if dry_run:
        print("dry run: nothing was written")
    for s in summaries:
        if s.ignored_columns:
            print(f"{s.file}: ignored columns: {', '.join(s.ignored_columns)}")
        if s.rejected_path is not None:
            print(f"{s.file}: rejected rows written to {s.rejected_path}")
    for s in summaries:
        for problem in s.problems:
            print(problem, file=sys.stderr)
