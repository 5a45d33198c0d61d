"""Typed and imported text is shown as typed on every page: never Markdown, LaTeX, colours,
emoji, images or links (the browser test checks what Chromium draws and fetches)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from google.protobuf.message import Message

from kam.core import clock, db
from kam.ui.plain import inert
from tests import hostile
from tests.apptest import run_app

# Elements that show their text as it is: no escaping needed, none wanted.
PLAIN = {"arrow_data_frame", "selectbox", "multiselect", "text", "text_input", "date_input"}


def test_inert_escapes_by_hand():
    assert inert(hostile.NAME) == hostile.NAME_MARKDOWN
    assert inert("a@b.ru www.x.ru") == "a\\@\u2060b\\.ru www\u2060\\.x\\.ru"
    assert hostile.shown(inert(hostile.CLAIM)) == hostile.CLAIM


def _walk(node) -> Iterator:  # noqa: ANN001
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _strings(message: Message) -> Iterator[str]:
    for _field, value in message.ListFields():
        single = isinstance(value, str | bytes | Message) or not hasattr(value, "__iter__")
        values = [value] if single else list(value)
        for v in values:
            if isinstance(v, Message):
                yield from _strings(v)
            elif isinstance(v, str):
                yield v


def _marked_up(at) -> list[str]:  # noqa: ANN001
    """Every text of every element that reads Markdown: bodies, labels, options, help."""
    return [
        text
        for n in _walk(at._tree)
        if getattr(n, "proto", None) is not None and n.type not in PLAIN
        for text in _strings(n.proto)
    ]


@pytest.fixture
def company(sqlite_url) -> str:
    with db.writing(db.engine(sqlite_url)) as s:
        hostile.seed(s, clock.today())
    return sqlite_url


def _shown(elements) -> list[str]:  # noqa: ANN001
    return [hostile.shown(e.value) for e in elements]


def _no_raw_markup(at) -> None:  # noqa: ANN001
    # What is left once every backslash escape is taken out is what Markdown would read.
    bare = [re.sub(r"\\[\s\S]", "", text) for text in _marked_up(at)]
    leaks = [(raw, text[:200]) for text in bare for raw in hostile.RAW if raw in text]
    assert leaks == []


def test_client_360_shows_every_text_as_typed(monkeypatch, company):
    at = run_app(monkeypatch, company, params={"client": "C1"}, viewer="H", page="pages/client.py")
    _no_raw_markup(at)
    assert [t.value for t in at.title] == [hostile.NAME_MARKDOWN]
    assert f"manager {hostile.MANAGER}" in _shown(at.caption)[0]
    markdown, captions = _shown(at.markdown), _shown(at.caption)
    assert hostile.OUTCOME in markdown
    assert hostile.NOTES in captions
    assert any(m.endswith(hostile.STEP + " by " + m.rsplit(" by ", 1)[-1]) for m in markdown)


def test_my_desk_lists_hostile_names_and_steps_as_typed(monkeypatch, company):
    at = run_app(monkeypatch, company, viewer="H")
    _no_raw_markup(at)
    texts = [hostile.shown(t) for t in _marked_up(at)]
    assert any(f"{hostile.NAME} · C1" in t for t in texts)  # the client link
    assert any(f"“{hostile.STEP}” was due" in t for t in _shown(at.markdown))


def test_the_week_shows_the_client_as_typed(monkeypatch, company):
    at = run_app(monkeypatch, company, viewer="H", page="pages/week.py")
    _no_raw_markup(at)
    assert any(hostile.NAME in t for t in _shown(at.markdown))


@pytest.mark.parametrize(
    "page",
    [
        "pages/clients.py",
        "pages/claims.py",
        "pages/plan.py",
        "pages/receivables.py",
        "pages/users.py",
        "pages/audit.py",
    ],
)
def test_other_pages_leak_no_markup(monkeypatch, company, page):
    _no_raw_markup(run_app(monkeypatch, company, viewer="H", page=page))


def test_the_sidebar_names_a_hostile_manager_as_typed(monkeypatch, company):
    at = run_app(monkeypatch, company, viewer="K1")
    _no_raw_markup(at)
