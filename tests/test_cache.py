"""The versioned cache: a new data version invalidates, and the bounds hold."""

from __future__ import annotations

import pandas as pd

from kam.core.cache import VersionedCache


def test_same_version_hits_and_new_version_recomputes():
    cache, calls = VersionedCache(), []

    def compute():
        calls.append(1)
        return len(calls)

    assert cache.get_or_compute("db", 1, "k", compute) == 1
    assert cache.get_or_compute("db", 1, "k", compute) == 1
    assert cache.get_or_compute("db", 2, "k", compute) == 2
    assert len(cache) == 1  # the version-1 entry was dropped


def test_entry_count_is_bounded():
    cache = VersionedCache(max_entries=3)
    for i in range(10):
        cache.get_or_compute("db", 1, i, lambda i=i: i)
    assert len(cache) == 3
    assert cache.get_or_compute("db", 1, 9, lambda: -1) == 9  # newest kept
    assert cache.get_or_compute("db", 1, 0, lambda: -1) == -1  # oldest evicted


def test_bytes_are_bounded():
    frame = pd.DataFrame({"x": range(10_000)})  # 80 kB of int64 plus the index
    cache = VersionedCache(max_bytes=1_000_000)
    for i in range(40):
        cache.get_or_compute("db", 1, i, lambda: frame.copy())
    assert cache.bytes <= 1_000_000
    assert 5 <= len(cache) < 40


def test_databases_do_not_share_entries():
    cache = VersionedCache()
    assert cache.get_or_compute("a", 1, "k", lambda: "A") == "A"
    assert cache.get_or_compute("b", 1, "k", lambda: "B") == "B"
    assert cache.get_or_compute("a", 1, "k", lambda: "x") == "A"


def test_queries_that_read_activities_are_told_apart():
    from kam import portfolio, receivables, sales
    from kam.core.cache import reads_activities
    from kam.portfolio import clients

    assert not reads_activities(sales.revenue_by_client)
    assert not reads_activities(receivables.client_receivables)
    assert not reads_activities(portfolio.abc_xyz)
    assert reads_activities(portfolio.clients_overview)  # counts open claims
    assert reads_activities(clients.contact_history)
