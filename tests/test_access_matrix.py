"""Who sees what: every role on every page, with URL tampering, delegation windows and a
deactivated manager. One small database for the module; the pages run in AppTest (open mode).

A client leaks when its code shows anywhere on the page — a table, a chart's data, a picker's
options, a link — so each page's whole element tree is searched for the codes (client names
contain their codes, and each client's sales amount is unique too)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import streamlit as st
from sqlalchemy import select

from kam import reports
from kam.core import access, clock, db, migrate, periods
from kam.core import formatting as fmt
from kam.core.models import Claim, Client, Competitor, CompetitorNote, Delegation, Manager, Visit
from kam.ui import tables
from tests import factories as f
from tests.apptest import run_app

TODAY = clock.today()
MONTH_START = TODAY.replace(day=1)
# Client code → (its manager, its sales this month: a unique figure to look for).
CLIENTS = {
    "CK1A": ("K1", 11_111), "CK1B": ("K1", 12_121),
    "CK2A": ("K2", 21_212), "CK2B": ("K2", 22_222),
    "CK3A": ("K3", 33_333),  # K3 is deactivated: the client waits to be reassigned
    "CK4A": ("K4", 44_444),  # K4's portfolio goes to K1 from tomorrow: not yet
    "CK5A": ("K5", 55_555),  # K5's portfolio went to K1 until yesterday: no more
}  # fmt: skip
ALL = set(CLIENTS)
OWN = {m: {c for c, (owner, _) in CLIENTS.items() if owner == m} for m in ("K1", "K2", "K4")}
# K2's portfolio is K1's from the day before yesterday to the day after tomorrow.
SEES = {
    "K1": OWN["K1"] | OWN["K2"],
    "K2": OWN["K2"],
    "K4": OWN["K4"],
    "H1": ALL,
    "A1": ALL,
}
PAGES = [
    "pages/desk.py", "pages/clients.py", "pages/plan.py", "pages/week.py", "pages/plans_admin.py",
    "pages/receivables.py", "pages/claims.py", "pages/competitors.py", "pages/review.py",
]  # fmt: skip
HEAD_ONLY_PAGES = ["pages/users.py", "pages/audit.py", "pages/import_data.py"]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('access') / 'kam.db'}"
    eng = db.engine(url)
    migrate.upgrade(eng)
    day = dt.timedelta(days=1)
    with db.writing(eng) as s:
        people = {
            "H1": f.manager(s, "H1", role="head", name="Viktor Head"),
            "A1": f.manager(s, "A1", role="admin", name="Anna Admin"),
            "K1": f.manager(s, "K1", name="Irina", email="irina@example.com"),
            "K2": f.manager(s, "K2", name="Dmitry", email="dmitry@example.com"),
            "K3": f.manager(s, "K3", name="Kirill Gone", email="kirill@example.com"),
            "K4": f.manager(s, "K4", name="Olga"),
            "K5": f.manager(s, "K5", name="Pavel"),
        }
        rival = Competitor(name="FoodLine")
        s.add(rival)
        s.flush()
        for n, (code, (owner, amount)) in enumerate(CLIENTS.items(), start=1):
            client = f.client(s, code, people[owner], name=f"Shop {code}", segment="HoReCa",
                              credit_limit=f.D(1000))  # fmt: skip
            f.line(s, client, MONTH_START, amount)
            f.invoice(s, client, f"INV-{code}", (TODAY - 60 * day).isoformat(),
                      (TODAY - 30 * day).isoformat(), amount)  # fmt: skip
            s.add_all([
                Claim(client_id=client.id, manager_id=client.manager_id, opened_on=TODAY - 20 * day,
                      kind="damage", amount=f.D(100 + n), description=f"Broken boxes at {code}"),
                Visit(client_id=client.id, manager_id=client.manager_id, kind="call",
                      planned_for=TODAY, status="planned", notes=f"Call {code}"),
                CompetitorNote(noted_on=TODAY - day, author_id=client.manager_id,
                               client_id=client.id, competitor_id=rival.id, kind="price",
                               their_price=f.D(90), our_price=f.D(100), category="Dairy",
                               text=f"FoodLine cheaper at {code}"),
            ])  # fmt: skip
        for code in ("K1", "K2", "K4"):
            f.plan(s, people[code], MONTH_START.isoformat()[:7], "revenue", 50_000)
        s.add_all([
            Delegation(from_manager_id=people["K2"].id, to_manager_id=people["K1"].id,
                       starts_on=TODAY - 2 * day, ends_on=TODAY + 2 * day, reason="holiday"),
            Delegation(from_manager_id=people["K4"].id, to_manager_id=people["K1"].id,
                       starts_on=TODAY + day, ends_on=TODAY + 5 * day, reason="trip"),
            Delegation(from_manager_id=people["K5"].id, to_manager_id=people["K1"].id,
                       starts_on=TODAY - 6 * day, ends_on=TODAY - day, reason="illness"),
        ])  # fmt: skip
        people["K3"].active = False
        f.refresh(s)
    yield url
    eng.dispose()


def _nodes(node) -> Iterator:  # noqa: ANN001
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def page_bytes(at) -> bytes:  # noqa: ANN001
    """Everything the page sent to the browser: texts, tables, chart data, picker options."""
    # A link button carries the page's own URL back (?client=… as typed): not data.
    return b"".join(
        n.proto.SerializeToString()
        for n in _nodes(at._tree)
        if getattr(n, "proto", None) and type(n).__name__ != "LinkButton"
    )


def clients_on(at) -> set[str]:  # noqa: ANN001
    blob = page_bytes(at)
    return {code for code in CLIENTS if code.encode() in blob}


def figures_on(at) -> set[str]:  # noqa: ANN001
    """The clients whose unique sales figure shows on the page."""
    blob = page_bytes(at)
    return {c for c, (_, amount) in CLIENTS.items() if fmt.number(amount).encode() in blob}


def codes_in(text: str) -> set[str]:
    """The clients whose code or unique sales figure occurs in ``text`` (an export as CSV)."""
    return {c for c, (_, amount) in CLIENTS.items() if c in text or str(amount) in text}


@pytest.fixture
def exports(monkeypatch) -> list[tuple[str, str]]:
    """Every table a page offers for download, as CSV text, in the order offered."""
    offered: list[tuple[str, str]] = []

    def capture(frame, name, **_kw):  # noqa: ANN001, ANN003
        offered.append((name, frame.to_csv(index=False)))

    monkeypatch.setattr(tables, "export_buttons", capture)
    return offered


@pytest.mark.parametrize("who", ["K1", "K2", "K4", "H1", "A1"])
@pytest.mark.parametrize("page", PAGES)
def test_each_role_sees_only_its_portfolio(monkeypatch, database, exports, who, page):
    # ?manager=K3 and ?client=CK3A are tampering for a KAM: every page must ignore them.
    tamper = {"manager": "K3", "client": "CK3A"} if who.startswith("K") else None
    at = run_app(monkeypatch, database, page=page, viewer=who, params=tamper)
    seen = clients_on(at)
    assert seen <= SEES[who], f"{who} on {page} sees {sorted(seen - SEES[who])}"
    assert figures_on(at) <= SEES[who], f"{who} on {page} sees figures of others"
    for name, text in exports:
        assert codes_in(text) <= SEES[who], (
            f"{who}: export {name} leaks {codes_in(text) - SEES[who]}"
        )
    if page in (
        "pages/clients.py",
        "pages/receivables.py",
        "pages/claims.py",
        "pages/competitors.py",
    ):
        assert seen == SEES[who]  # and everything that is theirs
        assert exports and codes_in(exports[0][1]) == SEES[who]


@pytest.mark.parametrize("who", ["K1", "K2"])
@pytest.mark.parametrize("page", HEAD_ONLY_PAGES)
def test_head_only_pages_are_not_even_registered_for_a_kam(monkeypatch, database, who, page):
    at = run_app(monkeypatch, database, viewer=who)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)


@pytest.mark.parametrize("page", HEAD_ONLY_PAGES)
def test_a_head_only_page_refuses_a_kam_who_switches_on_it(monkeypatch, database, page):
    """Open mode: the head opens the page, then picks a KAM in the sidebar on it: the page is
    gone from the menu, so the KAM lands on his or her desk."""
    at = run_app(monkeypatch, database, page=page, viewer="H1")
    at.sidebar.selectbox(key="viewer_code").select("K1").run()
    assert not at.exception
    assert [x.value for x in at.title][:1] == ["My desk"]
    assert clients_on(at) <= SEES["K1"]
    assert not [b for b in at.button if b.label in ("Add", "Move the clients", "Delegate")]


def test_the_menu_depends_on_the_role(monkeypatch, database):
    shown: list[list[str]] = []
    real = st.navigation

    def spy(pages, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        shown.append([p.url_path for p in pages])
        return real(pages, *args, **kwargs)

    monkeypatch.setattr(st, "navigation", spy)
    menus = {}
    for who in ("K1", "H1", "A1"):
        shown.clear()
        run_app(monkeypatch, database, viewer=who)
        menus[who] = set(shown[-1])
    for who in ("H1", "A1"):
        assert {"users", "audit", "import"} <= menus[who]
    assert not {"users", "audit", "import"} & menus["K1"]
    assert {"clients", "client", "plan", "week", "claims"} <= menus["K1"]


@pytest.mark.parametrize(
    ("who", "code", "allowed"),
    [
        ("K1", "CK1A", True),  # own
        ("K1", "CK2A", True),  # delegated, inside the window
        ("K1", "CK4A", False),  # delegated from tomorrow: before the window
        ("K1", "CK5A", False),  # delegated until yesterday: after the window
        ("K1", "CK3A", False),  # a deactivated manager's client
        ("K2", "CK1A", False),  # a colleague's
        ("K4", "CK4A", True),  # still the owner's while the delegation has not begun
        ("H1", "CK3A", True),
        ("A1", "CK5A", True),
    ],
)
def test_client_360_by_url(monkeypatch, database, who, code, allowed):
    at = run_app(monkeypatch, database, page="pages/client.py", viewer=who, params={"client": code})
    errors = [e.value for e in at.error]
    if allowed:
        assert not errors and code in clients_on(at)
        assert clients_on(at) == {code}
    else:
        assert errors == ["This client is not in your portfolio."]
        assert clients_on(at) == set() and figures_on(at) == set()


def test_a_deactivated_manager_cannot_be_chosen(monkeypatch, database):
    at = run_app(monkeypatch, database, viewer="K3")
    chooser = at.sidebar.selectbox(key="viewer_code")
    assert "K3" not in chooser.options and not any("Kirill" in o for o in chooser.options)
    assert chooser.value == "H1"  # an unknown ?as= falls back to the first in the list


@pytest.mark.parametrize("who", ["K1", "K2", "K4", "H1", "A1"])
@pytest.mark.parametrize("report", sorted(reports.REPORTS))
def test_reports_follow_the_portfolio_even_when_scoped_to_others(database, who, report):
    """The CLI reports and the page exports share these functions: scoping one to another
    manager's portfolio or client gives a KAM nothing of it."""
    with db.reading(db.engine(database)) as s:
        ids = dict(s.execute(select(Manager.code, Manager.id)).all())
        client = s.execute(select(Client.id).where(Client.code == "CK3A")).scalar_one()
        viewer = access.viewer_for(s, manager_id=ids[who], on=TODAY)
        period = periods.month_of(TODAY)
        scopes = [
            reports.Scope(as_of=TODAY, period=period),
            reports.Scope(as_of=TODAY, period=period, manager_id=ids["K3"]),
            reports.Scope(as_of=TODAY, period=period, client_id=client),
        ]
        if report == "plan":  # per manager: a client scope does not apply to it
            scopes.pop()
        texts = [reports.build(report, s, viewer=viewer, scope=sc).to_csv() for sc in scopes]
    for text in texts:
        assert codes_in(text) <= SEES[who], f"{who}: report {report} leaks"
    if report in ("clients", "receivables"):
        assert codes_in(texts[0]) == SEES[who]
