"""Import from the accounting system: CSV and XLSX exports, validated, upserted by natural key,
each file whole or not at all. See docs/IMPORT.md for the formats and rules.

Typical use (what ``python -m kam import`` does)::

    files = importer.plan_files(paths, entity=None)        # ordered; UsageError on bad input
    summaries = importer.load_files(
        engine, files, viewer=access.SYSTEM, actor=actor, skip_invalid=False
    )  # PermissionError unless the viewer may import
"""

from kam.importer.entities import DEPENDENCY_ORDER, ENTITIES, entity_for_filename
from kam.importer.header import Preview, preview
from kam.importer.loading import load_file, load_files
from kam.importer.planning import ImportFile, UsageError, plan_files
from kam.importer.summaries import FileSummary, Problem, committed_note
from kam.importer.uploads import in_dependency_order, problems_table, save_upload, summary_table

__all__ = [
    "DEPENDENCY_ORDER",
    "ENTITIES",
    "FileSummary",
    "ImportFile",
    "Preview",
    "Problem",
    "UsageError",
    "committed_note",
    "entity_for_filename",
    "in_dependency_order",
    "load_file",
    "load_files",
    "plan_files",
    "preview",
    "problems_table",
    "save_upload",
    "summary_table",
]
