"""The Import page's help: for each file its columns, an example and a template to download
(CSV and XLSX), and the format description of docs/IMPORT.md."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from kam import importer
from kam.core.i18n import t
from kam.importer import templates
from kam.reports.export import XLSX_MIME
from kam.ui.tables import Col, show

IMPORT_DOC = Path(__file__).resolve().parents[2] / "docs" / "IMPORT.md"
COLUMNS = {
    "column": Col("Column"),
    "required": Col("Required", "flag"),
    "takes": Col("Takes"),
    "default": Col("Default"),
    "example": Col("Example"),
}


def file_formats() -> None:
    """One tab per file: its columns, the example row, the CSV and XLSX templates."""
    st.subheader(t("What each file holds"))
    st.caption(t("Load the files in this order; a file may name rows of the files before it. "
                 "Each template holds the header and one example row to replace."))  # fmt: skip
    entities = list(importer.ENTITIES)
    tabs = st.tabs([t(e) for e in entities] + [t("All the rules (docs/IMPORT.md)")])
    for entity, tab in zip(entities, tabs, strict=False):
        with tab:
            table = templates.columns_table(entity)
            table["takes"] = table["takes"].map(t)
            show(table, COLUMNS, key=f"template_{entity}")
            csv_col, xlsx_col, _ = st.columns(3)
            csv_col.download_button(
                t("Template {file}", file=f"{entity}.csv"), templates.template_csv(entity),
                file_name=f"{entity}.csv", mime="text/csv", icon=":material/download:",
                key=f"template_csv_{entity}",
            )  # fmt: skip
            xlsx_col.download_button(
                t("Template {file}", file=f"{entity}.xlsx"), templates.template_xlsx(entity),
                file_name=f"{entity}.xlsx", mime=XLSX_MIME, icon=":material/download:",
                key=f"template_xlsx_{entity}",
            )  # fmt: skip
    with tabs[-1]:
        # The project's own document, not user data: shown as the Markdown it is written in.
        st.markdown(IMPORT_DOC.read_text(encoding="utf-8"))
