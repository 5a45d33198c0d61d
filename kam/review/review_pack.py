"""The review pack: the weekly review as a PDF, one landscape A4 page per slide.

It lays out the same SlideViews the screen shows (kam.review.registry), by the layout rules of
kam.review.layout, with the same charts rendered to PNG by vl-convert, in DejaVu fonts so
Cyrillic names print. No Streamlit here.
"""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF

from kam.charts import review as review_charts
from kam.core.i18n import t
from kam.review import layout
from kam.review.registry import Review, all_slides

FONT_DIR = Path(review_charts.FONT_DIR)
FONT = "DejaVu"
PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
MARGIN = 10.0
GAP = 4.0
# Tile and table geometry, mm and pt.
LABEL_PT, KEY_PT, LINE_PT, TABLE_PT = 11, 24, 9.5, 10
LINE_H, ROW_H, TITLE_H = 4.6, 6.6, 6.5


def _rgb(colour: str) -> tuple[int, int, int]:
    """``#1b7f3b`` → (27, 127, 59)."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _tone(tone: str) -> tuple[int, int, int]:
    return _rgb(layout.tone_colour(tone))


INK, MUTED, RULE = (_rgb(layout.COLOURS[name]) for name in ("ink", "muted", "rule"))


class _Pack(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))

    def fit(self, text: str, width: float) -> str:
        """``text`` cut with an ellipsis to fit ``width`` at the current font."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text + "…"


def _tiles_height(block: layout.Tiles) -> float:
    lines = max((len(tile.lines) for tile in block.tiles), default=0)
    return 6 + 11 + lines * LINE_H + 4


def _table_height(block: layout.Table) -> float:
    rows = max(len(block.rows), 1)
    return (TITLE_H if block.title else 0) + ROW_H * (rows + 1) + (LINE_H + 1 if block.more else 0)


def _natural(block: layout.Block) -> float:
    if isinstance(block, layout.Tiles):
        return _tiles_height(block)
    if isinstance(block, layout.Table):
        return _table_height(block)
    return 60.0  # a chart takes what is left, at least this


def _draw_tiles(pdf: _Pack, block: layout.Tiles, x: float, y: float, w: float, h: float) -> None:  # fmt: skip
    n = len(block.tiles)
    tw = (w - GAP * (n - 1)) / n
    for i, tile in enumerate(block.tiles):
        tx = x + i * (tw + GAP)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.4)
        pdf.rect(tx, y, tw, h)
        pdf.set_fill_color(*_tone(tile.tone))
        pdf.rect(tx, y, 1.8, h, style="F")
        inner = tw - 7
        pdf.set_text_color(*INK)
        pdf.set_font(FONT, "B", LABEL_PT)
        pdf.set_xy(tx + 4, y + 2)
        pdf.cell(inner, 5, pdf.fit(tile.label, inner))
        size = KEY_PT
        pdf.set_font(FONT, "B", size)
        while size > 12 and pdf.get_string_width(tile.value) > inner:
            size -= 1
            pdf.set_font(FONT, "B", size)
        if tile.value_tone:
            pdf.set_text_color(*_tone(tile.value_tone))
        pdf.set_xy(tx + 4, y + 7)
        pdf.cell(inner, 10, tile.value)
        pdf.set_text_color(*MUTED)
        pdf.set_font(FONT, "", LINE_PT)
        for j, line in enumerate(tile.lines):
            pdf.set_xy(tx + 4, y + 18 + j * LINE_H)
            pdf.cell(inner, LINE_H, pdf.fit(line, inner))


def _draw_table(pdf: _Pack, block: layout.Table, x: float, y: float, w: float) -> None:
    pdf.set_text_color(*INK)
    if block.title:
        pdf.set_font(FONT, "B", LABEL_PT)
        pdf.set_xy(x, y)
        pdf.cell(w, TITLE_H - 1, pdf.fit(block.title, w))
        y += TITLE_H
    if not block.rows:
        pdf.set_font(FONT, "", TABLE_PT)
        pdf.set_text_color(*MUTED)
        pdf.set_xy(x, y)
        pdf.cell(w, ROW_H, pdf.fit(block.empty, w))
        return
    widths = [w * share for share in block.column_shares]
    tone_col = block.toned_column

    def row(values: tuple[str, ...], y: float, bold: bool, tone: str = "") -> None:
        cx = x
        for j, (value, cw, align) in enumerate(zip(values, widths, block.align, strict=True)):
            toned = bool(tone) and j == tone_col
            size = TABLE_PT + (1.5 if block.large else 0)
            pdf.set_font(FONT, "B" if bold or toned else "", size)
            while bold and size > 7 and pdf.get_string_width(str(value)) > cw - 2:
                size -= 0.5  # a header shrinks before it is cut
                pdf.set_font(FONT, "B", size)
            pdf.set_text_color(*(_tone(tone) if toned else INK))
            pdf.set_xy(cx, y)
            pdf.cell(cw, ROW_H, pdf.fit(str(value), cw - 2), align="R" if align == "r" else "L")
            cx += cw

    row(block.header, y, True)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.6)
    pdf.line(x, y + ROW_H, x + w, y + ROW_H)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    for i, (values, tone) in enumerate(block.body()):
        ry = y + ROW_H * (i + 1)
        row(values, ry, False, tone)
        pdf.line(x, ry + ROW_H, x + w, ry + ROW_H)
    if block.more:
        pdf.set_font(FONT, "", LINE_PT)
        pdf.set_text_color(*MUTED)
        pdf.set_xy(x, y + ROW_H * (len(block.rows) + 1) + 1)
        pdf.cell(w, LINE_H, block.more)


def _draw_chart(pdf: _Pack, block: layout.Chart, x: float, y: float, w: float, h: float) -> None:  # fmt: skip
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", LABEL_PT)
    pdf.set_xy(x, y)
    pdf.cell(w, TITLE_H - 1, pdf.fit(block.title, w))
    data = review_charts.png(block.chart, scale=1.0)
    # Width and height from the PNG header: the picture keeps its shape, top left in its box.
    ratio = int.from_bytes(data[16:20], "big") / int.from_bytes(data[20:24], "big")
    pw = min(w, (h - TITLE_H) * ratio)
    pdf.image(io.BytesIO(data), x=x, y=y + TITLE_H, w=pw, h=pw / ratio)


def _page(pdf: _Pack, view: layout.SlideView, number: int, count: int) -> None:
    pdf.add_page()
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 20)
    pdf.set_xy(MARGIN, MARGIN)
    pdf.cell(PAGE_W - 2 * MARGIN, 9, pdf.fit(view.title, PAGE_W - 2 * MARGIN))
    pdf.set_font(FONT, "", 11)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(MARGIN, MARGIN + 10)
    pdf.cell(PAGE_W - 2 * MARGIN, 5, pdf.fit(view.subtitle, PAGE_W - 2 * MARGIN))
    pdf.set_font(FONT, "", 8)
    pdf.set_xy(MARGIN, PAGE_H - MARGIN + 2)
    pdf.cell(PAGE_W - 2 * MARGIN, 4, t("Weekly review · {n} / {count}", n=number, count=count), align="R")  # fmt: skip

    top, bottom, width = MARGIN + 19, PAGE_H - MARGIN - 1, PAGE_W - 2 * MARGIN
    heights = [max(_natural(b) for b, _ in row.blocks) for row in view.rows]
    spare = bottom - top - sum(heights) - GAP * (len(view.rows) - 1)
    growing = [i for i, row in enumerate(view.rows) if row.grow]
    for i in growing:
        heights[i] += max(spare, 0) / len(growing)
    y = top
    for row, h in zip(view.rows, heights, strict=True):
        x, free = MARGIN, width - GAP * (len(row.blocks) - 1)
        for (block, _), share in zip(row.blocks, row.shares, strict=True):
            w = free * share
            if isinstance(block, layout.Tiles):
                _draw_tiles(pdf, block, x, y, w, h)
            elif isinstance(block, layout.Table):
                _draw_table(pdf, block, x, y, w)
            else:
                _draw_chart(pdf, block, x, y, w, h)
            x += w + GAP
        y += h + GAP


def build(figures: Review) -> bytes:
    """The PDF of a review: one page per slide, in meeting order."""
    views = all_slides(figures)
    pdf = _Pack()
    pdf.set_title(t("Weekly review"))
    for number, view in enumerate(views, start=1):
        _page(pdf, view, number, len(views))
    return bytes(pdf.output())
