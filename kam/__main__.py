"""``python -m kam COMMAND``: migrate, demo data, reports and imports from the command line."""

from __future__ import annotations

import argparse
import importlib
import sys

from kam.core import config
from kam.core.i18n import N_, set_language, t

# Each command lives in kam/commands/<module>.py with add_parser(subparsers) and run(args) -> int.
# The summaries are in the deployment's language, as every message of the command line.
COMMANDS = {
    "migrate": ("kam.commands.migrate", N_("bring the database to the current schema")),
    "demo": ("kam.commands.demo", N_("load the demo company into an empty database")),
    "import": ("kam.commands.import_", N_("load ERP export files (CSV or XLSX)")),
    "report": ("kam.commands.report", N_("print or save a report")),
    "backtest": ("kam.commands.backtest", N_("replay the plan forecasts of the last 12 months")),
    "receivables-store": (
        "kam.commands.receivables_store",
        N_("recompute the stored receivables allocation"),
    ),
    "serve-team": (
        "kam.commands.serve_team",
        N_("several app processes behind nginx, on loopback"),
    ),
}


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the command; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    set_language(config.settings().language)  # the command line speaks the deployment's language
    parser = argparse.ArgumentParser(prog="python -m kam", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = next((a for a in argv if not a.startswith("-")), None)
    module = None
    for name, (path, summary) in COMMANDS.items():
        if name == chosen:
            # Only the command being run is imported: pandas and friends cost a second to load.
            module = importlib.import_module(path)
            module.add_parser(sub)
        else:
            sub.add_parser(name, help=t(summary))
    args = parser.parse_args(argv)
    return module.run(args) if module else 2


if __name__ == "__main__":
    sys.exit(main())
