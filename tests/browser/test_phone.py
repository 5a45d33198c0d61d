"""On a phone (390×844, touch): tap targets of 44 px, Save in sight in the dialogs, the number
keyboard and Client 360 without sideways scrolling (the three daily flows, counted in taps, are
in test_flows.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from kam.core import db
from kam.core.models import Client, Contact, Manager
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
