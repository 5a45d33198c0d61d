"""Visits and calls, the writes: log a done contact, plan a week's contacts, and complete or
cancel a planned one (the reads are in kam.activities.weekly_plan)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kam.activities import competitors, contact_checks, contact_defaults
from kam.activities.competitors import NoteForm
from kam.core import audit, clock
from kam.core.access import Viewer
from kam.core.i18n import N_, Msg
from kam.core.models import VISIT_KINDS, Client, Visit
from kam.core.validation import (
    IDEMPOTENCY_KEY_MAX,
    Checker,
    NotFound,
    ValidationError,
    column_length,
)
from kam.core.writes import (
    acting,
    insert_once,
    require_client_access,
    require_writer,
    resubmitted,
    update_versioned,
    values_of,
)

# plan_contacts suffixes the form's key with ":<row>", so the form key must leave room for it.
PLAN_KEY_MAX = IDEMPOTENCY_KEY_MAX - 5


@dataclass(frozen=True)
class ContactForm:
    """A contact that took place; only client and kind are required, the date is today by default."""

    client_id: int | None = None
    kind: str | None = None
    done_on: dt.date | None = None
    outcome: str | None = None
    notes: str | None = None
    next_step: str | None = None
    next_step_date: dt.date | None = None
    manager_id: int | None = None  # the head may log for a KAM; default: the client's manager
    idempotency_key: str | None = None
    competitor_note: NoteForm | None = None  # a note taken during the visit, saved with it
    # The client's open planned contact is completed instead of logging a second record:
    # ``plan_id`` when the form showed one, else the best open one (contact_defaults).
    complete_plan: bool = True
    plan_id: int | None = None


@dataclass(frozen=True)
class CompletionForm:
    """What happened at a planned contact; ``kind`` None keeps the planned kind."""

    done_on: dt.date | None = None
    kind: str | None = None
    outcome: str | None = None
    notes: str | None = None
    next_step: str | None = None
    next_step_date: dt.date | None = None
    competitor_note: NoteForm | None = None


@dataclass(frozen=True)
class PlannedContact:
    """One row of a weekly plan: a client on a day."""

    client_id: int | None
    planned_for: dt.date | None
    kind: str | None = "visit"
    notes: str | None = None


@dataclass(frozen=True)
class PlannedVisit:
    """A planned contact with the completion form pre-filled from it."""

    visit_id: int
    version: int
    client_id: int
    client_code: str
    client_name: str
    manager_id: int
    status: str
    planned_for: dt.date | None
    form: CompletionForm


def log_contact(
    session: Session,
    *,
    viewer: Viewer,
    actor: audit.Actor,
    form: ContactForm,
    today: dt.date | None = None,
) -> Visit:
    """Save a done contact (and its competitor note); one for a client with an open planned
    contact completes that plan. A resubmit with the same key returns the first."""
    require_writer(viewer)
    today = today or clock.today()
    checker = Checker()
    client = contact_checks.client(session, checker, "client_id", form.client_id)
    kind = checker.choice("kind", form.kind, label=N_("Kind"), choices=VISIT_KINDS)
    done_on = checker.past_date("done_on", form.done_on or today, label=N_("Date"), today=today)
    details = contact_checks.details(checker, form, today=today, done_on=done_on)
    key = checker.idempotency_key(form.idempotency_key)
    note = contact_checks.note(
        session,
        checker,
        form.competitor_note,
        client_id=form.client_id,
        noted_on=done_on,
        today=today,
    )
    manager_id = (
        contact_checks.manager_for(session, checker, viewer, form.manager_id, client)
        if client
        else None
    )
    if key is not None and (
        first := session.scalars(select(Visit).where(Visit.idempotency_key == key)).first()
    ):
        return first  # saved by the first submit, possibly as a completed plan
    plan = contact_defaults.plan_to_complete(
        session, checker, client_id=client.id if client else None, on=done_on,
        plan_id=form.plan_id, complete=form.complete_plan,
    )  # fmt: skip
    checker.raise_if_any()
    assert client is not None and manager_id is not None and done_on is not None
    require_client_access(viewer, client)
    actor = acting(actor, viewer, client)
    if plan is not None:
        values = {
            "status": "done", "kind": kind, "done_at": done_on, "manager_id": manager_id,
            "outcome": details.outcome, "notes": details.notes, "next_step": details.next_step,
            "next_step_date": details.next_step_date, "idempotency_key": key,
        }  # fmt: skip
        contact_checks.mark_done(session, plan, values, viewer=viewer, actor=actor, note=note,
                   expected_version=plan.version)  # fmt: skip
        return plan
    row, created = insert_once(
        session,
        Visit(
            client_id=client.id,
            manager_id=manager_id,
            kind=kind,
            status="done",
            done_at=done_on,
            outcome=details.outcome,
            notes=details.notes,
            next_step=details.next_step,
            next_step_date=details.next_step_date,
            idempotency_key=key,
        ),
    )
    if created:
        audit.record(
            session,
            actor=actor,
            entity="visit",
            entity_id=row.id,
            action="log",
            after=values_of(row),
        )
        if note is not None:
            competitors.save_note(session, viewer=viewer, actor=actor, note=note, visit_id=row.id)
    return row


def plan_contacts(
    session: Session,
    *,
    viewer: Viewer,
    actor: audit.Actor,
    contacts: Sequence[PlannedContact],
    manager_id: int | None = None,
    idempotency_key: str | None = None,
    today: dt.date | None = None,
) -> list[Visit]:
    """Plan several contacts at once (problems keyed ``contacts.<row>.<field>``); saved once per key."""
    require_writer(viewer)
    today = today or clock.today()
    checker = Checker()
    if not contacts:
        checker.add("contacts", "Pick at least one client to plan.")
    checked: list[tuple[Client, dt.date, str, str | None, int]] = []
    seen: set[tuple[int, dt.date, str]] = set()
    for i, item in enumerate(contacts):
        p = f"contacts.{i}."
        client = contact_checks.client(session, checker, p + "client_id", item.client_id)
        day = checker.planned_date(
            p + "planned_for", item.planned_for, label=N_("Planned date"), today=today
        )
        kind = checker.choice(p + "kind", item.kind, label=N_("Kind"), choices=VISIT_KINDS)
        notes = checker.text(
            p + "notes", item.notes, label=N_("Notes"), max_length=column_length(Visit.notes)
        )
        if client is None or day is None or kind is None:
            continue
        if (client.id, day, kind) in seen:
            checker.add(
                p + "client_id",
                Msg(
                    "{code} is already planned here for {day} ({kind}).",
                    code=client.code,
                    day=day.isoformat(),
                    kind=Msg(kind),
                ),  # fmt: skip
            )
        seen.add((client.id, day, kind))
        mid = contact_checks.manager_for(session, checker, viewer, manager_id, client)
        checked.append((client, day, kind, notes, mid))
    key = checker.idempotency_key(idempotency_key, max_length=PLAN_KEY_MAX)
    checker.raise_if_any()
    for client, *_ in checked:
        require_client_access(viewer, client)
        actor = acting(actor, viewer, client)
    rows = []
    for i, (client, day, kind, notes, mid) in enumerate(checked):
        row, created = insert_once(
            session,
            Visit(
                client_id=client.id,
                manager_id=mid,
                kind=kind,
                status="planned",
                planned_for=day,
                notes=notes,
                idempotency_key=None if key is None else f"{key}:{i}",
            ),
        )
        if created:
            audit.record(
                session,
                actor=actor,
                entity="visit",
                entity_id=row.id,
                action="plan",
                after=values_of(row),
            )
        rows.append(row)
    return rows


def _load_visit(session: Session, visit_id: int) -> Visit:
    row = session.get(Visit, visit_id, populate_existing=True)
    if row is None:
        raise ValidationError({"visit_id": Msg("There is no contact with id {id}.", id=visit_id)})
    return row


def planned_contact(
    session: Session, *, viewer: Viewer, visit_id: int, today: dt.date | None = None
) -> PlannedVisit:
    """A planned contact with the completion form pre-filled; NotFound when not visible."""
    row = session.execute(
        select(Visit, Client.code, Client.name)
        .join(Client, Client.id == Visit.client_id)
        .where(Visit.id == visit_id, viewer.client_condition())
    ).first()
    if row is None:
        raise NotFound(Msg("There is no contact with id {id} in your portfolio.", id=visit_id))
    visit, code, name = row
    form = CompletionForm(
        done_on=today or clock.today(),
        kind=visit.kind,
        outcome=visit.outcome,
        notes=visit.notes,
        next_step=visit.next_step,
        next_step_date=visit.next_step_date,
    )
    return PlannedVisit(
        visit.id,
        visit.version,
        visit.client_id,
        code,
        name,
        visit.manager_id,
        visit.status,
        visit.planned_for,
        form,
    )


def complete_planned(
    session: Session,
    *,
    viewer: Viewer,
    actor: audit.Actor,
    visit_id: int,
    expected_version: int,
    form: CompletionForm,
    today: dt.date | None = None,
) -> Visit:
    """Mark a planned contact done with its outcome; ConflictError if it changed meanwhile."""
    require_writer(viewer)
    today = today or clock.today()
    row = _load_visit(session, visit_id)
    checker = Checker()
    kind = checker.choice("kind", form.kind or row.kind, label=N_("Kind"), choices=VISIT_KINDS)
    done_on = checker.past_date("done_on", form.done_on or today, label=N_("Date"), today=today)
    details = contact_checks.details(checker, form, today=today, done_on=done_on)
    note = contact_checks.note(
        session,
        checker,
        form.competitor_note,
        client_id=row.client_id,
        noted_on=done_on,
        today=today,
    )
    checker.raise_if_any()
    client = session.get(Client, row.client_id)
    assert client is not None
    require_client_access(viewer, client)
    actor = acting(actor, viewer, client)
    values = {
        "status": "done",
        "kind": kind,
        "done_at": done_on,
        "outcome": details.outcome,
        "notes": details.notes,
        "next_step": details.next_step,
        "next_step_date": details.next_step_date,
    }
    if resubmitted(session, row, entity="visit", expected_version=expected_version, values=values):
        return row
    if row.status != "planned":
        raise ValidationError(
            {
                "status": Msg(
                    "This contact is {status}, not planned; it cannot be marked done.",
                    status=Msg(row.status),
                )
            }
        )
    contact_checks.mark_done(
        session, row, values, viewer=viewer, actor=actor, note=note,
        expected_version=expected_version,
    )  # fmt: skip
    return row


def cancel_planned(
    session: Session,
    *,
    viewer: Viewer,
    actor: audit.Actor,
    visit_id: int,
    expected_version: int,
    reason: str | None = None,
) -> Visit:
    """Cancel a planned contact; the optional reason becomes its outcome."""
    require_writer(viewer)
    row = _load_visit(session, visit_id)
    checker = Checker()
    why = checker.text("reason", reason, label=N_("Reason"), max_length=column_length(Visit.outcome))
    checker.raise_if_any()
    client = session.get(Client, row.client_id)
    assert client is not None
    require_client_access(viewer, client)
    actor = acting(actor, viewer, client)
    values = {"status": "cancelled", "outcome": why}
    if resubmitted(session, row, entity="visit", expected_version=expected_version, values=values):
        return row
    if row.status != "planned":
        raise ValidationError(
            {
                "status": Msg(
                    "This contact is {status}, not planned; it cannot be cancelled.",
                    status=Msg(row.status),
                )
            }
        )
    before = values_of(row, ("status", "outcome", "version"))
    if update_versioned(
        session, row, entity="visit", expected_version=expected_version, values=values
    ):
        audit.record(
            session,
            actor=actor,
            entity="visit",
            entity_id=row.id,
            action="cancel",
            before=before,
            after=values_of(row, ("status", "outcome", "version")) | {"reason": why},
        )
    return row
