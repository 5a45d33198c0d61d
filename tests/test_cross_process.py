"""A change saved by another process shows on this process's next rerun (data-version keyed cache)."""

from __future__ import annotations

import subprocess
import sys

from kam import demo
from kam.core import clock, db, migrate
from tests.apptest import run_app

WRITER = """
import datetime as dt, sys
from kam.core import audit, db
from kam.activities import visits
from kam.core.access import Viewer
url, client_id = sys.argv[1], int(sys.argv[2])
with db.writing(db.engine(url)) as s:
    visits.log_contact(
        s, viewer=Viewer(name="Other process", role="head", manager_id=1),
        actor=audit.Actor(name="Other process", id=1),
        form=visits.ContactForm(client_id=client_id, kind="call", outcome="Seen across processes"),
    )
"""


def _timeline(at) -> list[str]:
    """The texts shown in the visits-and-calls timeline of Client 360."""
    return [m.value for m in at.tabs[1].markdown]


def test_write_in_another_process_is_seen_on_next_rerun(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'kam.db'}"
    migrate.upgrade(db.engine(url))
    with db.writing(db.engine(url)) as s:
        demo.load(s, today=clock.today(), lines=5_000)
    at = run_app(monkeypatch, url, page="pages/client.py", params={"client": "C0001"})
    before = _timeline(at)

    subprocess.run([sys.executable, "-c", WRITER, url, "1"], check=True, timeout=60)

    at.run()
    after = _timeline(at)
    assert "Seen across processes" not in before
    assert "Seen across processes" in after


def test_a_logged_visit_keeps_cached_money_figures_but_not_the_timeline(monkeypatch, tmp_path):
    from kam import receivables
    from kam.core import audit
    from kam.ui import data

    url = f"sqlite:///{tmp_path / 'kam.db'}"
    migrate.upgrade(db.engine(url))
    with db.writing(db.engine(url)) as s:
        demo.load(s, today=clock.today(), lines=5_000)
    calls = []
    original = receivables.client_receivables

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(receivables, "client_receivables", counted)
    data.CACHE.clear()
    at = run_app(monkeypatch, url, page="pages/client.py", params={"client": "C0001"})
    computed = len(calls)
    assert computed >= 1
    with db.reading(db.engine(url)) as s:
        ledger, activities = audit.data_versions(s)

    subprocess.run([sys.executable, "-c", WRITER, url, "1"], check=True, timeout=60)

    with db.reading(db.engine(url)) as s:
        assert audit.data_versions(s) == (ledger, activities + 1)
    at.run()
    assert len(calls) == computed  # the client's debt came from the cache
    assert "Seen across processes" in _timeline(at)  # the visit shows at once
