"""What logging, planning and completing a contact check alike: the client, who makes the
contact, the outcome and next step, and a competitor note taken during it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from kam.activities import competitors
from kam.activities.competitors import CheckedNote, NoteForm
from kam.core import audit
from kam.core.access import Viewer
from kam.core.i18n import N_, Msg
from kam.core.models import Client, Manager, Visit
from kam.core.validation import Checker, column_length
from kam.core.writes import update_versioned, values_of

if TYPE_CHECKING:
    from kam.activities.visits import CompletionForm, ContactForm


@dataclass(frozen=True)
class ContactDetails:
    """A contact's outcome, notes and next step after validation."""

    outcome: str | None
    notes: str | None
    next_step: str | None
    next_step_date: dt.date | None


def client(session: Session, checker: Checker, field: str, client_id: int | None) -> Client | None:
    """The client ``client_id`` names; None, with a problem under ``field``, when there is none."""
    cid = checker.identifier(field, client_id, label=N_("Client"))
    if cid is None:
        return None
    found = session.get(Client, cid)
    if found is None:
        checker.add(field, Msg("There is no client with id {id}.", id=cid))
    return found


def manager_for(
    session: Session, checker: Checker, viewer: Viewer, requested: int | None, client: Client
) -> int:
    """Who makes the contact: a KAM himself; for one who sees all the chosen manager or the
    client's."""
    if not viewer.sees_all:
        if requested is not None and requested != viewer.manager_id:
            checker.add("manager_id", "You can log and plan contacts only for yourself.")
        return viewer.manager_id or client.manager_id
    if requested is None:
        return client.manager_id
    if session.get(Manager, requested) is None:
        checker.add("manager_id", Msg("There is no manager with id {id}.", id=requested))
    return requested


def details(
    checker: Checker,
    form: ContactForm | CompletionForm,
    *,
    today: dt.date,
    done_on: dt.date | None,
) -> ContactDetails:
    """The outcome, notes and next step of ``form``; the next step is not before ``done_on``."""
    outcome = checker.text(
        "outcome", form.outcome, label=N_("Outcome"), max_length=column_length(Visit.outcome)
    )
    notes = checker.text("notes", form.notes, label=N_("Notes"), max_length=column_length(Visit.notes))
    next_step = checker.text(
        "next_step", form.next_step, label=N_("Next step"), max_length=column_length(Visit.next_step)
    )
    next_date = checker.planned_date(
        "next_step_date", form.next_step_date, label=N_("Next step date"), today=today, required=False
    )
    checker.not_before(
        "next_step_date",
        next_date,
        label=N_("Next step date"),
        start=done_on,
        start_label=N_("the contact's date"),
    )
    return ContactDetails(outcome, notes, next_step, next_date)


def note(
    session: Session,
    checker: Checker,
    form: NoteForm | None,
    *,
    client_id: int | None,
    noted_on: dt.date | None,
    today: dt.date,
) -> CheckedNote | None:
    """The competitor note taken during the contact, checked under ``competitor_note.``."""
    if form is None:
        return None
    # A note taken during the visit is about the visit's client and day unless it says otherwise.
    form = replace(
        form,
        client_id=form.client_id if form.client_id is not None else client_id,
        noted_on=form.noted_on or noted_on,
    )
    return competitors.check_note(session, form, checker, today=today, prefix="competitor_note.")


def mark_done(
    session: Session,
    row: Visit,
    values: dict[str, object],
    *,
    viewer: Viewer,
    actor: audit.Actor,
    note: CheckedNote | None,
    expected_version: int,
) -> None:
    """Mark planned contact ``row`` done with ``values``, audited, with the note taken there;
    the one way, from the Weekly plan or from a logged contact."""
    before = values_of(row, tuple(values) + ("version",))
    if update_versioned(
        session, row, entity="visit", expected_version=expected_version, values=values
    ):
        audit.record(
            session,
            actor=actor,
            entity="visit",
            entity_id=row.id,
            action="complete",
            before=before,
            after=values_of(row, tuple(values) + ("version",)),
        )
        if note is not None:
            competitors.save_note(session, viewer=viewer, actor=actor, note=note, visit_id=row.id)

