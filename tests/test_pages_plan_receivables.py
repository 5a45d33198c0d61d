"""Plan fulfilment and Receivables in AppTest on the demo data: no exception, the figures of
the kam functions, and filters that go to the URL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kam import plans, receivables
from kam.core import access, clock, db, periods
from kam.core import formatting as fmt
from kam.core.team import is_team
from tests.apptest import run_app

TODAY = clock.today()


@pytest.fixture(scope="module")
def kam_values(demo_database):
    """The figures the pages must show, straight from the kam functions."""
    with db.reading(db.engine(demo_database)) as s:
        card = plans.scorecard(s, viewer=access.SYSTEM, period=periods.month_of(TODAY), as_of=TODAY)
        owed = receivables.client_receivables(s, viewer=access.SYSTEM, as_of=TODAY)
    return card, owed


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_plan_page_shows_the_team_scorecard(monkeypatch, demo_database, kam_values):
    card, _ = kam_values
    at = run_app(monkeypatch, demo_database, page="pages/plan.py")
    team = card[is_team(card)].set_index("metric")
    shown = metrics(at)
    assert shown["Revenue"] == fmt.money_short(team.loc["revenue", "fact"])
    assert shown["Active clients"] == fmt.number(team.loc["active_clients", "fact"])
    assert shown["New clients"] == fmt.number(team.loc["new_clients", "fact"])
    # The revenue table holds the scorecard's figures, the team row last.
    table = at.dataframe[0].value
    assert table["fact"].iloc[-1] == team.loc["revenue", "fact"]
    assert (
        table["fact"].iloc[:-1].tolist()
        == card[(card["metric"] == "revenue") & ~is_team(card)]["fact"].tolist()
    )


def test_plan_period_goes_to_the_url(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page="pages/plan.py")
    last_month = plans.recent_periods("month", TODAY, 2)[1]
    at.selectbox(key="period_month").select(last_month).run()
    assert not at.exception
    assert at.query_params["period"] == last_month.code
    caption = at.caption[0].value
    assert fmt.date(last_month.end) in caption  # a past month is seen at its last day


def test_plan_manager_in_the_url_shows_the_clients_behind(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page="pages/plan.py", params={"manager": "K01"})
    with db.reading(db.engine(demo_database)) as s:
        card = plans.scorecard(s, viewer=access.SYSTEM, period=periods.month_of(TODAY), as_of=TODAY)
        k01 = int(card.loc[card["manager_code"] == "K01", "manager_id"].iloc[0])
        behind = plans.clients_behind(
            s, viewer=access.SYSTEM, period=periods.month_of(TODAY), as_of=TODAY, manager_id=k01
        )
    assert any("Clients behind the figures" in m.value for m in at.markdown)
    clients = next(d.value for d in at.dataframe if "revenue" in d.value.columns)
    assert clients["client_code"].str.endswith(tuple(behind["client_code"])).all()
    assert clients["revenue"].tolist() == behind["revenue"].tolist()
    # The same manager's revenue fact is the sum of the clients behind it.
    fact = card[(card["manager_code"] == "K01") & (card["metric"] == "revenue")]["fact"].iloc[0]
    assert sum(behind["revenue"], Decimal(0)) == fact


def test_plan_page_for_a_kam(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page="pages/plan.py", viewer="K02")
    who = at.dataframe[0].value["who"].tolist()
    assert len(who) == 2 and who[1] == "Team"  # the KAM's own row, then the team's totals
    assert any("Clients behind the figures" in m.value for m in at.markdown)


def test_receivables_page_shows_the_company_totals(monkeypatch, demo_database, kam_values):
    _, owed = kam_values
    at = run_app(monkeypatch, demo_database, page="pages/receivables.py")
    overdue = sum(owed["overdue"], Decimal(0))
    shown = metrics(at)
    assert shown["Overdue"] == fmt.money_short(overdue)
    assert shown["Outstanding"] == fmt.money_short(sum(owed["outstanding"], Decimal(0)))
    assert shown["Clients over limit"] == fmt.number(int(owed["over_limit"].sum()))
    by_manager = at.dataframe[0].value
    assert by_manager["overdue"].iloc[-1] == overdue  # the company row
    # The grid lists the largest overdue first; the toggle shows every client with debt.
    top = at.dataframe[-1].value
    assert top["overdue"].tolist() == sorted(owed["overdue"], reverse=True)[: len(top)]
    at.toggle(key="all").set_value(True).run()
    assert len(at.dataframe[-1].value) == len(owed)


def test_receivables_filters_go_to_the_url(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page="pages/receivables.py")
    at.selectbox(key="url_manager").select("K03").run()
    assert not at.exception
    assert at.query_params["manager"] == "K03"
    day = TODAY - dt.timedelta(days=40)
    at.date_input(key="url_as_of").set_value(day).run()
    assert not at.exception
    assert at.query_params["as_of"] == day.isoformat()
    with db.reading(db.engine(demo_database)) as s:
        owed = receivables.client_receivables(s, viewer=access.SYSTEM, as_of=day)
    k03 = owed[owed["manager_code"] == "K03"]
    assert metrics(at)["Overdue"] == fmt.money_short(sum(k03["overdue"], Decimal(0)))
    assert set(at.dataframe[-1].value["manager_code"]) == {"K03"}


def test_receivables_page_for_a_kam(monkeypatch, demo_database):
    at = run_app(monkeypatch, demo_database, page="pages/receivables.py", viewer="K05")
    assert not [s for s in at.selectbox if s.key == "url_manager"]
    assert set(at.dataframe[-1].value["manager_code"]) == {"K05"}


def test_every_receivables_table_of_clients_names_them_beside_the_code(monkeypatch, demo_database):
    from sqlalchemy import select

    from kam.core.models import Client

    with db.reading(db.engine(demo_database)) as s:
        names = dict(s.execute(select(Client.code, Client.name)).all())
    at = run_app(monkeypatch, demo_database, page="pages/receivables.py")
    listed = [d.value for d in at.dataframe if "client_code" in d.value.columns]
    assert len(listed) == 2  # over the credit limit, and ageing per client
    for table in listed:
        columns = list(table.columns)
        assert columns.index("client_name") == columns.index("client_code") + 1
        # The code column is a link to Client 360: its text is what follows "client=".
        codes = [link.rsplit("client=", 1)[1] for link in table["client_code"]]
        assert codes and [names[c] for c in codes] == list(table["client_name"])
