"""Filters that live in the URL, so a link reproduces the view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

T = TypeVar("T")


def get(name: str, default: T, parse: Callable[[str], T] = str) -> T:  # type: ignore[assignment]
    """The query parameter ``name`` parsed, or ``default`` when absent or malformed."""
    raw = st.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return parse(raw)
    except (ValueError, TypeError):
        return default


def get_list(name: str) -> list[str]:
    """A multi-valued query parameter (``?abc=A&abc=B``)."""
    return [v for v in st.query_params.get_all(name) if v]


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
    current = by_text.get(st.query_params.get(param, ""), default)
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
    current = [by_text[v] for v in get_list(param) if v in by_text]
    value = where.multiselect(
        label, options, default=current, format_func=format_func, key=f"url_{param}", **kwargs
    )
    put(param, list(value))
    return list(value)


def text(label: str, *, param: str, where: Any = st, **kwargs: Any) -> str:
    """A text input whose content is kept in the URL under ``param``."""
    value = where.text_input(
        label, value=st.query_params.get(param, ""), key=f"url_{param}", **kwargs
    )
    put(param, value.strip(), "")
    return value.strip()
