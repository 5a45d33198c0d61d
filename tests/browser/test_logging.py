"""Quick logging in a real browser: dialogs, double clicks, invalid input kept, conflicts."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from kam.core import clock, db
from kam.core.models import Claim, Client, Manager, Visit
from tests.browser.conftest import new_context, select_grid_row, wait_for_app

pytestmark = pytest.mark.browser
TODAY = clock.today()


def _a_client_of(url: str, manager_code: str = "K01") -> tuple[str, str]:
    with db.reading(db.engine(url)) as s:
        code, name = s.execute(
            select(Client.code, Client.name)
            .join(Manager, Manager.id == Client.manager_id)
            .where(Manager.code == manager_code, Client.status == "active")
            .order_by(Client.code)
        ).first()
    return code, name


def test_log_a_visit_from_client_360_double_click_saves_once(writable_server, page, artifacts):
    server, url = writable_server
    code, _ = _a_client_of(url)
    with db.reading(db.engine(url)) as s:
        before = s.execute(select(func.count()).select_from(Visit)).scalar_one()
    page.goto(f"{server.url}/client?client={code}&as=K01")
    wait_for_app(page)
    page.get_by_role("button", name="Log a contact").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    dialog.get_by_role("radio", name="Visit").click()
    dialog.get_by_label("Outcome").fill("Agreed the Christmas order «Ёлка» <b>big</b>")
    page.screenshot(path=str(artifacts / "log_dialog.png"))
    dialog.get_by_role("button", name="Save").dblclick()
    dialog.wait_for(state="detached")
    wait_for_app(page)
    with db.reading(db.engine(url)) as s:
        after = s.execute(select(func.count()).select_from(Visit)).scalar_one()
        outcome = s.execute(select(Visit.outcome).order_by(Visit.id.desc())).scalars().first()
    assert after == before + 1
    assert outcome == "Agreed the Christmas order «Ёлка» <b>big</b>"
    page.get_by_role("tab", name="Visits and calls").click()
    # Shown as typed, as inert text: the <b> is visible, not bold.
    expect(page.get_by_text("Agreed the Christmas order «Ёлка» <b>big</b>")).to_be_visible()


def test_invalid_claim_keeps_the_text_and_saves_once_fixed(writable_server, page, artifacts):
    server, url = writable_server
    code, _ = _a_client_of(url)
    page.goto(f"{server.url}/client?client={code}&as=K01")
    wait_for_app(page)
    page.get_by_role("button", name="Open a claim").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    dialog.get_by_label("What happened").fill("Two boxes of cheese arrived crushed")
    dialog.get_by_label("Amount").fill("-50")
    dialog.get_by_role("button", name="Open the claim").click()
    wait_for_app(page)
    expect(dialog.get_by_text("Not saved: please correct the marked fields.")).to_be_visible()
    assert (
        dialog.get_by_label("What happened").input_value() == "Two boxes of cheese arrived crushed"
    )
    page.screenshot(path=str(artifacts / "claim_invalid.png"))
    dialog.get_by_role("radio", name="Damage").click()
    dialog.get_by_label("Amount").fill("1 250,50")
    dialog.get_by_role("button", name="Open the claim").click()
    dialog.wait_for(state="detached")
    with db.reading(db.engine(url)) as s:
        saved = s.execute(
            select(Claim.kind, Claim.amount, Claim.description).order_by(Claim.id.desc())
        ).first()
    assert saved.kind == "damage" and str(saved.amount) == "1250.50"
    assert saved.description == "Two boxes of cheese arrived crushed"


def _an_open_claim(url: str) -> tuple[str, int]:
    """A client with exactly one claim, still open, and that claim's id."""
    from sqlalchemy import func as f

    with db.reading(db.engine(url)) as s:
        row = s.execute(
            select(Client.code, Manager.code, f.min(Claim.id))
            .join(Claim, Claim.client_id == Client.id)
            .join(Manager, Manager.id == Client.manager_id)
            .group_by(Client.code, Manager.code)
            .having(f.count() == 1, f.max(Claim.status) == "open")
        ).first()
    return row[0], row[1], row[2]


def _open_move_dialog(page, server, code: str, manager: str):
    page.goto(f"{server.url}/client?client={code}&as={manager}")
    wait_for_app(page)
    page.get_by_role("tab", name="Claims").click()
    grid = page.locator("[data-testid='stDataFrame']:visible").last
    grid.scroll_into_view_if_needed()
    select_grid_row(grid)
    wait_for_app(page)
    page.get_by_role("button", name="Move the selected claim…").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    return dialog


def _resolve(dialog, cause: str) -> None:
    dialog.get_by_role("radio", name="Resolved").click() if dialog.get_by_role(
        "radio", name="Resolved"
    ).count() else dialog.get_by_role("button", name="Resolved").click()
    dialog.get_by_label("Root cause").click()  # a list the head keeps, not free text
    dialog.page.get_by_role("option", name=cause).click()
    dialog.get_by_label("Resolution").fill("Credit note issued")
    dialog.get_by_text("Yes", exact=True).click()
    dialog.get_by_role("button", name="Save").click()


def test_two_people_closing_the_same_claim_second_gets_the_conflict(
    writable_server, browser, artifacts
):
    server, url = writable_server
    code, manager, claim_id = _an_open_claim(url)
    first = new_context(browser, 1440, 900).new_page()
    second = new_context(browser, 1440, 900).new_page()
    try:
        one = _open_move_dialog(first, server, code, manager)
        two = _open_move_dialog(second, server, code, manager)
        _resolve(one, "Warehouse picking error")
        one.wait_for(state="detached")
        _resolve(two, "Transport damage")
        wait_for_app(second)
        second.screenshot(path=str(artifacts / "claim_conflict.png"))
        expect(two.get_by_text("was changed by")).to_be_visible()
        expect(two.get_by_text("Saved meanwhile by someone else")).to_be_visible()
        second.screenshot(path=str(artifacts / "claim_conflict.png"))
    finally:
        first.context.close()
        second.context.close()
    with db.reading(db.engine(url)) as s:
        saved = s.get(Claim, claim_id)
        assert (saved.status, saved.root_cause_code, saved.version) == (
            "resolved",
            "picking_error",
            2,
        )


def test_logging_a_done_visit_from_my_desk_takes_three_actions(writable_server, page):
    server, url = writable_server
    with db.reading(db.engine(url)) as s:
        before = s.execute(select(func.count()).select_from(Visit)).scalar_one()
    page.goto(f"{server.url}/?as=K02")
    wait_for_app(page)
    actions = 0
    line = page.locator("[class*='st-key-attention_']").first
    code = (
        line.locator("a[data-testid='stPageLink-NavLink']").first.inner_text().rsplit(" · ", 1)[1]
    )
    with db.reading(db.engine(url)) as s:
        # A client with a contact planned up to today: logging completes it, adding no record.
        planned = s.execute(
            select(func.count()).select_from(Visit).join(Client)
            .where(Client.code == code, Visit.status == "planned", Visit.planned_for <= TODAY)
        ).scalar_one()  # fmt: skip
    line.locator("[class*='st-key-log_'] button").first.click()  # 1: the client is filled in
    actions += 1
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    dialog.get_by_role("radio", name="Visit").click()  # 2: the kind
    actions += 1
    dialog.get_by_role("button", name="Save").click()  # 3: saved, dated today
    actions += 1
    dialog.wait_for(state="detached")
    with db.reading(db.engine(url)) as s:
        after = s.execute(select(func.count()).select_from(Visit)).scalar_one()
        today_done = s.execute(
            select(Visit.kind).join(Client)
            .where(Client.code == code, Visit.status == "done", Visit.done_at == TODAY)
        ).scalars().all()  # fmt: skip
    assert actions == 3
    assert after == before + (0 if planned else 1)
    assert today_done == ["visit"]
