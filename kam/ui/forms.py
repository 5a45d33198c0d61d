"""Forms that never lose or double what was typed.

Each form has a name; its widgets use keys from ``key(name, field)``, so Streamlit keeps what
was typed across reruns, failed saves included. An idempotency key per form instance goes with
every save, so a double click or a resubmitted form saves once. Only a successful save clears
the form (new widget keys) and draws a new idempotency key.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.exc import InterfaceError, OperationalError
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from kam.core import audit, db, logs
from kam.core.i18n import t, text_of
from kam.core.validation import ConflictError, NotFound, ValidationError
from kam.ui import frame

log = logs.get(__name__)
T = TypeVar("T")
_GENERATION = "_form_generation_{}"
_IDEMPOTENCY = "_form_idempotency_{}"
_PROBLEMS = "_form_problems_{}"
_CONFLICT = "_form_conflict_{}"
_MESSAGE = "_form_message_{}"


def key(name: str, field: str) -> str:
    """The widget key of ``field`` in form ``name`` (changes only after a successful save)."""
    return f"{name}_{st.session_state.get(_GENERATION.format(name), 0)}_{field}"


def idempotency_key(name: str) -> str:
    """The idempotency key of the form's current instance."""
    slot = _IDEMPOTENCY.format(name)
    if slot not in st.session_state:
        st.session_state[slot] = uuid.uuid4().hex
    return st.session_state[slot]


def problems(name: str) -> dict[str, str]:
    """The problems found by the last failed save, per field."""
    return st.session_state.get(_PROBLEMS.format(name), {})


def field_problem(name: str, *fields: str) -> None:
    """Show the problem of a field right under it (several fields: the first with a problem)."""
    found = problems(name)
    for field in fields:
        if field in found:
            st.markdown(f":red[{t(found[field])}]")
            return


def conflict(name: str) -> ConflictError | None:
    """The conflict the last save ran into, if any."""
    return st.session_state.get(_CONFLICT.format(name))


def reset(name: str) -> None:
    """Clear the form: new widget keys, a new idempotency key, no problems."""
    gen = _GENERATION.format(name)
    st.session_state[gen] = st.session_state.get(gen, 0) + 1
    for slot in (_IDEMPOTENCY, _PROBLEMS, _CONFLICT, _MESSAGE):
        st.session_state.pop(slot.format(name), None)


def message(name: str) -> None:
    """Why the last save failed, shown where the form puts it (under its submit button)."""
    found = st.session_state.get(_MESSAGE.format(name))
    if found:
        text, icon = found
        st.error(text, icon=icon)


def _failed(name: str, text: str, icon: str) -> None:
    # The fields were drawn before the save ran: run again so each problem shows under its
    # field now. Widget keys are unchanged, so everything typed stays; in a dialog only the
    # dialog reruns, so it stays open.
    st.session_state[_MESSAGE.format(name)] = (text, icon)
    run = get_script_run_ctx()
    st.rerun(scope="fragment" if run is not None and run.fragment_ids_this_run else "app")


def actor() -> audit.Actor:
    """The person saving, for the audit trail."""
    viewer = frame.context().viewer
    return audit.Actor(name=viewer.name, id=viewer.manager_id)


def save(name: str, write: Callable[..., T], /, **kwargs: Any) -> T | None:
    """Run ``write(session, viewer=…, actor=…, **kwargs)`` in one write transaction.

    On success the form is cleared and the result returned. On any failure nothing is saved,
    the typed values stay, and the reason is shown: per field for invalid input, the other
    change for a conflict, a short line for no permission or an unreachable database.
    """
    ctx = frame.context()
    for slot in (_PROBLEMS, _CONFLICT, _MESSAGE):
        st.session_state.pop(slot.format(name), None)
    try:
        with db.writing(db.engine(ctx.database_url)) as session:
            result = write(session, viewer=ctx.viewer, actor=actor(), **kwargs)
    except ValidationError as exc:
        st.session_state[_PROBLEMS.format(name)] = exc.problems
        _failed(name, t("Not saved: please correct the marked fields."), ":material/error:")
    except ConflictError as exc:
        st.session_state[_CONFLICT.format(name)] = exc
        _failed(name, t(text_of(exc)), ":material/sync_problem:")
    except (PermissionError, NotFound) as exc:
        _failed(name, t(text_of(exc)) or t("You may not change this record."), ":material/block:")
    except (OperationalError, InterfaceError):
        log.exception("save %s: the database refused or could not be reached", name)
        _failed(
            name,
            t(
                "Not saved: the database is busy or cannot be reached. Your text is kept — try again."
            ),
            ":material/cloud_off:",
        )
    except Exception:
        # A programming error (a KeyError, a broken constraint, a bad statement): the person
        # cannot fix it by retyping, and its text means nothing to them. The log has it.
        log.exception("save %s failed", name)
        _failed(
            name,
            t(
                "Something went wrong, and nothing was saved. Your text is kept; the error has been logged for your administrator."
            ),
            ":material/error:",
        )
    else:
        reset(name)
        return result
    return None  # not reached: _failed reruns


def clicked(key: str) -> bool:
    """True in the run after button ``key`` was clicked. A callback records the click, so it
    survives a rerun of the page before the button is reached (frame.context() may rerun)."""
    return bool(st.session_state.pop(f"_clicked_{key}", False))


class ProblemSlots:
    """Places under the fields, filled after the save has run: forms.field_problem draws
    before the save of the same run, so a failed save's problems would show a run late."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.slots: list[tuple[Any, tuple[str, ...], str]] = []

    def under(self, *fields: str, prefix: str = "") -> None:
        """Keep a place here for the first problem of ``fields``."""
        self.slots.append((st.empty(), fields, prefix))

    def fill(self) -> None:
        """Show each field's problem in its place."""
        found = problems(self.name)
        for slot, fields, prefix in self.slots:
            message = next((found[f] for f in fields if f in found), None)
            if message:
                slot.markdown(f":red[{prefix}{t(message)}]")


def record_click(key: str) -> None:
    """The on_click of a button read with ``clicked``."""
    st.session_state[f"_clicked_{key}"] = True
