"""Every page runs in AppTest on the demo data, and shows the figures of the kam functions."""

from __future__ import annotations

from kam import plans
from kam.core import access, clock, db, periods
from kam.core import formatting as fmt
from kam.core.team import is_team
from tests.apptest import run_app


def test_desk_shows_the_team_plan_tiles(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page="pages/desk.py")
    today = clock.today()
    with db.reading(db.engine(demo_database)) as s:
        card = plans.scorecard(s, viewer=access.SYSTEM, period=periods.month_of(today), as_of=today)
    team = card[is_team(card)].set_index("metric")
    values = {m.label: m.value for m in at.metric}
    assert values["Revenue"] == fmt.money_short(team.loc["revenue", "fact"])
    assert values["Active clients"] == fmt.number(team.loc["active_clients", "fact"])
    assert values["New clients"] == fmt.number(team.loc["new_clients", "fact"])


def test_an_unreachable_database_gets_a_short_message(monkeypatch):
    # Nothing listens on port 9 of loopback: the connection is refused at once.
    at = run_app(monkeypatch, "postgresql://postgres@127.0.0.1:9/kam")
    assert [e.value for e in at.error] == [
        "The database cannot be reached. Try again in a minute; if it persists, tell your administrator."
    ]
    assert not at.exception
