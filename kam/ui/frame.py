"""The frame around every page: schema check, data version, who is looking, language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from kam import sales
from kam.core import access, audit, clock, config, db, logs, migrate
from kam.core import formatting as fmt
from kam.core.access import Viewer
from kam.core.i18n import t
from kam.core.labels import role_label
from kam.portfolio import first_day
from kam.ui import language, state
from kam.ui.plain import inert

log = logs.get(__name__)
_CTX_KEY = "_kam_context"
_PICKER = "viewer_code"  # the open-mode "You are" selector
# Shown when the chosen manager was deactivated meanwhile: sees nothing.
SYSTEM_NOBODY = Viewer(name="nobody", role="kam", manager_id=-1)


@dataclass(frozen=True)
class Context:
    """What every page of this run needs: the database, its data version and the viewer."""

    database_url: str
    data_version: int  # the ledger's
    viewer: Viewer
    activity_version: int = 0  # visits, claims and competitor notes


@st.cache_resource(show_spinner=False)
def _ensure_schema(url: str) -> bool:
    # Once per process and database: bring an empty or older database to the current schema.
    migrate.upgrade(db.engine(url))
    return True


def start() -> Context:
    """Prepare this run; on a database problem show a short message and stop the page."""
    language.start()
    url = config.database_url()
    today = clock.today()
    try:
        _ensure_schema(url)
        with db.reading(db.engine(url)) as s:
            # A signed-in person's saved language comes first, and the switch saves a new one.
            language.switch(remember=language.remembered(s, url) if sign_in_configured() else None)
            version, activities = audit.data_versions(s)
            viewer = _signed_in_viewer(s, today) if sign_in_configured() else _open_mode(s, today)
    except SQLAlchemyError:
        log.exception("page start: the database could not be read")
        st.error(
            t(
                "The database cannot be reached. Try again in a minute; if it persists, tell your administrator."
            )
        )
        st.stop()
    ctx = Context(
        database_url=url, data_version=version, activity_version=activities, viewer=viewer
    )
    st.session_state[_CTX_KEY] = (_this_run(), ctx)
    _freshness()
    return ctx


def _freshness() -> None:
    # Said on every page, so nobody reads yesterday's figures as today's.
    from kam.ui import data  # data's cache is keyed by the context just made

    fresh = data.load(sales.data_freshness)
    if fresh.loaded_at is not None:
        st.sidebar.caption(
            t(
                "Data as of {loaded}, last document {day}",
                loaded=fmt.moment(fresh.loaded_at),
                day=fmt.date(fresh.last_document),
            )
        )


def sign_in_configured() -> bool:
    """True when secrets.toml has an ``[auth]`` table for st.login (OpenID Connect)."""
    return st.secrets.load_if_toml_exists() and bool(st.secrets.get("auth"))


def _providers() -> list[str | None]:
    # [auth] with client_id is one provider; [auth.google], [auth.microsoft]… are named ones.
    auth = st.secrets["auth"]
    named = [k for k, v in auth.items() if isinstance(v, Mapping) and "client_id" in v]
    return named or [None]


def _signed_in_viewer(session: Session, today: dt.date) -> Viewer:
    """Company sign-in: the person is matched to an active manager by e-mail."""
    if not st.user.is_logged_in:
        st.title(t("KAM dashboard"))
        st.write(t("Sign in with your company account to see your clients."))
        for provider in _providers():
            label = (
                t("Sign in") if provider is None else t("Sign in with {p}", p=provider.capitalize())
            )
            st.button(label, type="primary", icon=":material/login:", on_click=st.login,
                      args=() if provider is None else (provider,), key=f"login_{provider}")  # fmt: skip
        _stop_without_menu()
    email = str(st.user.get("email") or "")
    viewer = access.viewer_by_email(session, email=email, on=today) if email else None
    if viewer is None:
        st.title(t("No access yet"))
        if email and not first_day.first_day(session).administrator:
            from kam.ui import welcome  # the greeting builds on this module

            # Nobody can let the first person in: while the company has no administrator,
            # whoever signs in with the company account may become it (and is audited as such).
            version, activities = audit.data_versions(session)
            founder = Viewer(name=email, role="kam")
            st.session_state[_CTX_KEY] = (
                _this_run(),
                Context(config.database_url(), version, founder, activities),
            )
            welcome.first_admin_for(email)
            _stop_without_menu()
        st.warning(
            t("{email} is not linked to an active manager. Ask your administrator to add you.",
              email=inert(email) if email else t("Your account")),
            icon=":material/person_off:",
        )  # fmt: skip
        st.button(t("Sign out"), on_click=st.logout, icon=":material/logout:")
        _stop_without_menu()
    st.sidebar.caption(
        t("Signed in as {name} ({role})", name=inert(viewer.name), role=role_label(viewer.role))
    )
    st.sidebar.button(t("Sign out"), on_click=st.logout, icon=":material/logout:", key="logout")
    return viewer


def _stop_without_menu() -> None:
    # The sign-in pages stop before app.py builds the menu, and Streamlit would then list every
    # file of pages/ in the sidebar (users, audit…): give it an empty, hidden menu instead.
    st.navigation([st.Page(_signed_out, title=t("KAM dashboard"), default=True)], position="hidden")
    st.stop()


def _signed_out() -> None:
    """The (empty) page behind the sign-in screens."""


def _open_mode(session: Session, today: dt.date) -> Viewer:
    """No sign-in configured: the person picks who they are (refused when sign-in is required)."""
    if config.settings().require_sign_in:
        st.title(t("Sign-in is required"))
        st.markdown(t(
            "This dashboard is set to require company sign-in (`require_sign_in = true`), but no "
            "sign-in is configured. Add an `[auth]` table with your OpenID Connect provider to "
            "`.streamlit/secrets.toml` (see `secrets.toml.example` and the README), then restart."
        ))  # fmt: skip
        _stop_without_menu()
    managers = access.identities(session)
    st.sidebar.warning(
        t("Open mode: anyone with the link can choose who they are. Set up company sign-in to "
          "protect the data."), icon=":material/lock_open:",
    )  # fmt: skip
    if not managers:
        # A new company: whoever opens it sets it up (kam.portfolio.first_day).
        st.sidebar.caption(t("You are setting up a new company: no people yet."))
        return Viewer(name=t("Administrator"), role="admin")
    codes = [m.code for m in managers]
    # The link's ?as= first (a shared link, a reload), else the choice made earlier in this
    # session (Streamlit's own menu drops the query string), else the first in the list.
    remembered = state.remembered_person()
    wanted = state.get("as", "", state.one_of(codes)) or (
        remembered if remembered in codes else codes[0]
    )
    # Set every run: a widget's identity includes its page, so on another page the selector
    # would otherwise start again at its first option.
    st.session_state[_PICKER] = wanted
    by_code = {m.code: m for m in managers}
    code = st.sidebar.selectbox(
        t("You are"), codes, key=_PICKER, on_change=_picked,
        format_func=lambda c: f"{by_code[c].name} · {c}",
    )  # fmt: skip
    # The role under the name, not after it: a long name and role would not fit the picker.
    st.sidebar.caption(t("Role: {role}", role=role_label(by_code[code].role)))
    state.remember_person(code)
    return access.viewer_for(session, manager_id=by_code[code].id, on=today) or SYSTEM_NOBODY


def _picked() -> None:
    # Runs before the script: the new choice goes to the URL and the session at once, so the
    # ?as= the run then reads is the person just chosen.
    state.remember_person(st.session_state[_PICKER])


def _this_run() -> object:
    # A new coordinator object is made for every script run: it tells this run from the last.
    return get_script_run_ctx().parallel_coordinator


def context() -> Context:
    """The context prepared by ``start`` for this run (a dialog's rerun keeps its page's)."""
    stored = st.session_state.get(_CTX_KEY)
    run = get_script_run_ctx()
    if stored is not None and (stored[0] is _this_run() or run.fragment_ids_this_run):
        return stored[1]
    # The page ran without app.py: Streamlit routes the first run of a process by the old
    # pages/ folder convention because this project has a pages/ folder (a deep link such as
    # /client?client=C1 pasted in a chat), and AppTest does so on every run. Switch that off
    # and run again through app.py, so the frame (data version, viewer) is never stale.
    PagesManager.uses_pages_directory = False
    st.rerun()


def refresh() -> Context:
    """Re-read the data version (for a fragment that reruns on a timer without the page):
    its next data.load then sees changes saved since the page last ran."""
    stored = st.session_state[_CTX_KEY]
    ctx: Context = stored[1]
    with db.reading(db.engine(ctx.database_url)) as s:
        version, activities = audit.data_versions(s)
    if (version, activities) != (ctx.data_version, ctx.activity_version):
        ctx = Context(
            database_url=ctx.database_url,
            data_version=version,
            activity_version=activities,
            viewer=ctx.viewer,
        )
        st.session_state[_CTX_KEY] = (stored[0], ctx)
    return ctx
