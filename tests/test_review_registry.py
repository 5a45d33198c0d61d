"""The review's slide registry: the screen and the PDF pack show the slides it lists, in its
order, and a slide registered in one place shows in both; both place a table's columns and a
row's blocks by the same layout rules."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from kam import review
from kam.core import clock, db
from kam.core.access import SYSTEM, Viewer
from kam.review import layout, registry, review_pack
from kam.ui import review_slides
from tests.apptest import run_app

# The pack's pages are read back as text.
needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is missing"
)

TODAY = clock.today()
WEEK = review.review_week(TODAY, TODAY)
MEETING = ["team", "managers", "changes", "movers", "market", "next_week"]
PAGE_W_PT, MM = 841.89, 72 / 25.4  # A4 landscape width in points; points per millimetre


@pytest.fixture(scope="module")
def figures(demo_database):
    with Session(db.engine(demo_database)) as s:
        return review.review(s, viewer=SYSTEM, week=WEEK)


def _meeting_keys(figures) -> list[str]:
    """The slide keys of the meeting, by hand: the team, each KAM by code, then the rest."""
    codes = sorted(m.code for m in figures.managers)
    return ["team", *(f"manager-{c}" for c in codes), "changes", "movers", "market", "next_week"]


def _pack_pages(figures, tmp_path) -> list[str]:
    path = tmp_path / "pack.pdf"
    path.write_bytes(review_pack.build(figures))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout  # fmt: skip
    return text.split("\f")[:-1]  # a form feed ends each page


def _screen_keys(at) -> list[str]:
    """The keys of the slides the screen shows, clicking ▶ from the first to the last."""

    def shown() -> tuple[str, int]:
        body = next(h.proto.body for h in at.get("html") if 'class="rv-slide"' in h.proto.body)
        found = re.search(r'data-count="(\d+)" data-key="([^"]+)"', body)
        assert found
        return html.unescape(found[2]), int(found[1])

    key, count = shown()
    keys = [key]
    for _ in range(count - 1):
        at.button(key="rv_next").click().run()
        keys.append(shown()[0])
    return keys


@needs_pdftotext
def test_screen_and_pack_show_the_registrys_slides_in_its_order(
    monkeypatch, demo_database, figures, tmp_path
):
    assert [kind.key for kind in registry.SLIDES] == MEETING
    expected = _meeting_keys(figures)
    views = review.all_slides(figures)
    assert [v.key for v in views] == expected
    pages = _pack_pages(figures, tmp_path)
    assert len(pages) == len(views)
    for page, view in zip(pages, views, strict=True):
        assert page.strip().startswith(view.title), (view.key, page[:80])
    at = run_app(monkeypatch, demo_database, page="pages/review.py", params={"tv": "1", "slide": "1"})  # fmt: skip
    assert _screen_keys(at) == expected


# --- A slide registered in a test --------------------------------------------------------


@dataclass(frozen=True)
class Headcount:
    kams: int


def headcount(session: Session, *, viewer: Viewer, week, manager_id: int | None = None) -> Headcount:  # fmt: skip
    """The extra slide's figures: how many KAMs the review covers."""
    return Headcount(len(review.review_managers(session, viewer=viewer, manager_id=manager_id)))


def headcount_slide(week, figures: Headcount) -> layout.SlideView:
    return layout.SlideView(
        key="headcount",
        title=f"KAMs reviewed: {figures.kams}",
        subtitle="",
        rows=(layout.Row(((layout.Tiles((layout.Tile("KAMs", str(figures.kams)),)), 1),)),),
    )


@pytest.fixture
def with_headcount(monkeypatch):
    """The registry with a headcount slide right after the team plan: its only edit."""
    extra = registry.SlideKind("headcount", headcount, headcount_slide)
    monkeypatch.setattr(registry, "SLIDES", (registry.SLIDES[0], extra, *registry.SLIDES[1:]))


@needs_pdftotext
def test_a_registered_slide_shows_on_screen_and_in_the_pack(
    monkeypatch, demo_database, figures, tmp_path, with_headcount
):
    kams = len(figures.managers)
    expected = _meeting_keys(figures)
    expected.insert(1, "headcount")
    with Session(db.engine(demo_database)) as s:
        more = review.review(s, viewer=SYSTEM, week=WEEK)
    assert more.headcount == Headcount(kams)
    assert [v.key for v in review.all_slides(more)] == expected
    pages = _pack_pages(more, tmp_path)
    assert len(pages) == len(expected)
    assert pages[1].strip().startswith(f"KAMs reviewed: {kams}")
    at = run_app(monkeypatch, demo_database, page="pages/review.py", params={"tv": "1", "slide": "1"})  # fmt: skip
    assert _screen_keys(at) == expected
    # One KAM chosen: the headcount follows the choice, as the slide's figures are scoped.
    first = figures.managers[0]
    at = run_app(monkeypatch, demo_database, page="pages/review.py", params={"tv": "1", "slide": "2", "manager": first.code})  # fmt: skip
    body = next(h.proto.body for h in at.get("html") if 'class="rv-slide"' in h.proto.body)
    assert 'data-count="7" data-key="headcount"' in body  # team, headcount, one KAM, four more
    assert "KAMs reviewed: 1" in body


# --- Layout rules shared by the screen and the PDF ---------------------------------------


def test_column_and_block_shares():
    # Without widths: the first column weighs 3, a text column 2, a number column 1.3.
    plain = layout.Table("", ("a", "b", "c"), (), ("l", "l", "r"))
    assert plain.column_shares == pytest.approx((3 / 6.3, 2 / 6.3, 1.3 / 6.3))
    sized = layout.Table("", ("a", "b", "c"), (), ("l", "r", "r"), widths=(2, 1, 1))
    assert sized.column_shares == (0.5, 0.25, 0.25)
    assert sized.toned_column == 2  # the last, by default
    toned = layout.Table("", ("a",), (("x",), ("y",)), ("l",), tones=("good",))
    assert list(toned.body()) == [(("x",), "good"), (("y",), "")]
    assert layout.Row(((sized, 3), (plain, 1))).shares == (0.75, 0.25)


@needs_pdftotext
def test_screen_and_pack_place_columns_by_the_same_shares(monkeypatch, tmp_path):
    table = layout.Table(
        "", ("Alpha", "Beta", "Gamma"), (("a1", "b1", "c1"),), ("l", "l", "l"), widths=(2, 1, 1)
    )
    view = layout.SlideView("probe", "Probe", "", rows=(layout.Row(((table, 1),)),))
    monkeypatch.setattr(
        registry, "SLIDES", (registry.SlideKind("probe", headcount, lambda week, _: view),)
    )
    one = registry.Review(WEEK, None, (registry.Slide("probe"),), {"probe": None})

    page = review_slides.slide_html(view, 1, 1)
    assert re.findall(r'<col style="width:([\d.]+)%">', page) == ["50.0", "25.0", "25.0"]

    path = tmp_path / "probe.pdf"
    path.write_bytes(review_pack.build(one))
    words = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout  # fmt: skip
    left = {w: float(x) for x, w in re.findall(r'xMin="([\d.]+)"[^>]*>(\w+)</word>', words)}
    # The table spans the page between 10 mm margins; a cell's text starts 1 mm in.
    width = PAGE_W_PT - 20 * MM
    for word, share_before in (("Alpha", 0), ("Beta", 0.5), ("Gamma", 0.75)):
        assert left[word] == pytest.approx(10 * MM + width * share_before + MM, abs=1), word


def test_a_long_name_widens_its_column_when_numbers_have_room():
    # Manager (default 3) and two number columns (1.3): "Dmitry Kuznetsov" is 16 characters,
    # + 1 = 17, / 4 = 4.25 units; "RUB 1.8m" + 1 = 9 / 4 = 2.25; "96%" stays at 1.3.
    names = layout.Table(
        "", ("Manager", "Revenue", "Of plan"),
        (("Dmitry Kuznetsov", "RUB 1.8m", "96%"), ("Olga Popova", "RUB 2.1m", "8%")),
        ("l", "r", "r"),
    )  # fmt: skip
    total = 4.25 + 2.25 + 2.0  # "Of plan" + 1 = 8 / 4 = 2
    assert names.column_shares == pytest.approx((4.25 / total, 2.25 / total, 2.0 / total))
