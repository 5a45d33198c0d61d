"""Numbers and dates on charts in the UI language: Vega's format locale and the axes that use it.

Vega formats axis labels and tooltips in the browser (or in vl-convert for the slides and the
PDF), so it gets the locale as data built from Babel's (CLDR) — the same source as
kam.core.formatting — and every chart is given it by ``localized``. Short numbers ("200 млн",
"12m") are spelled by a label expression, as Vega's own "~s" knows only SI prefixes (200M).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, TypeVar

import altair as alt
from babel import Locale
from babel.numbers import parse_pattern

from kam.core.i18n import babel_locale

# Tooltip formats: a day ("1 Dec 2026", "1 дек. 2026") and whole money.
DAY = "%-d %b %Y"
WHOLE = ",.0f"
_MAGNITUDES = (10**12, 10**9, 10**6, 10**3)
Chart = TypeVar("Chart", bound=alt.TopLevelMixin)


@lru_cache(maxsize=8)
def vega_locale(locale_name: str) -> dict[str, Any]:
    """Vega's ``config.locale`` (d3 number and time locales) for a Babel locale."""
    locale = Locale.parse(locale_name)
    symbols = locale.number_symbols.get("latn", locale.number_symbols)
    percent = parse_pattern(locale.percent_formats[None].pattern)
    months = locale.months["format"]
    days = locale.days["format"]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # CLDR counts from Monday, d3 from Sunday
    return {
        "number": {
            "decimal": symbols["decimal"],
            "thousands": symbols["group"],
            "grouping": [3],
            "currency": ["", ""],  # money is labelled by the axis title, not by each tick
            "minus": symbols["minusSign"],
            "percent": percent.suffix[0].replace("%", symbols["percentSign"]),
        },
        "time": {
            "dateTime": "%x, %X",
            "date": _d3_date(locale.date_formats["short"].pattern),
            "time": "%H:%M:%S",
            "periods": [
                locale.day_periods["format"]["abbreviated"].get(p, p) for p in ("am", "pm")
            ],
            "days": [days["wide"][i] for i in sunday_first],
            "shortDays": [days["abbreviated"][i] for i in sunday_first],
            # With a day ("1 дек.", "1 мая"): the format forms; a month alone: month_axis.
            "months": [months["wide"][i] for i in range(1, 13)],
            "shortMonths": [months["abbreviated"][i] for i in range(1, 13)],
        },
    }


def _d3_date(pattern: str) -> str:
    # CLDR's short date ("dd.MM.y", "dd/MM/y") in d3's notation.
    return re.sub(r"d+|M+|y+", lambda m: {"d": "%d", "M": "%m", "y": "%Y"}[m.group()[0]], pattern)


def localized(chart: Chart) -> Chart:
    """``chart`` with the UI language's number and date formats (keeps its other config)."""
    copy = chart.copy(deep=["config"])
    if copy.config is alt.Undefined:
        copy.config = alt.Config()
    copy.config["locale"] = vega_locale(babel_locale())
    return copy


@lru_cache(maxsize=8)
def _short_expression(locale_name: str) -> str:
    # Babel's compact patterns ("0 млн", "0m") as a Vega expression over datum.value.
    patterns = Locale.parse(locale_name).compact_decimal_formats["short"]["other"]
    expression = "format(datum.value, ',.3~r')"
    for size in reversed(_MAGNITUDES):
        pattern = parse_pattern(patterns[str(size)])
        prefix, suffix = (_literal(pattern.prefix[0]), _literal(pattern.suffix[0]))
        expression = (
            f"abs(datum.value) >= {size} ? {prefix} + format(datum.value / {size}, ',.3~r') "
            f"+ {suffix} : {expression}"
        )
    return expression


def _literal(affix: str) -> str:
    # CLDR quotes literal characters ("тыс'.'"); a Vega string wants them bare.
    return json.dumps(re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", affix), ensure_ascii=False)


def short_axis(**options: Any) -> alt.Axis:
    """A quantity axis in short form: "200 млн", "1,5 тыс." (ru), "200m", "1.5k" (en)."""
    return alt.Axis(labelExpr=_short_expression(babel_locale()), **options)


def month_axis(**options: Any) -> alt.Axis:
    """A month axis: "дек. 26", "май 26" (ru), "Dec 26" (en): the month named on its own."""
    names = Locale.parse(babel_locale()).months["stand-alone"]["abbreviated"]
    listed = json.dumps([names[i] for i in range(1, 13)], ensure_ascii=False)
    # Vega's month() counts from 0, like the list.
    expression = f"{listed}[month(datum.value)] + ' ' + timeFormat(datum.value, '%y')"
    return alt.Axis(labelExpr=expression, labelAngle=0, **options)


def day_axis(**options: Any) -> alt.Axis:
    """A day axis: "1 дек." (ru), "1 Dec" (en)."""
    return alt.Axis(format="%-d %b", labelAngle=0, **options)
