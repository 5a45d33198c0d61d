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


def test_the_desk_draws_a_sections_folded_lines_only_when_asked(monkeypatch, demo_database):
    """Six lines a section; "N more" draws the next fourteen (SHOWN, FOLDED), "Fewer" folds
    them again: lines behind a closed fold cost a warm desk their drawing time."""
    at = run_app(monkeypatch, demo_database, page="pages/desk.py")

    def lines(kind: str) -> int:
        return sum(1 for b in at.button if str(b.key).startswith(f"log_{kind}_"))

    heading = next(m.value for m in at.markdown if "**Overdue debt** · " in m.value)
    total = int(heading.rsplit("· ", 1)[1])
    assert total > 20  # the demo's head sees more overdue clients than both folds hold
    assert lines("overdue") == 6
    more = at.button(key="attention_open_overdue_more")
    assert more.label == f"{total - 6} more"
    more.click().run()
    assert lines("overdue") == 20
    at.button(key="attention_open_overdue_fewer").click().run()
    assert lines("overdue") == 6
    assert not at.exception
