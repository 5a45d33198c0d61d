"""Company sign-in end to end: a real OpenID Connect provider (oidc-provider-mock) and a real
Streamlit server whose ``[auth]`` points at it, driven by Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kam.core import clock, db, migrate
from kam.core.models import Manager
from tests import factories as f
from tests.browser.conftest import wait_for_app
from tests.oidc import auth_secrets, running_provider
from tests.server import StreamlitServer

IRINA = "irina.petrova@example.com"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The OpenID provider on 127.0.0.1; its issuer URL. Irina is a predefined user (one click);
    any other subject typed in its form becomes a user with that e-mail."""
    with running_provider({IRINA: "Irina"}) as issuer:
        yield issuer


@pytest.fixture(scope="module")
def signed_in_server(
    provider: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("sign-in")
    url = f"sqlite:///{folder / 'kam.db'}"
    migrate.upgrade(db.engine(url))
    with db.writing(db.engine(url)) as s:
        f.manager(s, "H1", role="head", name="Viktor Head", email="viktor@example.com")
        f.manager(s, "A1", role="admin", name="Anna Admin", email="anna@example.com")
        irina = f.manager(s, "K1", name="Irina Petrova", email="Irina.Petrova@example.com")
        dmitry = f.manager(s, "K2", name="Dmitry Sokolov", email="dmitry@example.com")
        for code, owner in (("CK1A", irina), ("CK1B", irina), ("CK2A", dmitry)):
            client = f.client(s, code, owner, name=f"Shop {code}")
            f.line(s, client, clock.today().replace(day=1), 1000)
        f.refresh(s)
    db.engine(url).dispose()
    srv = _auth_server(folder, url, provider)
    yield srv
    srv.stop()


def _auth_server(folder: Path, url: str, provider: str) -> StreamlitServer:
    """A server on ``url`` whose sign-in goes through ``provider`` and returns to its own port."""
    secrets = folder / "secrets.toml"

    def secrets_for(port: int) -> list[str]:
        secrets.write_text(auth_secrets(f"http://127.0.0.1:{port}", provider))
        return ["--secrets.files", str(secrets)]

    return StreamlitServer(
        url, folder / "streamlit.log", {"KAM_SECRETS_FILE": str(secrets)},
        args_for_port=secrets_for,
    )  # fmt: skip


def sign_in_as(page: Page, server: StreamlitServer, email: str, *, predefined: bool) -> None:
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    if predefined:
        page.get_by_role("button", name=email).click()
    else:
        page.get_by_placeholder("sub").fill(email)
        page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{server.url}/**")
    wait_for_app(page)


def test_a_kam_signs_in_lands_on_the_desk_sees_only_their_clients_and_signs_out(
    page: Page, provider: str, signed_in_server: StreamlitServer, artifacts: Path
):
    page.goto(signed_in_server.url)
    wait_for_app(page)
    expect(page.get_by_text("Sign in with your company account")).to_be_visible()
    # No menu of the page files (users, audit…) before sign-in.
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    page.screenshot(path=str(artifacts / "sign-in.png"))

    sign_in_as(page, signed_in_server, IRINA, predefined=True)
    sidebar = page.get_by_test_id("stSidebar")
    expect(page.get_by_role("heading", name="My desk")).to_be_visible()
    expect(sidebar.get_by_text("Signed in as Irina Petrova (KAM)")).to_be_visible()
    expect(sidebar.get_by_text("Open mode")).to_have_count(0)
    page.screenshot(path=str(artifacts / "signed-in-desk.png"))

    page.goto(f"{signed_in_server.url}/clients")
    wait_for_app(page)
    table = page.get_by_test_id("stDataFrame")
    expect(table).to_be_visible()
    expect(page.get_by_text("2 of 2 clients")).to_be_visible()
    page.goto(f"{signed_in_server.url}/client?client=CK2A")
    wait_for_app(page)
    expect(page.get_by_text("This client is not in your portfolio.")).to_be_visible()

    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    # The provider has an end-session endpoint: Streamlit sends the browser there to end it.
    page.wait_for_url(f"{provider}/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{signed_in_server.url}/**")
    wait_for_app(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_have_count(0)


def test_an_unknown_email_is_refused(
    page: Page, signed_in_server: StreamlitServer, artifacts: Path
):
    sign_in_as(page, signed_in_server, "stranger@example.com", predefined=False)
    expect(page.get_by_role("heading", name="No access yet")).to_be_visible()
    expect(
        # An address is kept from becoming a link by an invisible word joiner after the "@".
        page.get_by_text(
            re.compile("stranger@\u2060?example\\.com is not linked to an active manager")
        )
    ).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    expect(page.get_by_text("Shop CK")).to_have_count(0)
    page.screenshot(path=str(artifacts / "no-access.png"))


@pytest.fixture(scope="module")
def empty_company_server(
    provider: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[StreamlitServer, str]]:
    folder = tmp_path_factory.mktemp("first-admin")
    url = f"sqlite:///{folder / 'kam.db'}"
    migrate.upgrade(db.engine(url))
    db.engine(url).dispose()
    srv = _auth_server(folder, url, provider)
    yield srv, url
    srv.stop()


def test_the_first_person_to_sign_in_to_a_new_company_can_become_its_administrator(
    page: Page, empty_company_server, artifacts: Path
):
    server, url = empty_company_server
    sign_in_as(page, server, "founder@example.com", predefined=False)
    expect(page.get_by_role("heading", name="No access yet")).to_be_visible()
    expect(page.get_by_text("The company has no administrator yet")).to_be_visible()
    page.get_by_label("Code").fill("A01")
    page.get_by_label("Name").fill("Founder Admin")
    page.screenshot(path=str(artifacts / "sign-in-first-admin.png"))
    page.get_by_role("button", name="Create the administrator").click()
    wait_for_app(page)
    expect(
        page.get_by_test_id("stSidebar").get_by_text("Signed in as Founder Admin (administrator)")
    ).to_be_visible()
    with db.reading(db.engine(url)) as s:
        assert s.execute(select(Manager.code, Manager.role, Manager.email)).all() == [
            ("A01", "admin", "founder@example.com")
        ]
