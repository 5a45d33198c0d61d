"""Open mode: the person chosen (``?as=K1``) stays chosen across page switches and reruns,
every link the app builds keeps it, and the sidebar says who you are."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from kam.core import db
from tests.apptest import run_app
from tests.team import team


def test_the_chosen_person_survives_a_page_switch_without_the_query_string(monkeypatch, sqlite_url):
    team(db.engine(sqlite_url))
    at = run_app(monkeypatch, sqlite_url, viewer="K1")
    assert at.sidebar.selectbox(key="viewer_code").value == "K1"
    # Streamlit's own menu drops the query string when it switches pages.
    for page in ("pages/clients.py", "pages/week.py"):
        at.query_params.clear()
        at.switch_page(page)
        at.run()
        assert not at.exception
        assert at.sidebar.selectbox(key="viewer_code").value == "K1"
        assert at.query_params["as"] == "K1"


def test_picking_someone_else_moves_the_link_to_him_or_her(monkeypatch, sqlite_url):
    team(db.engine(sqlite_url))
    at = run_app(monkeypatch, sqlite_url, viewer="K1")
    at.sidebar.selectbox(key="viewer_code").select("K2").run()
    assert at.query_params["as"] == "K2"
    at.query_params.clear()
    at.switch_page("pages/clients.py")
    at.run()
    assert at.sidebar.selectbox(key="viewer_code").value == "K2"


def test_the_sidebar_names_the_person(monkeypatch, sqlite_url):
    team(db.engine(sqlite_url))
    at = run_app(monkeypatch, sqlite_url, viewer="K2")
    chooser = at.sidebar.selectbox(key="viewer_code")
    assert chooser.label == "You are"
    assert chooser.format_func(chooser.value) == "Dmitry · K2"
    assert "Role: KAM" in [c.value for c in at.sidebar.caption]


def _links() -> None:
    import streamlit as st

    from kam.core.i18n import set_language
    from kam.ui import state, tables

    set_language("ru")
    state.remember_person("K1")
    st.text(tables.client_url("C 1"))
    st.text(repr(state.link_params(client="C1")))


def test_links_the_app_builds_keep_who_you_are_and_the_language():
    at = AppTest.from_function(_links).run()
    assert [e.value for e in at.text] == [
        "client?as=K1&lang=ru&client=C%201",
        "{'as': 'K1', 'lang': 'ru', 'client': 'C1'}",
    ]
    assert at.query_params["as"] == "K1"


def test_an_unknown_person_in_the_link_falls_back_with_a_notice(monkeypatch, sqlite_url):
    team(db.engine(sqlite_url))
    at = run_app(monkeypatch, sqlite_url, viewer="NOBODY")
    assert at.sidebar.selectbox(key="viewer_code").value == "H1"  # the first in the list
    assert at.query_params["as"] == "H1"
