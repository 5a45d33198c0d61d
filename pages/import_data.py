"""Import: load ERP export files — a preview as read, the problems, progress, the summary and
the rejected rows to download. The rules live in kam.importer (docs/IMPORT.md)."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from kam import importer
from kam.core import audit, db
from kam.core import formatting as fmt
from kam.core.access import Capability
from kam.core.i18n import t, text_of
from kam.ui import frame, import_templates, widgets
from kam.ui.tables import Col, show

RESULT = "import_result"
PROBLEM_COLUMNS = {
    "file": Col("File"),
    "line": Col("Line", "number"),
    "column": Col("Column"),
    "problem": Col("Problem"),
}

ctx = frame.context()
st.title(t("Import"))
if not ctx.viewer.may(Capability.IMPORT):  # kam.importer refuses too; this says it early
    widgets.empty("Importing is for the head of sales and administrators.")
    st.stop()

st.caption(
    t(
        "CSV or Excel exports from the accounting system, one file per entity. The file name "
        "says what it holds: managers, clients, contacts, products, sales, invoices, payments "
        "or plans (sales.csv, clients_2024-03.xlsx). Each file loads whole or not at all."
    )
)
import_templates.file_formats()
uploads = st.file_uploader(
    t("Export files"), type=["csv", "xlsx"], accept_multiple_files=True, key="import_files"
)
left, right = st.columns(2)
skip_invalid = left.checkbox(t("Load the valid rows and set the invalid ones aside"))
dry_run = right.checkbox(t("Check only, write nothing"))

if uploads:
    with tempfile.TemporaryDirectory(prefix="kam-import-") as folder:
        files = []
        for position, upload in enumerate(uploads):
            entity = None
            if importer.entity_for_filename(upload.name) is None:
                entity = st.selectbox(
                    t("What does {file} hold?", file=widgets.inert(upload.name)),
                    list(importer.ENTITIES),
                    format_func=t,
                    key=f"import_entity_{upload.file_id}",
                )
            try:
                files.append(
                    importer.save_upload(
                        Path(folder), position, upload.name, upload.getvalue(), entity
                    )
                )
            except importer.UsageError as exc:
                st.error(t(text_of(exc)))
        files = importer.in_dependency_order(files)

        for file in files:
            preview = importer.preview(file)
            title = t(
                "{file} — {entity}: the first rows as read",
                file=widgets.inert(file.label),
                entity=t(file.entity),
            )
            with st.expander(title, expanded=len(files) == 1):
                if preview.encoding:
                    st.caption(
                        t("Encoding {encoding}, separator {separator}", encoding=preview.encoding,
                          separator=repr(preview.separator))
                    )  # fmt: skip
                st.dataframe(pd.DataFrame(preview.rows, columns=preview.columns), hide_index=True)
                if preview.problems:
                    show(
                        importer.problems_table(preview.problems, t),
                        PROBLEM_COLUMNS,
                        key=f"preview_{file.label}",
                    )

        label = t("Check the files") if dry_run else t("Load the files")
        if st.button(label, type="primary", disabled=not files, icon=":material/upload:"):
            bar = st.progress(0.0, text=t("Starting…"))

            def progress(file: importer.ImportFile, rows: int, fraction: float | None) -> None:
                done = (files.index(file) + (fraction or 0.0)) / len(files)
                bar.progress(
                    min(done, 1.0),
                    text=t("{file}: {rows} rows read", file=file.label, rows=fmt.number(rows)),
                )

            summaries = importer.load_files(
                db.engine(ctx.database_url),
                files,
                viewer=ctx.viewer,
                actor=audit.Actor(name=ctx.viewer.name, id=ctx.viewer.manager_id),
                skip_invalid=skip_invalid,
                dry_run=dry_run,
                rejected_dir=Path(folder) / "rejected",
                progress=progress,
                wording=t,  # the rejected rows to download say what is wrong in the UI language
            )
            bar.progress(1.0, text=t("Done"))
            st.session_state[RESULT] = {
                "summaries": summaries,
                "rejected": {
                    s.file: s.rejected_path.read_bytes() for s in summaries if s.rejected_path
                },
            }

result = st.session_state.get(RESULT)
if result:
    summaries = result["summaries"]
    st.subheader(t("Summary"))
    if all(s.dry_run for s in summaries):
        st.info(t("Checked only: nothing was written."), icon=":material/info:")
    if all(s.fine for s in summaries):
        st.success(t("Every file loaded."), icon=":material/check_circle:")
    else:
        st.warning(t("Something was rejected: see the problems below."), icon=":material/warning:")
        if (note := importer.committed_note(summaries)) is not None:
            files = widgets.inert(note.values.get("files", ""))  # file names are typed text
            st.info(t(note, files=files), icon=":material/info:")
    table = importer.summary_table(summaries)
    table["entity"] = table["entity"].map(t)
    statuses = {"loaded": t("loaded"), "partial": t("partly loaded"), "empty": t("no rows"),
                "rejected": t("rejected")}  # fmt: skip
    table["status"] = table["status"].map(statuses)
    counts = ("rows", "inserted", "updated", "unchanged", "rejected")
    show(
        table,
        {"file": Col("File"), "entity": Col("Entity")}
        | {c: Col(c.capitalize(), "number") for c in counts}
        | {"status": Col("Status")},
        key="import_summary",
    )
    problems = [p for s in summaries for p in s.problems]
    if problems:
        st.subheader(t("Problems"))
        show(importer.problems_table(problems, t), PROBLEM_COLUMNS, key="import_problems")
    for position, (name, data) in enumerate(result["rejected"].items()):
        st.download_button(
            t("Rejected rows of {file}", file=widgets.inert(name)), data, file_name=f"{Path(name).stem}.rejected.csv",
            mime="text/csv", icon=":material/download:", key=f"rejected_{position}",
        )  # fmt: skip
