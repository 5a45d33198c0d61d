"""Choosing the UI language for this session: the sidebar switch, ``?lang=``, the browser."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kam.core import access, clock, config, db, logs
from kam.core.audit import Actor
from kam.core.i18n import LANGUAGES, choose_language, language, set_language, supported, t
from kam.portfolio import managers
from kam.ui import state

log = logs.get(__name__)
_KEY = "language"  # the sidebar switch's choice, kept for the session


def start() -> str:
    """Set this run's language: the switch's choice, else ``?lang=``, else the browser's
    language, else the deployment default."""
    chosen = choose_language(
        own=st.session_state.get(_KEY),
        url=state.get("lang", "", state.one_of(list(LANGUAGES))),
        browser=st.context.locale,
        default=config.settings().language,
    )
    set_language(chosen)
    return chosen


def remembered(session: Session, database_url: str) -> Callable[[str], None] | None:
    """For a person signed in with the company account: use the language he or she saved
    (unless this session's switch chose one), and how to save a new choice."""
    email = str(st.user.get("email") or "") if st.user.is_logged_in else ""
    found = managers.own_language(session, email=email) if email else None
    if found is None:
        return None
    if st.session_state.get(_KEY) is None and (code := supported(found[1])):
        set_language(code)
    return partial(_remember, database_url, email)


def _remember(database_url: str, email: str, code: str) -> None:
    try:
        with db.writing(db.engine(database_url)) as session:
            viewer = access.viewer_by_email(session, email=email, on=clock.today())
            if viewer is not None:
                actor = Actor(name=viewer.name, id=viewer.manager_id)
                managers.set_own_language(session, viewer=viewer, actor=actor, language=code)
    except SQLAlchemyError:
        # The session keeps the choice; only the next visit starts in the old language.
        log.exception("the language choice could not be saved")


def switch(remember: Callable[[str], None] | None = None) -> None:
    """The sidebar switch: the page reruns at once in the language chosen, and the URL keeps
    it, so a copied link opens in the same language; ``remember`` saves a signed-in person's
    choice."""
    current = language()
    st.sidebar.segmented_control(
        t("Language"), list(LANGUAGES), default=current, format_func=LANGUAGES.__getitem__,
        key="language_switch", on_change=_switched, args=(remember,), required=True,
    )  # fmt: skip


def _switched(remember: Callable[[str], None] | None) -> None:
    code = st.session_state.get("language_switch")
    if code in LANGUAGES:
        st.session_state[_KEY] = code
        st.query_params["lang"] = code
        if remember is not None:
            remember(code)


def params(**values: str) -> dict[str, str]:
    """Query parameters of a link the app builds, with the current language (and, in open
    mode, who you are) kept: ``state.link_params``."""
    return state.link_params(**values)
