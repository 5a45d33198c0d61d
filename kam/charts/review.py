"""Charts of the weekly review, drawn for a screen across the room and for the PDF pack.

The chart is the plan page's pacing chart with thick lines and large type; it is rendered by
vl-convert (the Vega renderer) to SVG for the slides and to PNG for the PDF, so the meeting,
the laptop and the pack show one picture.
"""

from __future__ import annotations

import json
from functools import lru_cache

import altair as alt
import pandas as pd
import vl_convert

from kam.charts import formats
from kam.charts import plans as plan_charts
from kam.charts.formats import localized
from kam.core.i18n import t

FONT = "DejaVu Sans"
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
# The chart's own size in its units; the slide scales the picture to its box.
WIDTH, HEIGHT = 1500, 620
LAST_YEAR = "#5f6b7a"
TEXT = 34  # axis and legend type in chart units: about 22 px when the chart is 1100 px wide


def pacing(frame: pd.DataFrame, *, width: int = WIDTH, height: int = HEIGHT) -> alt.Chart:
    """Cumulative fact, plan line and last year through the month (kam.plans.fulfilment.pacing rows),
    with large type and thick lines; the revenue axis in short form (12M)."""
    base = plan_charts.pacing(frame)
    order = [t("Fact"), t("Plan"), t("Last year")]
    return localized(
        base.encode(
            y=alt.Y(
                "value:Q",
                title=t("Revenue, cumulative"),
                axis=formats.short_axis(tickCount=5),
            ),
            color=alt.Color(
                "series:N",
                title=None,
                sort=order,
                # Last year darker than on the plan page: a projector washes pale grey out.
                scale=alt.Scale(domain=order, range=[plan_charts.FACT, plan_charts.PLAN, LAST_YEAR]),
                legend=alt.Legend(orient="top"),
            ),
            strokeWidth=alt.condition(alt.datum.key == "fact", alt.value(8), alt.value(5)),
        )
        .properties(width=width, height=height)
        .configure(font=FONT)
        .configure_axis(
            labelFontSize=TEXT, titleFontSize=TEXT, labelColor="#111", titleColor="#111",
            titleFontWeight="normal", gridColor="#d5d9de",
        )
        .configure_legend(
            labelFontSize=TEXT, symbolStrokeWidth=7, symbolSize=900, labelColor="#111",
            labelLimit=400,
        )
        .configure_view(stroke=None)
    )  # fmt: skip


@lru_cache(maxsize=1)
def _fonts() -> bool:
    # vl-convert draws with the fonts it knows; DejaVu has Cyrillic and matches the PDF.
    vl_convert.register_font_directory(FONT_DIR)
    return True


@lru_cache(maxsize=64)
def _svg(spec: str) -> str:
    _fonts()
    return vl_convert.vegalite_to_svg(json.loads(spec))


@lru_cache(maxsize=64)
def _png(spec: str, scale: float) -> bytes:
    _fonts()
    return vl_convert.vegalite_to_png(json.loads(spec), scale=scale)


def svg(chart: alt.TopLevelMixin) -> str:
    """The chart as SVG text (the same chart is drawn once per process)."""
    return _svg(json.dumps(chart.to_dict(), sort_keys=True, default=str))


def png(chart: alt.TopLevelMixin, scale: float = 1.0) -> bytes:
    """The chart as a PNG picture, ``scale`` times its own size."""
    return _png(json.dumps(chart.to_dict(), sort_keys=True, default=str), scale)
