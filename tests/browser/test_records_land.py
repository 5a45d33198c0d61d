"""A contact logged from My desk for a planned contact completes that plan: in a real browser at
1440×900 it then shows once, as done, in the Weekly plan and once in Client 360."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from kam import demo
from kam.core import audit, clock, db, migrate
from kam.core.models import Client, Manager, Visit
from tests.browser.conftest import full_page, wait_for_app
from tests.server import StreamlitServer

pytestmark = pytest.mark.browser
TODAY = clock.today()
OUTCOME = "Agreed the spring assortment «Весна» <i>now</i>"


@pytest.fixture(scope="module")
def land_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StreamlitServer, str]]:
    """A server of this module's own on a fresh small demo database (the test writes)."""
    path = tmp_path_factory.mktemp("records-land") / "demo.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(db.engine(url))
    with db.writing(db.engine(url)) as s:
        demo.load(s, today=TODAY, lines=20_000)
    srv = StreamlitServer(url, path.parent / "streamlit.log")
    yield srv, url
    srv.stop()
    db.engine(url).dispose()


def _plan_an_overdue_meeting(url: str) -> tuple[int, str, str]:
    """A meeting planned 10 days ago with K01's first client that has no open plan: the desk
    lists it first (the oldest planned contact), overdue."""
    with db.writing(db.engine(url)) as s:
        busy = select(Visit.client_id).where(Visit.status == "planned")
        client_id, code, name, manager_id = s.execute(
            select(Client.id, Client.code, Client.name, Manager.id)
            .join(Manager, Manager.id == Client.manager_id)
            .where(Manager.code == "K01", Client.status == "active", Client.id.not_in(busy))
            .order_by(Client.code)
        ).first()
        row = Visit(client_id=client_id, manager_id=manager_id, kind="meeting", status="planned",
                    planned_for=TODAY - dt.timedelta(days=10))  # fmt: skip
        s.add(row)
        s.flush()
        audit.record(s, actor=audit.SYSTEM, entity="visit", entity_id=row.id, action="plan")
        return row.id, code, name


def _visits_of(url: str, code: str) -> list[tuple[int, str]]:
    with db.reading(db.engine(url)) as s:
        rows = s.execute(
            select(Visit.id, Visit.status)
            .join(Client, Client.id == Visit.client_id)
            .where(Client.code == code, func.coalesce(Visit.done_at, Visit.planned_for) >= TODAY
                   - dt.timedelta(days=10))
            .order_by(Visit.id)
        ).all()  # fmt: skip
    return [tuple(r) for r in rows]


def test_logging_from_the_desk_completes_the_planned_contact(land_server, page, artifacts):
    server, url = land_server
    visit_id, code, name = _plan_an_overdue_meeting(url)
    before = _visits_of(url, code)
    assert before == [(visit_id, "planned")]

    page.goto(f"{server.url}/?as=K01")
    wait_for_app(page)
    planned = page.locator(".st-key-attention_planned")
    line = planned.locator("[data-testid='stHorizontalBlock']").filter(has_text=f"{name} · {code}")
    line.first.get_by_role("button").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    wait_for_app(page)
    offer = dialog.get_by_role("checkbox", name="Complete the Meeting planned for")
    expect(offer).to_be_checked()
    dialog.get_by_label("Outcome").fill(OUTCOME)
    page.screenshot(path=str(artifacts / "records_land_desk_dialog.png"))
    dialog.get_by_role("button", name="Save").click()
    dialog.wait_for(state="detached")
    wait_for_app(page)

    # One record, the plan itself, now done with what was typed and the planned kind.
    assert _visits_of(url, code) == [(visit_id, "done")]
    with db.reading(db.engine(url)) as s:
        saved = s.get(Visit, visit_id)
        assert (saved.kind, saved.done_at, saved.outcome) == ("meeting", TODAY, OUTCOME)

    # The Weekly plan shows it once, as done, on today.
    page.goto(f"{server.url}/week?as=K01")
    wait_for_app(page)
    card = page.locator(f".st-key-visit_{visit_id}")
    expect(card).to_have_count(1)
    assert "Done" in card.inner_text() and "Planned" not in card.inner_text()
    expect(page.get_by_text(OUTCOME)).to_have_count(1)
    full_page(page, artifacts / "records_land_week.png")

    # Client 360 lists it once among the visits and calls.
    page.goto(f"{server.url}/client?client={code}&as=K01")
    wait_for_app(page)
    page.get_by_role("tab", name="Visits and calls").click()
    expect(page.get_by_text(OUTCOME)).to_have_count(1)
    full_page(page, artifacts / "records_land_client.png")
