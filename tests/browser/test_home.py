"""The real server on the demo database: the home page shows this month's figures."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kam import plans
from kam.core import access, clock, db, periods
from kam.core import formatting as fmt
from kam.core.team import is_team
from tests.browser.conftest import expect_no_exception, wait_for_app

pytestmark = pytest.mark.browser


def test_home_shows_this_months_figures(server, demo_database, page, artifacts):
    today = clock.today()
    with db.reading(db.engine(demo_database)) as s:
        card = plans.scorecard(s, viewer=access.SYSTEM, period=periods.month_of(today), as_of=today)
    team = card[is_team(card)].set_index("metric")
    revenue = fmt.money_short(team.loc["revenue", "fact"])
    active = fmt.number(team.loc["active_clients", "fact"])

    page.goto(server.url)
    wait_for_app(page)
    metrics = page.locator("[data-testid='stMetric']")
    expect(metrics).to_have_count(3)
    assert "Revenue" in metrics.nth(0).inner_text()
    # The browser turns the non-breaking space after the currency code into a plain one.
    assert revenue.replace("\xa0", " ") in metrics.nth(0).inner_text().replace("\xa0", " ")
    assert active in metrics.nth(1).inner_text()
    expect_no_exception(page)
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)
