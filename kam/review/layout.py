"""A slide's layout: its blocks (tiles, tables, a chart) in rows, and the layout rules the
screen (kam.ui.review_slides) and the PDF (kam.review.review_pack) both follow.

A renderer only turns shares, tones and colours into its own units; it decides none of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import altair as alt

from kam.core import formatting as fmt
from kam.core.i18n import t

GOOD, BAD = "good", "bad"  # a tone; "" is none
TABLE_ROWS = 9  # rows a table shows before "and N more": what fits a slide
# The slide's colours, on the wall and on paper alike; a tone is painted in its own.
COLOURS = {
    "ink": "#111111",
    "muted": "#333333",
    "rule": "#d0d5dd",
    "neutral": "#98a2b3",  # the edge of a tile without a tone
    GOOD: "#1b7f3b",
    BAD: "#b42318",
}


def tone_colour(tone: str) -> str:
    """The colour a tone is painted in (no tone: neutral grey)."""
    return COLOURS[tone or "neutral"]


@dataclass(frozen=True)
class Tile:
    """A key figure with its label and up to three short lines under it."""

    label: str
    value: str
    lines: tuple[str, ...] = ()
    tone: str = ""  # "", good, bad

    @property
    def value_tone(self) -> str:
        """The tone the key figure itself is painted in: bad news only, the edge shows the rest."""
        return BAD if self.tone == BAD else ""


@dataclass(frozen=True)
class Tiles:
    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class Table:
    """A small table: header, formatted rows, alignment per column (l/r), tone per row."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...]
    tones: tuple[str, ...] = ()
    empty: str = ""
    more: str = ""  # "and N more" when rows were left off
    widths: tuple[float, ...] = ()  # relative column widths; default from the alignment
    tone_col: int = -1  # the column painted in the row's tone
    large: bool = False  # larger type: a slide with the table alone

    @property
    def column_shares(self) -> tuple[float, ...]:
        """Each column's share of the table's width (they add up to 1); without ``widths`` the
        first column weighs 3, a text column 2 and a number column 1.3, and a column whose
        longest text (header or cell) needs more gets it (4 characters to a unit), so a name is
        not cut while a number column has room to spare."""
        weights = self.widths or tuple(
            max(3 if i == 0 else 2 if a == "l" else 1.3, self._longest(i) / 4)
            for i, a in enumerate(self.align)
        )
        total = sum(weights)
        return tuple(w / total for w in weights)

    def _longest(self, column: int) -> int:
        # Without rows only the defaults count (the header alone is never the widest).
        if not self.rows:
            return 0
        texts = [self.header[column], *(row[column] for row in self.rows)]
        return max(len(text) for text in texts) + 1

    @property
    def toned_column(self) -> int:
        """The index of the column painted in its row's tone."""
        return self.tone_col % len(self.align)

    def body(self) -> Iterator[tuple[tuple[str, ...], str]]:
        """Each row with its tone ("" when it has none)."""
        for i, cells in enumerate(self.rows):
            yield cells, self.tones[i] if i < len(self.tones) else ""


@dataclass(frozen=True, eq=False)
class Chart:
    title: str
    chart: alt.TopLevelMixin


Block = Tiles | Table | Chart


@dataclass(frozen=True)
class Row:
    """Blocks side by side with their relative widths; a growing row takes the height left."""

    blocks: tuple[tuple[Block, float], ...]
    grow: bool = False

    @property
    def shares(self) -> tuple[float, ...]:
        """Each block's share of the row's width once the gaps between them are taken off."""
        total = sum(weight for _, weight in self.blocks)
        return tuple(weight / total for _, weight in self.blocks)


@dataclass(frozen=True)
class SlideView:
    """One slide as words: its key (``team``, ``manager-K01``…), title, subtitle and rows."""

    key: str
    title: str
    subtitle: str
    rows: tuple[Row, ...] = field(default_factory=tuple)


def table(
    title: str,
    header: list[str],
    rows: list[tuple[str, ...]],
    align: str,
    *,
    tones: list[str] | None = None,
    empty: str = "",
    limit: int = TABLE_ROWS,
    widths: tuple[float, ...] = (),
    tone_col: int = -1,
    large: bool = False,
) -> Table:
    """A Table of the first ``limit`` rows, saying how many more were left off."""
    more = "" if len(rows) <= limit else t("and {n} more", n=fmt.number(len(rows) - limit))
    return Table(
        title=title,
        header=tuple(header),
        rows=tuple(rows[:limit]),
        align=tuple(align),
        tones=tuple((tones or [])[:limit]),
        empty=empty,
        more=more,
        widths=widths,
        tone_col=tone_col,
        large=large,
    )
