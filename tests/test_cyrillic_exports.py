"""Cyrillic comes out of the PDF pack (fonts embedded) and of XLSX exports as it went in."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from sqlalchemy.orm import Session

from kam import review
from kam.core import db
from kam.core.access import SYSTEM
from kam.core.i18n import set_language
from kam.reports import export
from kam.review import review_pack
from tests import factories as f

WEEK = review.ReviewWeek(monday=dt.date(2026, 11, 16), review_date=dt.date(2026, 11, 20))
CLIENT = "ООО «Ромашка-Ёлка»"
MANAGER = "Дмитрий Ёлкин"


@pytest.fixture
def company(engine):
    """One KAM with one client over its limit and 30 days overdue (invoice due 21 Oct)."""
    with db.writing(engine) as s:
        f.manager(s, "H1", role="head", name="Head")
        kam = f.manager(s, "K1", name=MANAGER)
        client = f.client(s, "C1", kam, name=CLIENT, credit_limit=Decimal(100))
        f.invoice(s, client, "I1", "2026-10-01", "2026-10-21", 1000)
        f.line(s, client, "2026-11-17", 500)
        f.refresh(s)


@pytest.fixture(params=["ru", "en"])
def language(request):
    set_language(request.param)
    yield request.param
    set_language("en")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is missing")
def test_the_pack_carries_cyrillic_names(engine, company, language, tmp_path):
    with Session(engine) as s:
        figures = review.review(s, viewer=SYSTEM, week=WEEK)
    path = tmp_path / "pack.pdf"
    path.write_bytes(review_pack.build(figures))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert MANAGER in text
    assert CLIENT in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    assert "DejaVuSans" in fonts.stdout
    # pdffonts: name, type, encoding, emb, sub, uni, object id (two numbers).
    assert all(line.split()[-5] == "yes" for line in fonts.stdout.splitlines()[2:])


def test_xlsx_reads_back_cyrillic_as_written():
    frame = pd.DataFrame({"client": [CLIENT, "ИП Сидоров"], "выручка": [Decimal("1234.50"), 0]})
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(frame))).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["client", "выручка"],
        [CLIENT, 1234.5],
        ["ИП Сидоров", 0],
    ]
