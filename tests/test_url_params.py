"""Every URL parameter of every page survives any value: the default, and a notice saying so."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests import hostile
from tests.apptest import ROOT, _no_pages_folder_routing

# What each page reads from its URL, and what kind of value each parameter takes.
PAGES = {
    "desk": {"manager": "choice"},
    "clients": {"q": "text", "manager": "choice", "segment": "choice", "region": "choice",
                "abc": "choice", "status": "choice"},
    "client": {"client": "text"},
    "plan": {"period": "period", "manager": "choice"},
    "receivables": {"as_of": "day", "manager": "choice"},
    "claims": {"status": "choice", "kind": "choice", "q": "text", "from": "day", "to": "day",
               "manager": "choice", "period": "choice"},
    "competitors": {"competitor": "choice", "client": "choice", "category": "choice",
                    "author": "choice", "from": "day", "to": "day"},
    "week": {"week": "day", "manager": "choice"},
    "plans_admin": {"month": "period"},
    "review": {"week": "day", "manager": "choice", "slide": "slide", "tv": "text",
               "advance": "count", "refresh": "count"},
    "audit": {"person": "choice", "entity": "choice", "from": "day", "to": "day", "for": "text",
              "page": "count"},
    "users": {},
    "import_data": {},
}  # fmt: skip

HOSTILE = [
    "", "9999", "0024-01", "9999-12-31", "0001-01-01", "-1", "x" * 5000, "%00", "\x00",
    "../../etc", "NaN", "1e309", "Ωмега 😀", "2026-13", "<script>",
]  # fmt: skip


def _valid(kind: str, value: str) -> bool:
    """Whether a hostile value is one the parameter may take (by hand, for this list)."""
    if kind == "text":  # any short printable text: a search, a flag, a client code
        return len(value) <= 200 and value.isprintable()
    if kind == "count":  # a page number, seconds between slides or refreshes
        return value == "9999"
    return False  # no day, period, choice or slide number is among them


def _noticed(at: AppTest) -> set[str]:
    return {m for toast in at.toast for m in re.findall(r"“(\w+)”", toast.value)}


@pytest.mark.parametrize("value", HOSTILE, ids=[repr(v)[:12] for v in HOSTILE])
@pytest.mark.parametrize("page", list(PAGES))
def test_a_hostile_value_falls_back_with_a_notice(monkeypatch, demo_database, page, value):
    monkeypatch.setenv("KAM_DATABASE_URL", demo_database)
    _no_pages_folder_routing(monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()  # My desk, as the app opens; then a link to the page
    params = {"as": "text"} | PAGES[page]  # the open-mode viewer is a manager's code
    for name in params:
        at.query_params[name] = value
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    expected = {n for n, kind in params.items() if value and not _valid(kind, value)}
    if value and _valid("text", value):
        expected.add("as")  # no manager has such a code
    assert _noticed(at) == expected
    errors = [e.value for e in at.error]
    if page == "client" and value and _valid("text", value):
        assert [hostile.shown(e) for e in errors] == [
            f"No client has the code {value}. Check the link or search on the Clients page."
        ]
    else:
        assert errors == []


def test_a_valid_link_gets_no_notice(monkeypatch, demo_database):
    monkeypatch.setenv("KAM_DATABASE_URL", demo_database)
    _no_pages_folder_routing(monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.query_params["week"] = "2026-01-07"  # a Wednesday: its week opens
    at.switch_page("pages/week.py")
    at.run()
    assert not at.exception and _noticed(at) == set()
    assert at.query_params["week"] in ("2026-01-05", ["2026-01-05"])
