"""The three daily flows (a done visit, a shortage claim, a competitor price) from My desk, at
1440×900 with a mouse and at 390×844 with a thumb: each counted in clicks or taps, and each
record then found once in Client 360, the Weekly plan, Claims, Competitors and the review."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from kam.core import clock, db
from kam.core.models import Claim, Client, Competitor, CompetitorNote, Visit
from tests.browser.conftest import full_page, grid_rows, new_context, wait_for_app

pytestmark = pytest.mark.browser

DEVICES = {
    "desktop": {"width": 1440, "height": 900},
    "phone": {"width": 390, "height": 844, "has_touch": True, "is_mobile": True},
}


@pytest.fixture(params=list(DEVICES))
def device(request, browser) -> Iterator[tuple[str, Page]]:
    context = new_context(browser, **DEVICES[request.param])
    yield request.param, context.new_page()
    context.close()


class Taps:
    """Every tap or click the test makes, counted: typing is not one, choosing from a list is."""

    def __init__(self, page: Page, touch: bool) -> None:
        self.page, self.touch, self.count = page, touch, 0

    def __call__(self, target: Locator) -> None:
        target.tap() if self.touch else target.click()
        self.count += 1
        wait_for_app(self.page)


def _first_line(page: Page) -> tuple[Locator, str]:
    """The first line of the desk's attention list and its client code."""
    line = page.locator("[class*='st-key-attention_'] [data-testid='stHorizontalBlock']").first
    text = line.get_by_test_id("stPageLink-NavLink").inner_text()
    return line, text.rsplit("·", 1)[1].strip()


def _on_client_360(page: Page, code: str) -> None:
    """Wait until the tapped link has opened the client's page: My desk has buttons of the same
    names (without a client), and on a busy machine the app may settle before the link goes."""
    page.wait_for_url(re.compile(rf"/client\?.*client={code}"))
    wait_for_app(page)


def _open(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


def _tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_for_app(page)


def _review_slide(page: Page, base: str, key: str) -> Locator:
    """K01's review open on the slide of ``key`` (the slides are numbered in meeting order)."""
    count, number = 1, 1
    while number <= count:
        _open(page, f"{base}/review?as=K01&slide={number}")
        # The slide is drawn by a fragment of its own, after the rest of the page.
        slide = page.locator(f".rv-slide[data-slide='{number}']")
        slide.wait_for(state="attached", timeout=60_000)
        count = int(slide.get_attribute("data-count"))
        if slide.get_attribute("data-key") == key:
            return slide
        number += 1
    raise AssertionError(f"no review slide {key!r}")


def _tile(slide: Locator, label: str) -> int:
    """The whole number a review tile shows under its label."""
    tile = slide.locator(".rv-tile").filter(has=slide.page.locator(".rv-label", has_text=label))
    return int(re.sub(r"\D", "", tile.locator(".rv-key").inner_text()))


def _notes_of(slide: Locator, competitor: str) -> int:
    """The Notes column of the market slide's row of ``competitor`` (0 when it has none)."""
    rows = slide.locator("tr").filter(has=slide.page.locator("td", has_text=competitor))
    if rows.count() == 0:
        return 0
    return int(rows.first.locator("td").nth(1).inner_text())


def _review_counts(page: Page, base: str, competitor: str) -> dict[str, int]:
    mine = _review_slide(page, base, "manager-K01")
    counts = {"contacts": _tile(mine, "Contacts this week")}
    counts["claims"] = _tile(_review_slide(page, base, "changes"), "Claims opened")
    counts["notes"] = _notes_of(_review_slide(page, base, "market"), competitor)
    return counts


def _claims_of_today(where: Locator, code: str | None = None) -> list[dict[str, str]]:
    """The rows of the first claims grid in ``where`` opened today (of ``code`` on the Claims
    page, where the grid lists every client's)."""
    today = clock.today().isoformat()
    rows = grid_rows(where.get_by_test_id("stDataFrame").first)
    return [
        r for r in rows
        if r.get("Opened") == today and (code is None or r.get("Client", "").endswith(f"client={code}"))
    ]  # fmt: skip


def _the_most_noted_competitor(url: str) -> tuple[int, str]:
    with db.reading(db.engine(url)) as s:
        notes: dict[int, int] = {}
        for (cid,) in s.execute(select(CompetitorNote.competitor_id)):
            if cid is not None:
                notes[cid] = notes.get(cid, 0) + 1
        names = dict(s.execute(select(Competitor.id, Competitor.name)).all())
    best = min(notes, key=lambda cid: (-notes[cid], names[cid]))
    return best, names[best]


def _rows(url: str, query) -> list[tuple]:  # noqa: ANN001
    with db.reading(db.engine(url)) as s:
        return [tuple(r) for r in s.execute(query)]


def _shot(page: Page, artifacts: Path, name: str) -> None:
    """A screenshot of the whole page; first, on a phone, nothing runs off its side."""
    width = page.viewport_size["width"]
    if width < 500:
        main = page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth")
        assert main <= width + 1, (name, main)
    full_page(page, artifacts / name)


def test_the_three_flows_land_once_everywhere(writable_server, device, artifacts):
    server, url = writable_server
    kind, page = device
    touch = kind == "phone"
    # What is typed carries markup and Cyrillic: it must come back as typed, once.
    outcome = f"Agreed a trial pallet «Весна» <b>now</b> ({kind})"
    step = f"Send the price list *today* ({kind})"
    shortage = f"Two boxes short on delivery note #77 ({kind})"
    seen = f"Their promo price on the shelf $5 ({kind})"
    amount = {"desktop": ("1 234,50", "1234.5"), "phone": ("2 345,50", "2345.5")}[kind]
    competitor_id, competitor = _the_most_noted_competitor(url)
    before = _review_counts(page, server.url, competitor)

    # A done visit with its outcome and next step: the line's log icon, Visit, Save.
    _open(page, f"{server.url}/?as=K01")
    tap = Taps(page, touch)
    line, visited = _first_line(page)
    tap(line.get_by_role("button"))
    dialog = page.get_by_role("dialog")
    tap(dialog.get_by_role("radio", name="Visit"))
    dialog.get_by_label("Outcome").fill(outcome)
    dialog.get_by_label("Next step").fill(step)
    tap(dialog.get_by_role("button", name="Save"))
    dialog.wait_for(state="detached")
    assert tap.count == 3
    assert _rows(url, select(Visit.kind, Visit.status).where(Visit.outcome == outcome)) == [
        ("visit", "done")
    ]

    # A shortage claim: the client, Open a claim, Shortage, Open the claim.
    _open(page, f"{server.url}/?as=K01")
    tap = Taps(page, touch)
    line, claimed = _first_line(page)
    tap(line.get_by_test_id("stPageLink-NavLink"))
    _on_client_360(page, claimed)
    tap(page.get_by_role("button", name="Open a claim"))
    dialog = page.get_by_role("dialog")
    tap(dialog.get_by_role("radio", name="Shortage"))
    dialog.get_by_label("Amount").fill(amount[0])
    dialog.get_by_label("What happened").fill(shortage)
    tap(dialog.get_by_role("button", name="Open the claim"))
    dialog.wait_for(state="detached")
    assert tap.count == 4
    stored = _rows(url, select(Claim.kind, Claim.amount).where(Claim.description == shortage))
    assert stored == [("shortage", Decimal(amount[1]))]

    # A competitor price: the client, Competitor note, the most noted competitor's pill, what
    # it is about (the field, a typed word, the catalogue's category), Save.
    _open(page, f"{server.url}/?as=K01")
    tap = Taps(page, touch)
    line, noted = _first_line(page)
    tap(line.get_by_test_id("stPageLink-NavLink"))
    _on_client_360(page, noted)
    tap(page.get_by_role("button", name="Competitor note"))
    dialog = page.get_by_role("dialog")
    tap(dialog.get_by_role("radio", name=competitor, exact=True))
    about = dialog.get_by_label("Category or product")
    tap(about)
    about.press_sequentially("Dairy")
    tap(page.get_by_role("option").first)
    dialog.get_by_label("Their price").fill("95")
    dialog.get_by_label("Our price").fill("100")
    dialog.get_by_label("What you saw or heard").fill(seen)
    page.screenshot(path=str(artifacts / f"flow_{kind}_note_dialog.png"))
    tap(dialog.get_by_role("button", name="Save"))
    dialog.wait_for(state="detached")
    assert tap.count == 6
    notes = select(CompetitorNote.competitor_id, Client.code).join(
        Client, Client.id == CompetitorNote.client_id
    )
    assert _rows(url, notes.where(CompetitorNote.text == seen)) == [(competitor_id, noted)]

    # Client 360: the visit, the claim and the note, once each, as typed.
    _open(page, f"{server.url}/client?client={visited}&as=K01")
    _tab(page, "Visits and calls")
    expect(page.get_by_text(outcome, exact=True)).to_have_count(1)
    expect(page.get_by_text(step, exact=False)).to_have_count(1)
    _shot(page, artifacts, f"flow_{kind}_client_visit.png")
    _open(page, f"{server.url}/client?client={claimed}&as=K01")
    _tab(page, "Claims")
    mine = [
        r
        for r in _claims_of_today(page.get_by_role("tabpanel"))
        if r.get("What happened") == shortage
    ]
    assert [(r["Kind"], r["Amount"]) for r in mine] == [("Shortage", amount[1])], mine
    _shot(page, artifacts, f"flow_{kind}_client_claim.png")
    _open(page, f"{server.url}/client?client={noted}&as=K01")
    _tab(page, "Competitors")
    expect(page.get_by_text(seen, exact=True)).to_have_count(1)

    # The Weekly plan: the visit, once, done today.
    _open(page, f"{server.url}/week?as=K01")
    expect(page.get_by_text(outcome, exact=True)).to_have_count(1)
    _shot(page, artifacts, f"flow_{kind}_week.png")

    # Claims: one row opened today for the client with the amount typed.
    _open(page, f"{server.url}/claims?as=K01")
    mine = [
        r for r in _claims_of_today(page.locator("body"), claimed) if r.get("Amount") == amount[1]
    ]
    assert [r["Kind"] for r in mine] == ["Shortage"], mine
    _shot(page, artifacts, f"flow_{kind}_claims.png")

    # Competitors: the note, once.
    _open(page, f"{server.url}/competitors?as=K01")
    expect(page.get_by_text(seen, exact=True)).to_have_count(1)
    _shot(page, artifacts, f"flow_{kind}_competitors.png")

    # The review counts each once more than before.
    after = _review_counts(page, server.url, competitor)
    assert after == {name: count + 1 for name, count in before.items()}, (before, after)
    _shot(page, artifacts, f"flow_{kind}_review_market.png")
