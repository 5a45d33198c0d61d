"""Competitor notes: add one (creating the competitor by name if new), and the competitor picker
(the feed and its summaries are in kam.activities.competitor_feed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kam.core import audit, clock
from kam.core.access import Viewer
from kam.core.db import is_sqlite
from kam.core.i18n import Msg
from kam.core.models import NOTE_KINDS, Client, Competitor, CompetitorNote
from kam.core.validation import Checker, column_length
from kam.core.writes import acting, insert_once, require_client_access, require_writer, values_of

NEW_COMPETITOR_LOCK = 744202  # advisory lock id; kam.migrations uses 744201


@dataclass(frozen=True)
class NoteForm:
    """What a manager typed about a competitor; pick ``competitor_id`` or type ``competitor_name``."""

    text: str | None = None
    competitor_id: int | None = None
    competitor_name: str | None = None
    client_id: int | None = None
    category: str | None = None
    product: str | None = None
    their_price: Decimal | int | float | str | None = None
    our_price: Decimal | int | float | str | None = None
    kind: str | None = "other"
    noted_on: dt.date | None = None  # today when empty
    idempotency_key: str | None = None


@dataclass(frozen=True)
class CheckedNote:
    """A note's values after validation, ready to save."""

    competitor: Competitor | None
    competitor_name: str | None
    client: Client | None
    category: str | None
    product: str | None
    their_price: Decimal | None
    our_price: Decimal | None
    kind: str
    text: str
    noted_on: dt.date
    idempotency_key: str | None


def name_key(name: str) -> str:
    """The competitor name as compared: inner whitespace collapsed, case folded (any script)."""
    return " ".join(name.split()).casefold()


def check_note(
    session: Session, form: NoteForm, checker: Checker, *, today: dt.date, prefix: str = ""
) -> CheckedNote | None:
    """Validate ``form`` into ``checker`` (field names after ``prefix``); None when it has problems."""
    before = len(checker.problems)
    p = prefix
    competitor = None
    name = checker.text(
        f"{p}competitor_name",
        form.competitor_name,
        label="Competitor name",
        max_length=column_length(Competitor.name),
    )
    if form.competitor_id is not None:
        cid = checker.identifier(f"{p}competitor_id", form.competitor_id, label="Competitor")
        competitor = session.get(Competitor, cid) if cid else None
        if cid and competitor is None:
            checker.add(f"{p}competitor_id", Msg("There is no competitor with id {id}.", id=cid))
    elif name is None:
        checker.add(f"{p}competitor_id", "Pick a competitor or type a new name.")
    client = None
    if form.client_id is not None:
        client_id = checker.identifier(f"{p}client_id", form.client_id, label="Client")
        client = session.get(Client, client_id) if client_id else None
        if client_id and client is None:
            checker.add(f"{p}client_id", Msg("There is no client with id {id}.", id=client_id))
    category = checker.text(
        f"{p}category",
        form.category,
        label="Category",
        max_length=column_length(CompetitorNote.category),
    )
    product = checker.text(
        f"{p}product",
        form.product,
        label="Product",
        max_length=column_length(CompetitorNote.product),
    )
    their = checker.amount(
        f"{p}their_price", form.their_price, label="Their price", column=CompetitorNote.their_price
    )
    ours = checker.amount(
        f"{p}our_price", form.our_price, label="Our price", column=CompetitorNote.our_price
    )
    if (their is not None or ours is not None) and category is None and product is None:
        checker.add(f"{p}product", "A price needs the product or category it is for.")
    kind = checker.choice(f"{p}kind", form.kind, label="Kind", choices=NOTE_KINDS)
    body = checker.text(
        f"{p}text",
        form.text,
        label="Text",
        max_length=column_length(CompetitorNote.text),
        required=True,
    )
    noted_on = checker.past_date(f"{p}noted_on", form.noted_on or today, label="Date", today=today)
    key = checker.text(
        f"{p}idempotency_key",
        form.idempotency_key,
        label="Form key",
        max_length=column_length(CompetitorNote.idempotency_key),
    )
    if len(checker.problems) > before:
        return None
    assert kind is not None and body is not None and noted_on is not None
    return CheckedNote(
        competitor, name, client, category, product, their, ours, kind, body, noted_on, key
    )


def _find_by_name(session: Session, key: str) -> Competitor | None:
    # Folded in Python: SQLite's lower() knows only ASCII, and the list is a few dozen names.
    for row in session.scalars(select(Competitor).order_by(Competitor.id)):
        if name_key(row.name) == key:
            return row
    return None


def competitor_by_name(session: Session, *, actor: audit.Actor, name: str) -> Competitor:
    """The competitor called ``name`` in any case; created (and audited) when there is none."""
    key = name_key(name)
    found = _find_by_name(session, key)
    if found is not None:
        return found
    if not is_sqlite(session):
        # SQLite writers are already serialised by BEGIN IMMEDIATE; on PostgreSQL two managers
        # typing "FoodLine" and "foodline" at once would both miss, so queue them and look again.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": NEW_COMPETITOR_LOCK})
        found = _find_by_name(session, key)
        if found is not None:
            return found
    row = Competitor(name=name)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # the same spelling saved meanwhile (a PostgreSQL race)
        return session.scalars(select(Competitor).where(Competitor.name == name)).one()
    audit.record(
        session,
        actor=actor,
        entity="competitor",
        entity_id=row.id,
        action="create",
        after=values_of(row),
    )
    return row


def save_note(
    session: Session,
    *,
    viewer: Viewer,
    actor: audit.Actor,
    note: CheckedNote,
    visit_id: int | None = None,
) -> CompetitorNote:
    """Save a validated note once per idempotency key, with its audit row."""
    if note.client is not None:
        require_client_access(viewer, note.client)
        actor = acting(actor, viewer, note.client)
    else:
        require_writer(viewer)
    author_id = viewer.manager_id or actor.id
    if author_id is None:
        raise PermissionError("A competitor note needs an author: sign in as a manager.")
    if note.idempotency_key is not None:
        # A resubmitted form must not create the competitor it typed a second time either.
        existing = session.scalars(
            select(CompetitorNote).where(CompetitorNote.idempotency_key == note.idempotency_key)
        ).one_or_none()
        if existing is not None:
            return existing
    competitor = note.competitor or competitor_by_name(
        session, actor=actor, name=note.competitor_name or ""
    )
    row, created = insert_once(
        session,
        CompetitorNote(
            noted_on=note.noted_on,
            author_id=author_id,
            client_id=note.client.id if note.client else None,
            competitor_id=competitor.id,
            category=note.category,
            product=note.product,
            their_price=note.their_price,
            our_price=note.our_price,
            kind=note.kind,
            text=note.text,
            visit_id=visit_id,
            idempotency_key=note.idempotency_key,
        ),
    )
    if created:
        audit.record(
            session,
            actor=actor,
            entity="competitor_note",
            entity_id=row.id,
            action="create",
            after=values_of(row),
        )
    return row


def add_note(
    session: Session,
    *,
    viewer: Viewer,
    actor: audit.Actor,
    form: NoteForm,
    visit_id: int | None = None,
    today: dt.date | None = None,
) -> CompetitorNote:
    """Validate and save a competitor note; a second submit with the same key returns the first."""
    require_writer(viewer)
    checker = Checker()
    note = check_note(session, form, checker, today=today or clock.today())
    checker.raise_if_any()
    assert note is not None
    return save_note(session, viewer=viewer, actor=actor, note=note, visit_id=visit_id)


def competitors(session: Session) -> list[tuple[int, str]]:
    """Every competitor as (id, name), by name, for the picker."""
    rows = session.execute(select(Competitor.id, Competitor.name)).all()
    return sorted(((cid, name) for cid, name in rows), key=lambda r: name_key(r[1]))
