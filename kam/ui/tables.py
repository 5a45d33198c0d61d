"""Tables for people: formatted numbers, warning colours, client links, CSV/XLSX export."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from kam import reports
from kam.core import formatting as fmt
from kam.core.cache import VersionedCache
from kam.core.i18n import t, texts_key
from kam.core.labels import label
from kam.reports import export
from kam.ui import memo, state

WARNING = "color: #b42318; font-weight: 600"


@dataclass(frozen=True)
class Col:
    """How to show one column: its label (an English message id), kind and warnings."""

    label: str
    kind: str = "text"  # text, label, money, money2, number, pct, ratio, date, month, flag, client
    warn: str | None = None  # "negative", "positive" or "true": when to paint it in warning colour


def _missing(v: Any) -> bool:
    # DASH is what show() puts in empty cells: the grid draws a real empty cell as "None".
    return fmt.missing(v) or (isinstance(v, str) and v == fmt.DASH)


def _formatter(kind: str):
    def none_safe(fn):
        return lambda v: fmt.DASH if _missing(v) else fn(v)

    return {
        "money": none_safe(fmt.money),
        "money2": none_safe(lambda v: fmt.money(v, 2)),
        "number": none_safe(fmt.number),
        "pct": none_safe(lambda v: fmt.percent(float(v) / 100)),  # 87.5 → 87.5%
        "ratio": none_safe(lambda v: fmt.percent(float(v))),  # 0.875 → 87.5%
        "date": none_safe(fmt.date),
        "month": none_safe(fmt.month),
        "flag": lambda v: v if v == fmt.DASH else (t("yes") if v else t("no")),
        "label": lambda v: v if v == fmt.DASH else label(str(v)),
    }.get(kind)


# Figures are right-aligned, so a column narrower than its widest figure cuts it at the left
# (",617,877,661"): such columns get a width in pixels that holds their widest text. The grid
# draws 14 px Source Sans, at most ~8 px a character (capitals, digits), plus its cell padding.
FIGURE_KINDS = frozenset({"money", "money2", "number", "pct", "ratio", "date", "month"})
CHAR_PX, CELL_PADDING_PX, HEADER_ICONS_PX = 8.5, 24, 24


def column_width(texts: Any, header: str) -> int:
    """Pixels a column needs to show its widest text (and its header) whole."""
    widest = max((len(str(x)) for x in texts), default=0)
    return int(max(widest * CHAR_PX + CELL_PADDING_PX,
                   len(header) * CHAR_PX + CELL_PADDING_PX + HEADER_ICONS_PX) + 0.5)  # fmt: skip


def _warn(rule: str):
    def paint(v: Any) -> str:
        if _missing(v):
            return ""
        if rule == "negative" and float(v) < 0:
            return WARNING
        if rule == "positive" and float(v) > 0:
            return WARNING
        if rule == "true" and bool(v):
            return WARNING
        return ""

    return paint


def client_url(code: str) -> str:
    """The Client 360 link of a client, relative to the app, in the current language."""
    # The client comes last: the link column shows what follows "client=" as its text.
    return state.href("client", client=str(code))


def client_urls(codes: pd.Series) -> list[str]:
    """``client_url`` of each code, with an empty cell where there is no client."""
    # One href and a quote per client: building each link whole cost 15 ms for 400 clients.
    prefix = client_url("")
    return [prefix + quote(str(c), safe="") if pd.notna(c) else "" for c in codes]


# What a table looks like is worked out once per content, language and viewer, and then shared
# by every session and rerun that shows the same rows: Styler formats and styles each cell in
# Python (70-480 ms a warm rerun for the bigger tables at 5M lines). A kept table of 400 clients
# takes 1.3 MB.
_DRAWN = VersionedCache(max_entries=32)


def _cells_once(styler: Styler) -> Styler:
    """The styler with its cells worked out now: Streamlit would redo them on every draw."""
    # Streamlit reads a Styler through two private methods, _compute() and _translate(False,
    # False) (pandas_styler_utils): the instance keeps their result, so a cached table costs only
    # its transfer to the browser. What the cells were worked out from (a formatter and a style
    # list per cell) is let go: it was most of a cached table's memory (2.8 MB → 1.3 MB for 400
    # clients).
    styler._compute()
    cells = _read_by_streamlit(styler._translate(False, False), styler.data.astype(str).to_numpy())
    styler._display_funcs.clear()
    styler.ctx.clear()
    styler._compute = lambda: styler  # type: ignore[method-assign]
    styler._translate = lambda *args, **kwargs: cells  # type: ignore[method-assign]
    return styler


_CELL = re.compile(r"row(\d+)_col(\d+)")


def _read_by_streamlit(cells: dict[str, Any], plain: Any) -> dict[str, Any]:
    """The parts of the translated table Streamlit reads; of the body, only the cells whose text
    is not the value's own ``str``."""

    # Streamlit starts the shown texts from ``str`` of each value and then writes every body
    # cell's text over it, one by one: only the cells a format changed need writing.
    def kept(cell: dict[str, Any]) -> dict[str, Any] | None:
        found = _CELL.match(str(cell.get("id") or ""))
        text = cell.get("display_value")
        if found and isinstance(text, str) and text == plain[int(found[1]), int(found[2])]:
            return None
        return {"id": cell.get("id"), "display_value": text}

    body = [[c for cell in row if (c := kept(cell))] for row in cells.get("body", [])]
    return {"table_styles": cells.get("table_styles", []), "cellstyle": cells.get("cellstyle", []),
            "body": body}  # fmt: skip


def _drawn(frame: pd.DataFrame, columns: dict[str, Col]) -> tuple[Styler, dict[str, Any]]:
    """The formatted, styled table of ``frame`` and its column settings, made once per content."""
    view = frame[list(columns)]
    key = (
        tuple(columns.items()),
        tuple(state.link_params().items()),
        texts_key(),
        memo.digest(view),
    )
    return _DRAWN.get_or_compute("tables", memo.CONTENT, key, lambda: _draw(view.copy(), columns))


def _draw(view: pd.DataFrame, columns: dict[str, Col]) -> tuple[Styler, dict[str, Any]]:
    """``view`` (a copy) with its texts filled and formatted, and the columns' settings."""
    config: dict[str, Any] = {}
    for name, col in columns.items():
        if col.kind in ("text", "label", "flag"):
            # Streamlit shows a missing value as "None" whatever the Styler says: fill it here.
            view[name] = view[name].astype(object).where(view[name].notna(), None)
            view[name] = [fmt.DASH if v is None else v for v in view[name]]
        if col.kind == "client":
            # A row with no client (a market-wide note) gets an empty cell: not "client=nan",
            # and not the "None" Streamlit writes for a missing link.
            view[name] = client_urls(view[name])
            config[name] = st.column_config.LinkColumn(t(col.label), display_text=r"client=(.*)$")
        elif col.kind in FIGURE_KINDS:
            shown = [f(v) for v in view[name]] if (f := _formatter(col.kind)) else view[name]
            width = column_width(shown, t(col.label))
            config[name] = st.column_config.Column(t(col.label), width=width)
        else:
            config[name] = st.column_config.Column(t(col.label))
    formats = {n: f for n, c in columns.items() if (f := _formatter(c.kind))}
    for name in formats:
        if columns[name].kind != "flag" and view[name].isna().any():
            view[name] = view[name].astype(object).where(view[name].notna(), fmt.DASH)
    styler = view.style
    if formats:
        styler = styler.format(formats, na_rep=fmt.DASH)
    for name, col in columns.items():
        if col.warn:
            styler = styler.map(_warn(col.warn), subset=[name])
    return _cells_once(styler), config


def show(
    frame: pd.DataFrame,
    columns: dict[str, Col],
    *,
    key: str,
    selectable: bool = False,
    height: int | None = None,
) -> int | None:
    """Render ``frame`` with only ``columns``; return the selected row position when selectable."""
    styler, config = _drawn(frame, columns)
    event = st.dataframe(
        styler,
        column_config=dict(config),
        hide_index=True,
        width="stretch",
        height=height if height is not None else "auto",
        key=key,
        on_select="rerun" if selectable else "ignore",
        selection_mode="single-row",
    )
    if selectable and event and event.selection.rows:
        return int(event.selection.rows[0])
    return None


def people_headers(frame: pd.DataFrame, labels: dict[str, Col] | None) -> dict[str, str]:
    """Column id → header in the current language: the table's own label, else the report's."""
    shown = labels or {}
    return {
        c: t(shown[c].label) if c in shown else t(reports.HEADERS[c])
        for c in frame.columns
        if c in shown or c in reports.HEADERS
    }


def export_buttons(
    frame: pd.DataFrame, name: str, *, where: Any = st, labels: dict[str, Col] | None = None
) -> None:
    """Download buttons for the table as CSV and XLSX (the raw values, as the CLI report gives).

    The CSV keeps the column ids, which scripts read (as ``kam report`` does); the XLSX is for
    people: its headers are the table's labels (``labels``) or the report's, translated. The
    files are made only when clicked: building an XLSX on every rerun would cost ~100 ms.
    """

    def for_people() -> bytes:
        return export.to_xlsx(frame.rename(columns=people_headers(frame, labels)), name)

    left, right = where.columns(2)
    left.download_button(
        t("CSV"), lambda: export.to_csv(frame), file_name=f"{name}.csv", mime="text/csv",
        icon=":material/download:", on_click="ignore", key=f"csv_{name}", width="stretch",
    )  # fmt: skip
    right.download_button(
        t("Excel"), for_people, file_name=f"{name}.xlsx", mime=export.XLSX_MIME,
        icon=":material/download:", on_click="ignore", key=f"xlsx_{name}", width="stretch",
    )  # fmt: skip
