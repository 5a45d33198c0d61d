"""On a phone (390×844, touch): tap targets of 44 px, Save in sight in the dialogs, the number
keyboard, Client 360 without sideways scrolling, and the three daily flows counted in taps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from kam.core import db
from kam.core.models import Claim, Client, Competitor, CompetitorNote, Contact, Manager, Visit
from tests.browser.conftest import full_page, new_context, wait_for_app

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 390, 844
THUMB = 44  # px, the smallest tap target


@pytest.fixture
def phone(browser) -> Iterator[Page]:
    context = new_context(browser, WIDTH, HEIGHT, has_touch=True, is_mobile=True)
    pg = context.new_page()
    yield pg
    context.close()


class Taps:
    """Every tap the test makes, counted: typing is not a tap, choosing from a list is."""

    def __init__(self, page: Page) -> None:
        self.page, self.count = page, 0

    def __call__(self, target: Locator) -> None:
        target.tap()
        self.count += 1
        wait_for_app(self.page)


def _small_targets(page: Page, scope: str) -> list[str]:
    """The visible buttons and link buttons in ``scope`` under 44 px tall, or under 44 px wide
    without a visible label."""
    return page.evaluate(
        """([scope, thumb]) => [...document.querySelectorAll(
              `${scope} button, ${scope} a[data-testid^='stBaseLinkButton']`)]
            .filter((b) => b.offsetParent !== null && b.getBoundingClientRect().width > 0)
            .filter((b) => !b.closest('[data-testid="stElementToolbar"]'))
            .filter((b) => { const r = b.getBoundingClientRect();
                return r.height < thumb - 0.5 || (r.width < thumb - 0.5 && !b.innerText.trim()); })
            .map((b) => `${b.getAttribute('aria-label') || b.innerText.trim() || b.outerHTML.slice(0, 80)}`
                + ` ${Math.round(b.getBoundingClientRect().width)}x${Math.round(b.getBoundingClientRect().height)}`)""",
        [scope, THUMB],
    )


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    main = page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth")
    assert width <= WIDTH + 1 and main <= WIDTH + 1, (width, main)


def _in_view(target: Locator) -> None:
    box = target.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box


def _client_with_contacts(url: str) -> str:
    with db.reading(db.engine(url)) as s:
        return s.execute(
            select(Client.code).join(Manager, Manager.id == Client.manager_id)
            .join(Contact, Contact.client_id == Client.id)
            .where(Manager.code == "K01", Contact.phone.is_not(None), Contact.email.is_not(None))
            .order_by(Client.code)
        ).scalars().first()  # fmt: skip


def _first_line(page: Page) -> tuple[Locator, str]:
    """The first line of the desk's attention list and its client code."""
    line = page.locator("[class*='st-key-attention_'] [data-testid='stHorizontalBlock']").first
    text = line.get_by_test_id("stPageLink-NavLink").inner_text()
    return line, text.rsplit("·", 1)[1].strip()


def test_tap_targets_on_the_desk(writable_server, phone, artifacts):
    server, _ = writable_server
    phone.goto(f"{server.url}/?as=K01")
    wait_for_app(phone)
    full_page(phone, artifacts / "phone_desk.png")
    assert _small_targets(phone, "[data-testid='stMain']") == []
    _no_sideways_scroll(phone)
    # The log icon sits on the line of its client, not alone on a row below the text.
    line, _ = _first_line(phone)
    link = line.get_by_test_id("stPageLink-NavLink").bounding_box()
    icon = line.get_by_role("button").bounding_box()
    middle = icon["y"] + icon["height"] / 2
    assert link["y"] <= middle <= link["y"] + link["height"] + 8, (link, icon)
    assert icon["width"] >= THUMB and icon["height"] >= THUMB


def test_client_360_on_a_phone(writable_server, phone, artifacts):
    server, url = writable_server
    code = _client_with_contacts(url)
    phone.goto(f"{server.url}/client?client={code}&as=K01")
    wait_for_app(phone)
    assert _small_targets(phone, "[data-testid='stMain']") == []
    _no_sideways_scroll(phone)
    # Every tab fits the width: Contacts is reached without sliding the row of tabs.
    for tab in phone.get_by_role("tab").all():
        box = tab.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (tab.inner_text(), box)
    phone.get_by_role("tab", name="Contacts").tap()
    wait_for_app(phone)
    panel = phone.get_by_role("tabpanel").filter(has=phone.locator("a[href^='tel:']"))
    expect(panel.locator("a[href^='tel:']").first).to_be_visible()
    expect(panel.locator("a[href^='mailto:']").first).to_be_visible()
    assert _small_targets(phone, "[data-testid='stMain']") == []
    _no_sideways_scroll(phone)
    full_page(phone, artifacts / "phone_client_contacts.png")


@pytest.mark.parametrize(
    ("opener", "save", "numeric"),
    [
        ("Log a contact", "Save", []),
        ("Open a claim", "Open the claim", ["Quantity", "Amount"]),
        ("Competitor note", "Save", ["Their price", "Our price"]),
    ],
)
def test_dialogs_on_a_phone(writable_server, phone, artifacts, opener, save, numeric):
    server, url = writable_server
    code = _client_with_contacts(url)
    phone.goto(f"{server.url}/client?client={code}&as=K01")
    wait_for_app(phone)
    phone.get_by_role("button", name=opener).tap()
    dialog = phone.get_by_role("dialog")
    dialog.wait_for()
    wait_for_app(phone)
    phone.screenshot(path=str(artifacts / f"phone_dialog_{opener.split()[-1].lower()}.png"))
    _in_view(dialog.get_by_role("button", name=save))
    assert _small_targets(phone, "[role='dialog']") == []
    for label in numeric:
        field = dialog.get_by_label(label, exact=False).first
        assert field.get_attribute("inputmode") == "decimal", label


OUTCOME = "Agreed a trial pallet «Весна» <b>now</b>"
STEP = "Send the price list *today*"
SHORTAGE = "Two boxes short on the delivery note #77"
SEEN = "Their promo price on the shelf $5"


def test_a_visit_and_a_claim_in_six_taps_each(writable_server, phone, artifacts):
    server, url = writable_server
    phone.goto(f"{server.url}/?as=K01")
    wait_for_app(phone)

    # A done visit with its outcome and next step: the line's log icon, Visit, Save.
    tap = Taps(phone)
    line, code = _first_line(phone)
    tap(line.get_by_role("button"))
    dialog = phone.get_by_role("dialog")
    tap(dialog.get_by_role("radio", name="Visit"))
    dialog.get_by_label("Outcome").fill(OUTCOME)
    dialog.get_by_label("Next step").fill(STEP)
    tap(dialog.get_by_role("button", name="Save"))
    dialog.wait_for(state="detached")
    assert tap.count <= 6
    visits = _rows(url, select(Visit.kind, Visit.status).where(Visit.outcome == OUTCOME))
    assert visits == [("visit", "done")]

    # A shortage claim: the client, Open a claim, Shortage, Open the claim.
    phone.goto(f"{server.url}/?as=K01")
    wait_for_app(phone)
    tap = Taps(phone)
    line, code2 = _first_line(phone)
    tap(line.get_by_test_id("stPageLink-NavLink"))
    tap(phone.get_by_role("button", name="Open a claim"))
    dialog = phone.get_by_role("dialog")
    tap(dialog.get_by_role("radio", name="Shortage"))
    dialog.get_by_label("Amount").fill("1 234,50")
    dialog.get_by_label("What happened").fill(SHORTAGE)
    tap(dialog.get_by_role("button", name="Open the claim"))
    dialog.wait_for(state="detached")
    assert tap.count <= 6
    assert _rows(url, select(Claim.kind).where(Claim.description == SHORTAGE)) == [("shortage",)]

    # Each record once, where it belongs.
    phone.goto(f"{server.url}/client?client={code}&as=K01")
    wait_for_app(phone)
    phone.get_by_role("tab", name="Visits and calls").tap()
    expect(phone.get_by_text(OUTCOME, exact=True)).to_have_count(1)
    expect(phone.get_by_text(STEP, exact=False)).to_have_count(1)
    full_page(phone, artifacts / "phone_flow_client_visit.png")
    phone.goto(f"{server.url}/week?as=K01")
    wait_for_app(phone)
    expect(phone.get_by_text(OUTCOME, exact=True)).to_have_count(1)
    full_page(phone, artifacts / "phone_flow_week.png")
    phone.goto(f"{server.url}/client?client={code2}&as=K01")
    wait_for_app(phone)
    phone.get_by_role("tab", name="Claims").tap()
    wait_for_app(phone)
    # Not yet checked here: the claim's row in the claims grids (drawn on a canvas).
    phone.goto(f"{server.url}/claims?as=K01")
    wait_for_app(phone)
    # Not yet checked here: the claim's row in the claims grids (drawn on a canvas).
    full_page(phone, artifacts / "phone_flow_claims.png")


def test_a_competitor_price_in_six_taps(writable_server, phone, artifacts):
    server, url = writable_server
    # The client, Competitor note, the most noted competitor (one tap on its pill), what it is
    # about (tap, type, pick), Save.
    phone.goto(f"{server.url}/?as=K01")
    wait_for_app(phone)
    tap = Taps(phone)
    line, code = _first_line(phone)
    tap(line.get_by_test_id("stPageLink-NavLink"))
    tap(phone.get_by_role("button", name="Competitor note"))
    dialog = phone.get_by_role("dialog")
    competitor_id, competitor = _the_most_noted_competitor(url)
    tap(dialog.get_by_role("radio", name=competitor, exact=True))
    about = dialog.get_by_label("Category or product")
    tap(about)
    about.press_sequentially("Dairy")
    tap(phone.get_by_role("option").first)
    dialog.get_by_label("Their price").fill("95")
    dialog.get_by_label("Our price").fill("100")
    dialog.get_by_label("What you saw or heard").fill(SEEN)
    phone.screenshot(path=str(artifacts / "phone_flow_note_dialog.png"))
    tap(dialog.get_by_role("button", name="Save"))
    dialog.wait_for(state="detached")
    taps = tap.count
    assert _rows(url, select(CompetitorNote.competitor_id).where(CompetitorNote.text == SEEN)) == [
        (competitor_id,)
    ]

    phone.goto(f"{server.url}/client?client={code}&as=K01")
    wait_for_app(phone)
    phone.get_by_role("tab", name="Competitors").tap()
    wait_for_app(phone)
    expect(phone.get_by_text(SEEN, exact=True)).to_have_count(1)
    phone.goto(f"{server.url}/competitors?as=K01")
    wait_for_app(phone)
    expect(phone.get_by_text(SEEN, exact=True)).to_have_count(1)
    full_page(phone, artifacts / "phone_flow_competitors.png")
    assert taps <= 6


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
