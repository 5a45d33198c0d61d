"""The UI language: ``?lang=`` in the link, and the sidebar switch changing it at once."""

from __future__ import annotations

from kam.core import i18n
from tests.apptest import run_app


def test_a_russian_link_shows_the_desk_in_russian_and_the_switch_changes_it(
    monkeypatch, demo_database
):
    # AppTest formats the widgets' values in this thread (their format_func) when it runs the
    # app again: this thread must speak the language the page was last shown in.
    i18n.set_language("ru")
    try:
        at = run_app(monkeypatch, demo_database, page="pages/desk.py", params={"lang": "ru"})
        assert at.title[0].value == "Мой рабочий стол"
        [switch] = at.sidebar.button_group
        assert switch.label == "Язык" and switch.value == "ru"
        switch.set_value("en").run()
        assert not at.exception
        assert at.title[0].value == "My desk"
        assert at.query_params["lang"] == "en"  # a copied link keeps the choice
        # The choice outlives a move to another page of the session.
        i18n.set_language("en")
        at.switch_page("pages/clients.py").run()
        assert at.title[0].value == "Clients"
    finally:
        i18n.set_language("en")


def test_a_language_without_a_catalog_in_the_link_falls_back(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page="pages/desk.py", params={"lang": "xx"})
    assert at.title[0].value == "My desk"


def test_an_empty_filter_says_all_in_the_pages_language(monkeypatch, demo_database):
    # Streamlit's own placeholder, "Choose options", is English whatever the page's language.
    i18n.set_language("ru")
    try:
        at = run_app(monkeypatch, demo_database, page="pages/clients.py", params={"lang": "ru"})
        boxes = {box.label: box.proto.placeholder for box in at.multiselect}
        assert boxes == {
            "Менеджер": "Все", "Сегмент": "Все", "Регион": "Все", "ABC": "Все", "Статус": "Все",
        }  # fmt: skip
    finally:
        i18n.set_language("en")
