"""Company sign-in in AppTest (``at.user``, ``at.secrets``): the fast checks of the frame."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kam.core import config, db
from tests import factories as f
from tests.apptest import ROOT, _no_pages_folder_routing

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-test-secret",
    "client_id": "kam-dashboard",
    "client_secret": "not-a-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    from kam.core import migrate

    url = f"sqlite:///{tmp_path_factory.mktemp('sign-in') / 'kam.db'}"
    migrate.upgrade(db.engine(url))
    with db.writing(db.engine(url)) as s:
        f.manager(s, "H1", role="head", name="Viktor Head", email="viktor@example.com")
        f.manager(s, "A1", role="admin", name="Anna Admin", email="anna@example.com")
        irina = f.manager(s, "K1", name="Irina Petrova", email="Irina.Petrova@example.com")
        dmitry = f.manager(s, "K2", name="Dmitry", email="dmitry@example.com")
        f.manager(s, "K3", name="Kirill", email="kirill@example.com", active=False)
        f.client(s, "CK1A", irina, name="Irina's shop")
        f.client(s, "CK2A", dmitry, name="Dmitry's shop")
    return url


def app(monkeypatch, database: str, *, user: dict | None, auth: bool = True) -> AppTest:
    monkeypatch.setenv("KAM_DATABASE_URL", database)
    _no_pages_folder_routing(monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if auth:
        at.secrets["auth"] = AUTH
    at.user = user or {"is_logged_in": False}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [x.value for x in (*at.title, *at.markdown, *at.warning, *at.caption, *at.info)]
    return "\n".join(str(p) for p in parts)


def test_logged_out_sees_only_the_sign_in_button(monkeypatch, database):
    at = app(monkeypatch, database, user=None)
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Sign in with your company account" in texts(at)
    assert "CK1A" not in texts(at) and not at.dataframe


def test_named_providers_get_one_button_each(monkeypatch, database):
    monkeypatch.setitem(AUTH, "google", {"client_id": "g", "client_secret": "s",
                                        "server_metadata_url": "http://127.0.0.1:9/g"})  # fmt: skip
    monkeypatch.setitem(AUTH, "microsoft", {"client_id": "m", "client_secret": "s",
                                           "server_metadata_url": "http://127.0.0.1:9/m"})  # fmt: skip
    at = app(monkeypatch, database, user=None)
    assert [b.label for b in at.button] == ["Sign in with Google", "Sign in with Microsoft"]


def test_a_known_email_lands_on_the_desk_in_any_case(monkeypatch, database):
    at = app(
        monkeypatch, database, user={"is_logged_in": True, "email": "irina.petrova@EXAMPLE.com"}
    )
    assert at.title[0].value == "My desk"
    assert "Signed in as Irina Petrova (KAM)" in [c.value for c in at.sidebar.caption]
    assert "Sign out" in [b.label for b in at.sidebar.button]
    assert not at.sidebar.selectbox  # no "You are" chooser, no open-mode banner
    assert not [w for w in at.sidebar.warning if "Open mode" in w.value]
    at.switch_page(str(ROOT / "pages/clients.py"))
    at.run()
    assert list(at.dataframe[0].value["client_code"].str.extract(r"client=(.*)$")[0]) == ["CK1A"]


@pytest.mark.parametrize("email", ["stranger@example.com", "kirill@example.com", None])
def test_an_unknown_or_deactivated_email_has_no_access(monkeypatch, database, email):
    at = app(monkeypatch, database, user={"is_logged_in": True, "email": email})
    assert at.title[0].value == "No access yet"
    assert "Ask your administrator to add you" in at.warning[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    assert not at.dataframe and "CK" not in texts(at)


def test_require_sign_in_without_auth_shows_only_how_to_configure(monkeypatch, database, tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[kam]\nrequire_sign_in = true\n")
    monkeypatch.setenv("KAM_SECRETS_FILE", str(secrets))
    config.settings.cache_clear()
    try:
        at = app(monkeypatch, database, user=None, auth=False)
    finally:
        monkeypatch.delenv("KAM_SECRETS_FILE")
        config.settings.cache_clear()
    assert at.title[0].value == "Sign-in is required"
    assert "require_sign_in = true" in at.markdown[0].value
    assert not at.button and not at.dataframe and not at.sidebar.selectbox


def test_open_mode_shows_the_banner_and_the_chooser(monkeypatch, database):
    at = app(monkeypatch, database, user=None, auth=False)
    assert any("anyone with the link" in w.value for w in at.sidebar.warning)
    assert at.sidebar.selectbox(key="viewer_code").options[0].startswith("Viktor Head")
