"""Cached loaders: pages call ``load(fn, **kwargs)`` to run a kam query function.

Results are cached per process, keyed by the database URL, the data version read at the start
of the run, the function and its arguments (kam.core.cache explains why that is enough).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kam.core import db, logs
from kam.core.cache import VersionedCache, reads_activities
from kam.core.i18n import t
from kam.ui import frame

log = logs.get(__name__)
T = TypeVar("T")
CACHE = VersionedCache(max_entries=1024, max_bytes=512 * 1024 * 1024)


def _key(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(
            _key(v) for v in (sorted(value) if isinstance(value, set | frozenset) else value)
        )
    if isinstance(value, dict):
        return tuple(sorted((k, _key(v)) for k, v in value.items()))
    return value


def load(fn: Callable[..., T], /, **kwargs: Any) -> T:
    """``fn(session, **kwargs)``, cached until the next write anywhere.

    A failing query shows a short message and stops the page, never a traceback.
    """
    try:
        return _cached(frame.context(), fn, kwargs)
    except SQLAlchemyError:
        log.exception("reading %s.%s failed", fn.__module__, fn.__qualname__)
        st.error(t("The figures could not be read from the database. Try again in a minute."))
        st.stop()


def loader() -> Callable[..., Any]:
    """``load`` bound to this run's context, for work Streamlit runs on another thread (a
    download's data callable): the same cache at the same data version; errors are raised."""
    ctx = frame.context()
    return lambda fn, /, **kwargs: _cached(ctx, fn, kwargs)


def _cached(ctx: frame.Context, fn: Callable[..., T], kwargs: dict[str, Any]) -> T:
    # A ledger write drops every entry (the ledger version is the cache's version); a logged
    # visit, claim or note changes only the keys of the queries that read them.
    activities = ctx.activity_version if reads_activities(fn) else None
    key = (fn.__module__, fn.__qualname__, _key(kwargs), activities)

    def compute() -> T:
        with Session(db.engine(ctx.database_url)) as session, session.begin():
            return fn(session, **kwargs)

    return CACHE.get_or_compute(ctx.database_url, ctx.data_version, key, compute)


def load_fresh(fn: Callable[..., T], /, **kwargs: Any) -> T:
    """``fn(session, **kwargs)`` read now, bypassing the cache: for a record about to be edited
    (a dialog reruns alone and would otherwise see the data version of the page's last run)."""
    with Session(db.engine(frame.context().database_url)) as session, session.begin():
        return fn(session, **kwargs)
