"""The team deployment for real (docs/DEPLOY.md): three PostgreSQL-backed Streamlit processes
behind nginx, sign-in through the real OpenID Connect provider via nginx, a visit saved through
one process and seen through another, and a killed process whose new sessions the others serve."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import func, select

from kam.commands.serve_team import Team, free_port
from kam.core import clock, db
from kam.core.models import Visit
from tests import factories as f
from tests.browser.conftest import new_context, wait_for_app
from tests.dbs import PostgresTemplate
from tests.oidc import auth_secrets, running_provider

pytestmark = pytest.mark.browser

IRINA = "irina.petrova@example.com"
CLIENT = "CK1A"


@pytest.fixture(scope="module")
def team(
    postgresql_template: PostgresTemplate, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Team, str]]:
    folder = tmp_path_factory.mktemp("team")
    url = postgresql_template.new(folder)
    with db.writing(db.engine(url)) as s:
        irina = f.manager(s, "K1", name="Irina Petrova", email=IRINA)
        client = f.client(s, CLIENT, irina, name="Shop CK1A")
        f.line(s, client, clock.today().replace(day=1), 1000)
        f.refresh(s)
    db.engine(url).dispose()
    port = free_port()
    with running_provider({IRINA: "Irina"}) as provider:
        secrets = folder / "secrets.toml"
        secrets.write_text(auth_secrets(f"http://127.0.0.1:{port}", provider))
        run_dir = folder / "run"
        run_dir.mkdir()
        crew = Team(database_url=url, processes=3, port=port, run_dir=run_dir, secrets_file=secrets)
        crew.start()
        try:
            yield crew, url
        finally:
            crew.stop()
            postgresql_template.drop(url)


def _open(context: BrowserContext, team: Team) -> tuple[Page, str]:
    """A page of the app through nginx, and the process that served it."""
    page = context.new_page()
    response = page.goto(team.url)
    assert response is not None
    wait_for_app(page)
    return page, response.headers["x-kam-process"]


def _sign_in(page: Page, team: Team) -> None:
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.get_by_role("button", name=IRINA).click()
    page.wait_for_url(f"{team.url}/**")
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("Irina Petrova")).to_be_visible()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_proxy_hides_metrics_and_each_process_answers_its_health_check(team):
    crew, _ = team
    assert _status(f"{crew.url}/_stcore/metrics") == 404
    assert _status(f"{crew.url}/_stcore/health") == 200
    assert [_status(f"{u}/_stcore/health") for u in crew.process_urls] == [200, 200, 200]


def test_a_visit_saved_through_one_process_is_seen_through_another_and_a_dead_process_is_routed_around(
    team, browser: Browser, artifacts: Path
):
    crew, url = team
    first = new_context(browser)
    page_a, served_a = _open(first, crew)
    _sign_in(page_a, crew)
    # Another browser, routed (by its own cookie) to another process.
    others = []
    for _ in range(12):
        context = new_context(browser)
        page_b, served_b = _open(context, crew)
        if served_b != served_a:
            break
        others.append(context)
    else:
        pytest.fail(f"every new browser went to {served_a}")
    _sign_in(page_b, crew)
    for c in others:
        c.close()

    page_b.goto(f"{crew.url}/client?client={CLIENT}")
    wait_for_app(page_b)
    page_b.get_by_role("tab", name="Visits and calls").click()
    expect(page_b.get_by_text("Agreed a trial order through nginx")).to_have_count(0)

    page_a.goto(f"{crew.url}/client?client={CLIENT}")
    wait_for_app(page_a)
    page_a.get_by_role("button", name="Log a contact").click()
    dialog = page_a.get_by_role("dialog")
    dialog.wait_for()
    dialog.get_by_role("radio", name="Visit").click()
    dialog.get_by_label("Outcome").fill("Agreed a trial order through nginx")
    dialog.get_by_role("button", name="Save").click()
    dialog.wait_for(state="detached")
    wait_for_app(page_a)
    with db.reading(db.engine(url)) as s:
        assert s.scalar(select(func.count()).select_from(Visit)) == 1

    # The other process sees it on its next run (a reload).
    page_b.reload()
    wait_for_app(page_b)
    page_b.get_by_role("tab", name="Visits and calls").click()
    expect(page_b.get_by_text("Agreed a trial order through nginx")).to_be_visible()
    page_b.screenshot(path=str(artifacts / "team-seen-through-another-process.png"))

    # The first browser's process dies: new sessions go to the others.
    crew.kill(crew.process_urls.index(f"http://{served_a}"))
    for _ in range(3):
        context = new_context(browser)
        page_c, served_c = _open(context, crew)
        assert served_c != served_a
        expect(page_c.get_by_role("button", name="Sign in")).to_be_visible()
        context.close()
    # The first browser is moved to a live process: a new session there, still signed in (every
    # process checks the sign-in cookie with the same secret).
    response = page_a.reload()
    assert response is not None and response.headers["x-kam-process"] != served_a
    wait_for_app(page_a)
    expect(page_a.get_by_test_id("stSidebar").get_by_text("Irina Petrova")).to_be_visible()
    page_a.screenshot(path=str(artifacts / "team-after-a-process-died.png"))
    first.close()
    page_b.context.close()
