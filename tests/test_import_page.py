"""The Import page in AppTest: upload, preview, load, summary, problems, rejected rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kam.core import db
from kam.core.models import Client, SalesLine
from tests.apptest import run_app
from tests.test_import_loading import CLIENTS, MANAGERS, load, write

PAGE = "pages/import_data.py"


def test_upload_preview_load_and_rejected_rows(monkeypatch, sqlite_url, tmp_path):
    eng = db.engine(sqlite_url)
    load(eng, write(tmp_path, "managers.csv", MANAGERS))
    at = run_app(monkeypatch, sqlite_url, page=PAGE)  # the head of sales (M2)
    sales = "doc_no,doc_date,client_code,amount\nD1,2024-03-05,C1,100\nD2,2024-03-05,C9,50\n"
    at.file_uploader[0].set_value(
        [("sales.csv", sales.encode(), "text/csv"), ("clients.csv", CLIENTS.encode(), "text/csv")]
    )
    at.run()
    assert not at.exception
    # Previews in load order, clients first.
    assert [e.label for e in at.expander] == [
        # A file's name is typed by someone: escaped so Markdown shows it as it is.
        "clients\\.csv — clients: the first rows as read",
        "sales\\.csv — sales: the first rows as read",
    ]
    at.checkbox[0].check()  # load the valid rows, set the invalid ones aside
    at.button[0].click()
    at.run()
    assert not at.exception
    summary = at.dataframe[-2].value
    assert list(summary["file"]) == ["clients.csv", "sales.csv"]
    assert list(summary["status"]) == ["loaded", "partly loaded"]
    problems = at.dataframe[-1].value
    assert list(problems["line"]) == [3]
    assert problems["problem"].iloc[0].startswith("unknown client 'C9'")
    downloads = [b.label for b in at.get("download_button")]
    assert [x for x in downloads if not x.startswith("Template ")] == ["Rejected rows of sales\\.csv"]
    with db.reading(eng) as s:
        assert s.scalars(select(Client.code).order_by(Client.code)).all() == ["C1", "C2"]
        assert s.scalars(select(SalesLine.doc_no)).all() == ["D1"]


def test_a_kam_is_told_the_import_is_not_for_him(monkeypatch, sqlite_url, tmp_path):
    load(db.engine(sqlite_url), write(tmp_path, "managers.csv", MANAGERS))
    at = run_app(monkeypatch, sqlite_url, viewer="M1")
    # The Import page is not in a KAM's menu at all (app.py); the page refuses one too.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)
    assert not at.file_uploader
