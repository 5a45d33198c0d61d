"""``python -m kam import PATH...``: load ERP exports (CSV or XLSX files, or folders of them)."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from kam import importer
from kam.commands.actor import cli_actor
from kam.core import access, clock, db, migrate
from kam.core.i18n import N_, t, text_of
from kam.importer import FileSummary
from kam.importer.watch import sweep

EXIT_LOADED = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
_STATUS = {
    "loaded": N_("loaded"),
    "partial": N_("partly loaded"),
    "empty": N_("no rows"),
    "rejected": N_("rejected"),
}


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
    p.add_argument("paths", nargs="*", metavar="PATH", help="a .csv or .xlsx file, or a folder")
    p.add_argument(
        "--watch",
        metavar="DIR",
        help="load each new file dropped in DIR once, then move it to DIR/done or DIR/rejected",
    )
    p.add_argument(
        "--every", type=float, default=60.0, metavar="SECONDS", help="how often --watch looks"
    )
    p.add_argument("--once", action="store_true", help="with --watch: look once and exit")
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
    if args.watch is not None:
        if args.paths or args.dry_run or args.skip_invalid or args.entity:
            print(t("kam import: --watch DIR takes no other paths and no --dry-run, "
                    "--skip-invalid or --entity; expected: kam import --watch DIR"), file=sys.stderr)  # fmt: skip
            return EXIT_USAGE
        return watch(args)
    if not args.paths:
        print(t("kam import: no file given; expected PATH... or --watch DIR"), file=sys.stderr)
        return EXIT_USAGE
    try:
        files = importer.plan_files(args.paths, entity=args.entity)
    except importer.UsageError as exc:
        print(t("kam import: {problem}", problem=t(text_of(exc))), file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # a folder that cannot be listed, say
        print(t("kam import: cannot read {path} ({reason})", path=exc.filename or "",
                reason=exc.strerror), file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    try:
        eng = db.engine(args.database)
        migrate.upgrade(eng)
        summaries = importer.load_files(
            eng,
            files,
            viewer=access.SYSTEM,
            actor=cli_actor(),
            skip_invalid=args.skip_invalid,
            dry_run=args.dry_run,
        )
    except (SQLAlchemyError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(t("kam import: cannot use the database ({reason})", reason=reason), file=sys.stderr)
        return EXIT_USAGE
    print_summary(summaries, args.dry_run)
    return EXIT_LOADED if all(s.fine for s in summaries) else EXIT_REJECTED


def watch(args: argparse.Namespace) -> int:
    """Sweep the drop folder now and every ``--every`` seconds (once with ``--once``)."""
    folder = Path(args.watch)
    if not folder.is_dir():
        print(t("kam import: {path} is not a folder; expected --watch DIR", path=folder),
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    eng = db.engine(args.database)
    migrate.upgrade(eng)
    # `kill` (SIGTERM) ends the watch between files, as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    status = EXIT_LOADED
    try:
        while True:
            try:
                summaries = sweep(eng, folder, actor=cli_actor())
            except (SQLAlchemyError, OSError) as exc:
                # The database may be back next round; the files stay where they are.
                reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
                print(t("kam import: cannot load now ({reason})", reason=reason), file=sys.stderr)
                summaries = []
                status = EXIT_REJECTED
            if summaries:
                print(clock.now().astimezone().strftime("%Y-%m-%d %H:%M:%S"))
                print_summary(summaries, dry_run=False)
                if not all(s.fine for s in summaries):
                    status = EXIT_REJECTED
            if args.once:
                return status
            time.sleep(args.every)
    except KeyboardInterrupt:
        return status


def print_summary(summaries: Sequence[FileSummary], dry_run: bool) -> None:
    """The per-file table on stdout, then every problem on stderr."""
    header = ("file", "entity", "rows", "inserted", "updated", "unchanged", "rejected", "status")
    lines = [header]
    for s in summaries:
        status = t(_STATUS[s.status]) + (t(" (dry run)") if dry_run else "")
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
        print(t("dry run: nothing was written"))
    note = importer.committed_note(summaries)
    if note is not None:
        print(note)
    for s in summaries:
        if s.ignored_columns:
            print(t("{file}: ignored columns: {columns}", file=s.file,
                    columns=", ".join(s.ignored_columns)))  # fmt: skip
        if s.rejected_path is not None:
            print(t("{file}: rejected rows written to {path}", file=s.file, path=s.rejected_path))
    for s in summaries:
        for problem in s.problems:
            print(problem, file=sys.stderr)
