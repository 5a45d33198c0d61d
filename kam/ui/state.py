"""Filters that live in the URL, so a link reproduces the view.

Every URL parameter is read here: a value that does not parse, is out of range or is not
among the choices falls back to the default, leaves the URL and says so in a short notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import streamlit as st

from kam.core import periods
from kam.core.i18n import language, t

# How a day is typed and shown in every date picker: as people here write it, 01.12.2026.
DAY_FORMAT = "DD.MM.YYYY"

T = TypeVar("T")

MAX_LENGTH = 200  # no filter value comes near this; a longer one is not a filter
# Days and periods a link may name: a wider range reaches dates the calendar arithmetic of
# the pages (a week's Sunday, a year before) cannot represent.
EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2099, 12, 31)


_PERSON = "_kam_as"  # open mode: who the person chose to be, kept for the browser session


def remember_person(code: str) -> None:
    """Keep who the person is (open mode) for the session and in the URL as ``?as=CODE``, so
    a page switch, a reload or a copied link keeps him or her."""
    st.session_state[_PERSON] = code
    if st.query_params.get("as") != code:
        st.query_params["as"] = code


def remembered_person() -> str | None:
    """The manager code chosen earlier in this browser session (open mode), if any."""
    return st.session_state.get(_PERSON)


def link_params(**values: str) -> dict[str, str]:
    """The query parameters of every link the app builds: who you are (``as``, open mode) and
    the language kept, then ``values``."""
    person = remembered_person()
    kept = {"as": person} if person else {}
    return {**kept, "lang": language(), **values}


def href(page: str, **values: str) -> str:
    """A link to ``page`` (its url_path) relative to the app, built from ``link_params``."""
    return f"{page}?{urlencode(link_params(**values), quote_via=quote)}"


def refuse(name: str) -> None:
    """Drop the parameter ``name`` from the URL with a short notice that its value is invalid."""
    # Dropping the value keeps the notice to this one run and the URL honest.
    if name in st.query_params:
        del st.query_params[name]
    st.toast(
        t("The link's value for “{param}” is not valid here: showing the default instead.",
          param=name),
        icon=":material/link_off:",
    )  # fmt: skip


def _raw(name: str) -> str | None:
    """The parameter's text, or None (after a notice) when no filter could hold it."""
    raw = st.query_params.get(name)
    if raw is not None and (len(raw) > MAX_LENGTH or not raw.isprintable()):
        refuse(name)
        return None
    return raw


def get(name: str, default: T, parse: Callable[[str], T] = str) -> T:  # type: ignore[assignment]
    """The query parameter ``name`` parsed, or ``default`` (with a notice) when malformed."""
    raw = _raw(name)
    if raw is None or raw == "":
        return default
    try:
        return parse(raw)
    except (ValueError, TypeError, OverflowError):
        refuse(name)
        return default


def day(text: str, *, earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> dt.date:
    """An ISO day (``2026-11-16``) from ``earliest`` to ``latest``; ValueError otherwise."""
    value = dt.date.fromisoformat(text)
    if len(text) != 10 or not earliest <= value <= latest:
        raise ValueError(f"day out of range: {text!r}")
    return value


def period(text: str) -> periods.Period:
    """A period code (``2026-11``, ``2026-Q4``, ``2026``) within the range days may take."""
    found = periods.parse(text)
    if not EARLIEST <= found.start <= found.end <= LATEST:
        raise ValueError(f"period out of range: {text!r}")
    return found


def whole(low: int, high: int) -> Callable[[str], int]:
    """A parser of whole numbers from ``low`` to ``high``."""

    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise ValueError(f"{value} is not within {low}..{high}")
        return value

    return parse


def one_of(options: Sequence[str]) -> Callable[[str], str]:
    """A parser accepting only the texts in ``options`` (codes of managers, say)."""
    known = set(options)

    def parse(text: str) -> str:
        if text not in known:
            raise ValueError(f"not one of the choices: {text!r}")
        return text

    return parse


def get_list(name: str) -> list[str]:
    """A multi-valued query parameter (``?abc=A&abc=B``)."""
    values = [v for v in st.query_params.get_all(name) if v]
    if any(len(v) > MAX_LENGTH or not v.isprintable() for v in values):
        refuse(name)
        return []
    return values


def put(name: str, value: Any, default: Any = None) -> None:
    """Write ``value`` to the URL, or remove the parameter when it equals the default."""
    if value is None or value == default or value == "" or value == []:
        if name in st.query_params:
            del st.query_params[name]
        return
    text = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    if st.query_params.get_all(name) != (text if isinstance(text, list) else [text]):
        st.query_params[name] = text


def select(
    label: str,
    options: Sequence[T],
    *,
    param: str,
    default: T | None = None,
    format_func: Callable[[T], str] = str,
    where: Any = st,
    **kwargs: Any,
) -> T | None:
    """A selectbox whose choice is kept in the URL under ``param``."""
    by_text = {str(o): o for o in options}
    raw = _raw(param)
    current = by_text.get(raw or "", default)
    if raw and raw not in by_text:
        refuse(param)
    index = list(options).index(current) if current in options else None
    value = where.selectbox(
        label, options, index=index, format_func=format_func, key=f"url_{param}", **kwargs
    )
    put(param, value, default)
    return value


def multiselect(
    label: str,
    options: Sequence[T],
    *,
    param: str,
    format_func: Callable[[T], str] = str,
    where: Any = st,
    **kwargs: Any,
) -> list[T]:
    """A multiselect whose choices are kept in the URL under ``param``."""
    by_text = {str(o): o for o in options}
    asked = get_list(param)
    current = [by_text[v] for v in asked if v in by_text]
    if len(current) < len(asked):
        refuse(param)
    # Nothing chosen filters nothing: the empty box says so, in the page's language (Streamlit's
    # own "Choose options" is English only).
    kwargs.setdefault("placeholder", t("All"))
    value = where.multiselect(
        label, options, default=current, format_func=format_func, key=f"url_{param}", **kwargs
    )
    put(param, list(value))
    return list(value)


def text(label: str, *, param: str, where: Any = st, **kwargs: Any) -> str:
    """A text input whose content is kept in the URL under ``param``."""
    value = where.text_input(label, value=_raw(param) or "", key=f"url_{param}", **kwargs)
    put(param, value.strip(), "")
    return value.strip()


def day_input(label: str, *, param: str, where: Any = st, **kwargs: Any) -> dt.date | None:
    """A date input kept in the URL as ``?param=YYYY-MM-DD``; empty by default."""
    kwargs.setdefault("format", DAY_FORMAT)
    value = where.date_input(label, value=get(param, None, day), key=f"url_{param}", **kwargs)
    put(param, value.isoformat() if value else None)
    return value
