"""A process-wide result cache keyed by the database's data version, bounded in count and bytes.

Every write bumps the data version in the database (kam.core.audit), so a change saved by one server
process changes the key that every other process computes on its next rerun: nobody serves a
stale figure, and no process has to be told.
"""

from __future__ import annotations

import pickle
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd


def _size_of(value: Any) -> int:
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True).sum())
    if isinstance(value, pd.Series):
        return int(value.memory_usage(deep=True))
    try:
        return len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # unpicklable values are rare here; count them as large
        return 1 << 20


class VersionedCache:
    """LRU cache of computed results; entries of an older data version are dropped on sight."""

    def __init__(self, max_entries: int = 512, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        # (database, data version, key) -> (value, its size in bytes)
        self._data: OrderedDict[tuple[str, int, Hashable], tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._seen: dict[str, int] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_compute(
        self, database: str, version: int, key: Hashable, compute: Callable[[], Any]
    ) -> Any:
        """The cached value for ``key`` at this data version, computing it on a miss."""
        full_key = (database, version, key)
        with self._lock:
            if version > self._seen.get(database, version - 1):
                self._drop_database(database)  # a newer version makes every older entry stale
            self._seen[database] = max(version, self._seen.get(database, version))
            if full_key in self._data:
                self._data.move_to_end(full_key)
                self.hits += 1
                return self._data[full_key][0]
        self.misses += 1
        value = compute()
        size = _size_of(value)
        if size > self.max_bytes // 4:
            return value  # too big to be worth keeping
        with self._lock:
            if full_key not in self._data:
                self._data[full_key] = (value, size)
                self._bytes += size
            while len(self._data) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._data.popitem(last=False)
                self._bytes -= dropped
        return value

    def clear(self) -> None:
        """Drop everything."""
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self._data.clear()
        self._bytes = 0

    def _drop_database(self, database: str) -> None:
        for stale in [k for k in self._data if k[0] == database]:
            self._bytes -= self._data.pop(stale)[1]

    def __len__(self) -> int:
        return len(self._data)

    @property
    def bytes(self) -> int:
        """Approximate bytes held."""
        return self._bytes


def ledger_only(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a query that reads no visits, claims or competitor notes: logging those keeps its
    cached result (a whole module says the same with ``READS_ACTIVITIES = False``)."""
    fn.reads_activities = False  # type: ignore[attr-defined]
    return fn


def reads_activities(fn: Callable[..., Any]) -> bool:
    """Whether ``fn``'s result can change when a visit, claim or note is logged."""
    flag = getattr(fn, "reads_activities", None)
    if flag is None:
        flag = getattr(sys.modules.get(fn.__module__), "READS_ACTIVITIES", True)
    return bool(flag)
