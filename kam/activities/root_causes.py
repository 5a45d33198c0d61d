"""The list of claim root causes: read it, let the head extend or retire entries, and check the
cause a claim is closed with (free text only with "other")."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from kam.core import audit
from kam.core.access import Capability, Viewer, require
from kam.core.i18n import N_, Msg
from kam.core.models import Claim, ClaimRootCause
from kam.core.validation import Checker, NotFound, column_length
from kam.core.writes import values_of

OTHER = "other"  # the one cause that takes free text; seeded, never retired


def root_causes(session: Session, *, active_only: bool = True) -> list[tuple[str, str, bool]]:
    """The causes as (code, stored label, active), "other" last, the rest by label."""
    query = select(ClaimRootCause.code, ClaimRootCause.label, ClaimRootCause.active)
    if active_only:
        query = query.where(ClaimRootCause.active)
    rows = [(c, lbl, bool(a)) for c, lbl, a in session.execute(query)]
    return sorted(rows, key=lambda r: (r[0] == OTHER, r[1].casefold()))


def check_cause(
    session: Session, checker: Checker, code: str | None, other: str | None, *, required: bool
) -> tuple[str | None, str | None]:
    """The cause ``code`` (an active entry) and its free text (only, and then required, with
    "other"); problems under ``root_cause`` and ``root_cause_other``."""
    text = checker.text(
        "root_cause_other", other, label=N_("Other cause"),
        max_length=column_length(Claim.root_cause), required=False,
    )
    if code is None or not code.strip():
        if required:
            checker.add("root_cause", "Root cause is required to close a claim.")
        return None, None
    known = {c for c, _, _ in root_causes(session)}
    if code not in known:
        checker.add("root_cause", Msg("There is no root cause {code} to choose.", code=code))
        return None, None
    if code == OTHER and text is None:
        checker.add("root_cause_other", "Say what the other cause was.")
    if code != OTHER and text is not None:
        checker.add(
            "root_cause_other", "Describe the cause only when it is “Other”; clear the text."
        )
    return code, text


def _code_of(label: str) -> str:
    # A readable, stable code from the label; letters beyond ASCII (Cyrillic) are kept out of
    # codes, so a wholly Cyrillic label gets a numbered one.
    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_.casefold()).strip("_")[:24]


def add_root_cause(
    session: Session, *, viewer: Viewer, actor: audit.Actor, label: str | None
) -> ClaimRootCause:
    """Add a cause to the list (head or admin); an existing label of any case is made active."""
    require(viewer, Capability.MANAGE_ROOT_CAUSES)
    checker = Checker()
    text = checker.text(
        "label", label, label=N_("Root cause"), max_length=column_length(ClaimRootCause.label),
        required=True,
    )  # fmt: skip
    checker.raise_if_any()
    assert text is not None
    rows = session.scalars(select(ClaimRootCause)).all()
    same = next((r for r in rows if r.label.casefold() == text.casefold()), None)
    if same is not None:
        if not same.active:
            set_active(session, viewer=viewer, actor=actor, code=same.code, active=True)
        return same
    codes = {r.code for r in rows}
    base = _code_of(text) or "cause"
    code, n = base, 1
    while code in codes:
        n += 1
        code = f"{base}_{n}"
    row = ClaimRootCause(code=code, label=text, active=True)
    session.add(row)
    session.flush()
    audit.record(
        session, actor=actor, entity="claim_root_cause", entity_id=code, action="create",
        after=values_of(row),
    )  # fmt: skip
    return row


def set_active(
    session: Session, *, viewer: Viewer, actor: audit.Actor, code: str, active: bool
) -> ClaimRootCause:
    """Retire a cause (claims keep it; it is no longer offered) or offer it again."""
    require(viewer, Capability.MANAGE_ROOT_CAUSES)
    row = session.get(ClaimRootCause, code)
    if row is None:
        raise NotFound(Msg("There is no root cause {code}.", code=code))
    if code == OTHER and not active:
        raise PermissionError(Msg("“Other” stays on the list: it is where free text goes."))
    if row.active != active:
        before = {"active": row.active}
        row.active = active
        session.flush()
        audit.record(
            session, actor=actor, entity="claim_root_cause", entity_id=code,
            action="update", before=before, after={"active": active},
        )  # fmt: skip
    return row
