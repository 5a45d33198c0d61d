"""Visits and calls: log a contact, plan a week, complete or cancel a planned contact, the week
grid, coverage of A/B/C clients and the client picker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import ColumnElement, case, false, func, or_, select
from sqlalchemy.orm import Session

from kam import portfolio
from kam.activities import competitors
from kam.activities.competitors import CheckedNote, NoteForm
from kam.core import audit, clock, config
from kam.core.access import Viewer
from kam.core.db import is_sqlite
from kam.core.i18n import Msg
from kam.core.models import VISIT_KINDS, Client, Manager, Visit
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

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEK_COLUMNS = [
    "visit_id",
    "version",
    "day",
    "weekday",
    "manager_id",
    "manager_code",
    "client_id",
    "client_code",
    "client_name",
    "kind",
    "status",
    "planned_for",
    "done_at",
    "outcome",
    "notes",
    "next_step",
    "next_step_date",
    "overdue",
]
COVERAGE_COLUMNS = ["abc_class", "days", "clients", "contacted", "share_pct"]
NOT_CONTACTED_COLUMNS = [
    "client_id",
    "client_code",
    "client_name",
    "manager_id",
    "abc_class",
    "last_contact",
    "days_since",
]
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


@dataclass(frozen=True)
class ClientChoice:
    """A client offered by the picker; ``own`` when it is in the viewer's portfolio."""

    id: int
    code: str
    name: str
    own: bool


@dataclass(frozen=True)
class Coverage:
    """Per ABC class the share of clients contacted recently, and who was not."""

    summary: pd.DataFrame  # COVERAGE_COLUMNS, rows A, B, C
    not_contacted: pd.DataFrame  # NOT_CONTACTED_COLUMNS


@dataclass(frozen=True)
class _Details:
    outcome: str | None
    notes: str | None
    next_step: str | None
    next_step_date: dt.date | None


def week_of(day: dt.date) -> list[dt.date]:
    """Monday to Sunday of the week containing ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return [monday + dt.timedelta(days=i) for i in range(7)]


def _client(session: Session, checker: Checker, field: str, client_id: int | None) -> Client | None:
    cid = checker.identifier(field, client_id, label="Client")
    if cid is None:
        return None
    client = session.get(Client, cid)
    if client is None:
        checker.add(field, Msg("There is no client with id {id}.", id=cid))
    return client


def _manager_for(
    session: Session, checker: Checker, viewer: Viewer, requested: int | None, client: Client
) -> int:
    """Who makes the contact: a KAM himself; for the head the chosen manager or the client's."""
    if viewer.role == "kam":
        if requested is not None and requested != viewer.manager_id:
            checker.add("manager_id", "You can log and plan contacts only for yourself.")
        return viewer.manager_id or client.manager_id
    if requested is None:
        return client.manager_id
    if session.get(Manager, requested) is None:
        checker.add("manager_id", Msg("There is no manager with id {id}.", id=requested))
    return requested


def _details(
    checker: Checker,
    form: ContactForm | CompletionForm,
    *,
    today: dt.date,
    done_on: dt.date | None,
) -> _Details:
    outcome = checker.text(
        "outcome", form.outcome, label="Outcome", max_length=column_length(Visit.outcome)
    )
    notes = checker.text("notes", form.notes, label="Notes", max_length=column_length(Visit.notes))
    next_step = checker.text(
        "next_step", form.next_step, label="Next step", max_length=column_length(Visit.next_step)
    )
    next_date = checker.planned_date(
        "next_step_date", form.next_step_date, label="Next step date", today=today, required=False
    )
    if next_date is not None and done_on is not None and next_date < done_on:
        checker.add(
            "next_step_date",
            Msg(
                "Next step date {next} is before the contact's date {done}.",
                next=next_date.isoformat(),
                done=done_on.isoformat(),
            ),  # fmt: skip
        )
    return _Details(outcome, notes, next_step, next_date)


def _note(
    session: Session,
    checker: Checker,
    form: NoteForm | None,
    *,
    client_id: int | None,
    noted_on: dt.date | None,
    today: dt.date,
) -> CheckedNote | None:
    if form is None:
        return None
    # A note taken during the visit is about the visit's client and day unless it says otherwise.
    form = replace(
        form,
        client_id=form.client_id if form.client_id is not None else client_id,
        noted_on=form.noted_on or noted_on,
    )
    return competitors.check_note(session, form, checker, today=today, prefix="competitor_note.")


def log_contact(
    session: Session,
    *,
    viewer: Viewer,
    actor: audit.Actor,
    form: ContactForm,
    today: dt.date | None = None,
) -> Visit:
    """Save a done contact (and its competitor note); a resubmit with the same key returns the first."""
    require_writer(viewer)
    today = today or clock.today()
    checker = Checker()
    client = _client(session, checker, "client_id", form.client_id)
    kind = checker.choice("kind", form.kind, label="Kind", choices=VISIT_KINDS)
    done_on = checker.past_date("done_on", form.done_on or today, label="Date", today=today)
    details = _details(checker, form, today=today, done_on=done_on)
    key = checker.idempotency_key(form.idempotency_key)
    note = _note(
        session,
        checker,
        form.competitor_note,
        client_id=form.client_id,
        noted_on=done_on,
        today=today,
    )
    manager_id = _manager_for(session, checker, viewer, form.manager_id, client) if client else None
    checker.raise_if_any()
    assert client is not None and manager_id is not None
    require_client_access(viewer, client)
    actor = acting(actor, viewer, client)
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
        client = _client(session, checker, p + "client_id", item.client_id)
        day = checker.planned_date(
            p + "planned_for", item.planned_for, label="Planned date", today=today
        )
        kind = checker.choice(p + "kind", item.kind, label="Kind", choices=VISIT_KINDS)
        notes = checker.text(
            p + "notes", item.notes, label="Notes", max_length=column_length(Visit.notes)
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
        checked.append(
            (client, day, kind, notes, _manager_for(session, checker, viewer, manager_id, client))
        )
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
    kind = checker.choice("kind", form.kind or row.kind, label="Kind", choices=VISIT_KINDS)
    done_on = checker.past_date("done_on", form.done_on or today, label="Date", today=today)
    details = _details(checker, form, today=today, done_on=done_on)
    note = _note(
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
    why = checker.text("reason", reason, label="Reason", max_length=column_length(Visit.outcome))
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


def _as_date(value: dt.date | str | None) -> dt.date | None:
    # SQLite hands a CASE over date columns back as ISO text.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def week_grid(
    session: Session,
    *,
    viewer: Viewer,
    week_start: dt.date,
    manager_id: int | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Visible contacts of the week containing ``week_start``, Monday to Sunday (WEEK_COLUMNS);
    done ones on their done day, others on their planned day; ``overdue``: planned, day passed."""
    days = week_of(week_start)
    today = today or clock.today()
    day = case(
        (Visit.status == "done", func.coalesce(Visit.done_at, Visit.planned_for)),
        else_=Visit.planned_for,
    )
    query = (
        select(
            Visit.id,
            Visit.version,
            day,
            Visit.manager_id,
            Manager.code,
            Visit.client_id,
            Client.code,
            Client.name,
            Visit.kind,
            Visit.status,
            Visit.planned_for,
            Visit.done_at,
            Visit.outcome,
            Visit.notes,
            Visit.next_step,
            Visit.next_step_date,
        )
        .join(Client, Client.id == Visit.client_id)
        .join(Manager, Manager.id == Visit.manager_id)
        .where(day.between(days[0], days[-1]), viewer.client_condition())
        .order_by(day, Manager.code, Client.code, Visit.id)
    )
    if manager_id is not None:
        query = query.where(Visit.manager_id == manager_id)
    rows = []
    for r in session.execute(query):
        on = _as_date(r[2])
        assert on is not None
        overdue = r.status == "planned" and on < today
        rows.append((r[0], r[1], on, WEEKDAYS[on.weekday()], *r[3:], overdue))
    return pd.DataFrame(rows, columns=WEEK_COLUMNS)


def coverage(
    session: Session,
    *,
    viewer: Viewer,
    as_of: dt.date,
    manager_id: int | None = None,
    classes: Mapping[int, str] | None = None,
) -> Coverage:
    """Per ABC class the share of visible, not lost clients with a done contact at most
    coverage_days_a/b/c days before ``as_of``, and the others; classes default to abc_xyz."""
    if classes is None:
        abc = portfolio.abc_xyz(session, viewer=viewer, as_of=as_of, manager_id=manager_id)
        classes = dict(zip(abc["client_id"], abc["abc_class"], strict=True))
    settings = config.settings()
    limits = {
        "A": settings.coverage_days_a,
        "B": settings.coverage_days_b,
        "C": settings.coverage_days_c,
    }
    last = (
        select(Visit.client_id, func.max(Visit.done_at).label("last_contact"))
        .where(Visit.status == "done", Visit.done_at <= as_of)
        .group_by(Visit.client_id)
        .subquery()
    )
    query = (
        select(Client.id, Client.code, Client.name, Client.manager_id, last.c.last_contact)
        .outerjoin(last, last.c.client_id == Client.id)
        .where(viewer.client_condition(), Client.status != "lost")
        .order_by(Client.code)
    )
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    counts = {cls: [0, 0] for cls in limits}
    missing = []
    for cid, code, name, mid, last_contact in session.execute(query):
        cls = classes.get(cid)
        if cls not in limits:
            continue
        on = _as_date(last_contact)
        days_since = None if on is None else (as_of - on).days
        counts[cls][0] += 1
        if days_since is not None and days_since <= limits[cls]:
            counts[cls][1] += 1
        else:
            missing.append((cid, code, name, mid, cls, on, days_since))
    summary = pd.DataFrame(
        [
            (cls, limits[cls], n, done, None if n == 0 else round(done * 100 / n, 1))
            for cls, (n, done) in counts.items()
        ],
        columns=COVERAGE_COLUMNS,
    )
    # Never contacted first, then the longest silence, within each class.
    missing.sort(key=lambda m: (m[4], m[6] is not None, -(m[6] or 0), m[1]))
    not_contacted = pd.DataFrame(missing, columns=NOT_CONTACTED_COLUMNS)
    not_contacted["days_since"] = not_contacted["days_since"].astype("Int64")
    return Coverage(summary, not_contacted)


def overdue_planned(
    session: Session, *, viewer: Viewer, today: dt.date | None = None, manager_id: int | None = None
) -> pd.DataFrame:
    """Visible planned contacts dated before today, oldest first (WEEK_COLUMNS)."""
    today = today or clock.today()
    query = (
        select(Visit.planned_for)
        .join(Client, Client.id == Visit.client_id)
        .where(Visit.status == "planned", Visit.planned_for < today, viewer.client_condition())
    )
    if manager_id is not None:
        query = query.where(Visit.manager_id == manager_id)
    weeks = sorted({week_of(d)[0] for (d,) in session.execute(query)})
    frames = [
        week_grid(session, viewer=viewer, week_start=w, manager_id=manager_id, today=today)
        for w in weeks
    ]
    if not frames:
        return pd.DataFrame(columns=WEEK_COLUMNS)
    grid = pd.concat(frames, ignore_index=True)
    return grid[grid["overdue"]].reset_index(drop=True)


def _lower(session: Session) -> Callable[[ColumnElement[str]], ColumnElement[str]]:
    """SQL lower() that also folds Cyrillic and other scripts on SQLite (whose own is ASCII-only)."""
    if not is_sqlite(session):
        return func.lower
    raw = session.connection().connection.driver_connection
    raw.create_function(
        "kam_lower", 1, lambda s: None if s is None else s.lower(), deterministic=True
    )
    return func.kam_lower


def client_search(
    session: Session, *, viewer: Viewer, text: str, limit: int = 20
) -> list[ClientChoice]:
    """Visible clients whose code or name contains ``text`` in any case: own clients first,
    then codes starting with it, then by code."""
    needle = " ".join((text or "").split()).lower()
    lower = _lower(session)
    own = Client.manager_id == viewer.manager_id if viewer.manager_id is not None else false()
    query = select(Client.id, Client.code, Client.name, own).where(viewer.client_condition())
    order = [case((own, 0), else_=1)]
    if needle:
        query = query.where(
            or_(
                lower(Client.code).contains(needle, autoescape=True),
                lower(Client.name).contains(needle, autoescape=True),
            )
        )
        order.append(case((lower(Client.code).startswith(needle, autoescape=True), 0), else_=1))
    query = query.order_by(*order, Client.code).limit(limit)
    return [
        ClientChoice(cid, code, name, bool(is_own))
        for cid, code, name, is_own in session.execute(query)
    ]
