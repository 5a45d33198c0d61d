"""Run the real app (app.py and its pages) in Streamlit's AppTest against a given database."""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def _no_pages_folder_routing(monkeypatch) -> None:
    # AppTest resets Streamlit's "pages/ folder" routing before every run, and this project has
    # a pages/ folder, so each run after switch_page would execute the page without app.py. A
    # real server does that at most once (kam.ui.frame.context handles it); make AppTest behave
    # like the server after its first run, so clicks are not lost to the extra rerun.
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def run_app(
    monkeypatch,
    database_url: str,
    *,
    page: str | None = None,
    params: dict[str, str] | None = None,
    viewer: str | None = None,
    timeout: float = 60,
) -> AppTest:
    """The app after its first run on ``page`` (a path like ``pages/clients.py``).

    ``viewer`` is a manager code chosen in the open-mode selector (default: the head of sales).
    """
    monkeypatch.setenv("KAM_DATABASE_URL", database_url)
    _no_pages_folder_routing(monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if viewer:
        at.query_params["as"] = viewer
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
