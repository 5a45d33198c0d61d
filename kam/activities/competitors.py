"""Competitor notes: add one (creating the competitor by name if new), and the competitor picker
(the feed and its summaries are in kam.activities.competitor_feed)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kam.core import audit, clock, collation
from kam.core.access import Viewer
from kam.core.db import is_sqlite
from kam.core.i18n import N_, Msg
from kam.core.models import NOTE_KINDS, Client, Competitor, CompetitorNote, Product
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
    # A product of the catalogue (its category comes with it); ``product`` is typed text only,
    # for what the catalogue does not have, and ``category`` one of the catalogue's.
    product_id: int | None = None


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
    product_id: int | None = None


def name_key(name: str) -> str:
    """The competitor name as sorted: Russian alphabetical order, case aside
    (kam.core.collation)."""
    return collation.name_key(name)


def name_words(name: str) -> tuple[str, ...]:
    """The words of a competitor name, case and punctuation aside: "METRO Cash & Carry" and
    "Metro Cash&Carry" both give (metro, cash, carry)."""
    return tuple(re.findall(r"[^\W_]+", name.casefold()))


def name_match(typed: str, known: str) -> int | None:
    """How closely ``typed`` names the competitor ``known``: 0 the same name (words, or the
    letters run together, equal), 1 one name's words begin the other's ("Metro" and "Metro
    Cash&Carry"), None not close."""
    a, b = name_words(typed), name_words(known)
    if not a or not b:
        return None
    if a == b or "".join(a) == "".join(b):
        return 0
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return 1 if longer[: len(shorter)] == shorter else None


def matching_competitors(
    known: list[tuple[int, str]], typed: str
) -> list[tuple[int, str]]:
    """The competitors of ``known`` (id, name) that ``typed`` names closely, closest first."""
    ranked = [(rank, name_key(name), cid, name) for cid, name in known
              if (rank := name_match(typed, name)) is not None]  # fmt: skip
    return [(cid, name) for _, _, cid, name in sorted(ranked)]


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
        label=N_("Competitor name"),
        max_length=column_length(Competitor.name),
    )
    if form.competitor_id is not None:
        cid = checker.identifier(f"{p}competitor_id", form.competitor_id, label=N_("Competitor"))
        competitor = session.get(Competitor, cid) if cid else None
        if cid and competitor is None:
            checker.add(f"{p}competitor_id", Msg("There is no competitor with id {id}.", id=cid))
    elif name is None:
        checker.add(f"{p}competitor_id", "Pick a competitor or type a new name.")
    else:
        competitor = _close_competitor(session, checker, f"{p}competitor_name", name)
    client = None
    if form.client_id is not None:
        client_id = checker.identifier(f"{p}client_id", form.client_id, label=N_("Client"))
        client = session.get(Client, client_id) if client_id else None
        if client_id and client is None:
            checker.add(f"{p}client_id", Msg("There is no client with id {id}.", id=client_id))
    category = checker.text(
        f"{p}category",
        form.category,
        label=N_("Category"),
        max_length=column_length(CompetitorNote.category),
    )
    product = checker.text(
        f"{p}product",
        form.product,
        label=N_("Product"),
        max_length=column_length(CompetitorNote.product),
    )
    product_id, category = _check_catalogue(
        session, checker, p, form.product_id, category, typed=product
    )
    their = checker.amount(
        f"{p}their_price", form.their_price, label=N_("Their price"), column=CompetitorNote.their_price
    )
    ours = checker.amount(
        f"{p}our_price", form.our_price, label=N_("Our price"), column=CompetitorNote.our_price
    )
    if (their is not None or ours is not None) and not (category or product or product_id):
        checker.add(f"{p}product", "A price needs the product or category it is for.")
    kind = checker.choice(f"{p}kind", form.kind, label=N_("Kind"), choices=NOTE_KINDS)
    body = checker.text(
        f"{p}text",
        form.text,
        label=N_("Text"),
        max_length=column_length(CompetitorNote.text),
        required=True,
    )
    noted_on = checker.past_date(f"{p}noted_on", form.noted_on or today, label=N_("Date"), today=today)
    key = checker.text(
        f"{p}idempotency_key",
        form.idempotency_key,
        label=N_("Form key"),
        max_length=column_length(CompetitorNote.idempotency_key),
    )
    if len(checker.problems) > before:
        return None
    assert kind is not None and body is not None and noted_on is not None
    return CheckedNote(
        competitor, name, client, category, product, their, ours, kind, body, noted_on, key,
        product_id,
    )  # fmt: skip


def _check_catalogue(
    session: Session,
    checker: Checker,
    p: str,
    product_id: int | None,
    category: str | None,
    *,
    typed: str | None,
) -> tuple[int | None, str | None]:
    # One rule for every note: the category is the catalogue's (a product brings its own), so
    # price gaps by category count every note that names either.
    if product_id is not None:
        pid = checker.identifier(f"{p}product_id", product_id, label=N_("Product"))
        found = session.get(Product, pid) if pid else None
        if pid and found is None:
            checker.add(f"{p}product_id", Msg("There is no product with id {id}.", id=pid))
        if typed is not None:
            checker.add(f"{p}product", "Pick a product of the catalogue or type one, not both.")
        return (found.id, found.category or category) if found else (None, category)
    if category is None:
        return None, None
    known = session.scalars(
        select(Product.category).where(Product.category.is_not(None)).distinct()
    ).all()
    if not known:  # nothing imported yet: no catalogue to hold the category to
        return None, category
    same = next((c for c in known if c.casefold() == category.casefold()), None)
    if same is None:
        checker.add(
            f"{p}category",
            Msg("There is no category “{category}” in the catalogue; pick one, or type the "
                "product instead.", category=category),
        )  # fmt: skip
    return None, same


def _close_competitor(
    session: Session, checker: Checker, field: str, typed: str
) -> Competitor | None:
    # A typed name that closely matches one competitor is that competitor: "Metro" never makes
    # a second "Metro Cash&Carry". Several close ones and no exact one: the person picks.
    found = matching_competitors(competitors(session), typed)
    exact = [c for c in found if name_match(typed, c[1]) == 0]
    if exact or len(found) == 1:
        return session.get(Competitor, (exact or found)[0][0])
    if found:
        checker.add(
            field,
            Msg("“{typed}” could be {names}; pick one of them.", typed=typed,
                names=", ".join(n for _, n in found)),
        )  # fmt: skip
    return None


def _find_by_name(session: Session, name: str) -> Competitor | None:
    # Compared in Python: SQLite's lower() knows only ASCII, and the list is a few dozen names.
    for row in session.scalars(select(Competitor).order_by(Competitor.id)):
        if name_match(name, row.name) == 0:
            return row
    return None


def competitor_by_name(session: Session, *, actor: audit.Actor, name: str) -> Competitor:
    """The competitor called ``name``, case and punctuation aside; created (and audited) when
    there is none."""
    found = _find_by_name(session, name)
    if found is not None:
        return found
    if not is_sqlite(session):
        # SQLite writers are already serialised by BEGIN IMMEDIATE; on PostgreSQL two managers
        # typing "FoodLine" and "foodline" at once would both miss, so queue them and look again.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": NEW_COMPETITOR_LOCK})
        found = _find_by_name(session, name)
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
            product_id=note.product_id,
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


def most_noted(session: Session, *, limit: int = 4) -> list[tuple[int, str]]:
    """The competitors with the most notes, most first (ties by name), as (id, name): the ones
    offered for a single tap in the note form."""
    notes = func.count(CompetitorNote.id)
    query = (
        select(Competitor.id, Competitor.name)
        .join(CompetitorNote, CompetitorNote.competitor_id == Competitor.id)
        .group_by(Competitor.id, Competitor.name)
        .order_by(notes.desc(), Competitor.name)
        .limit(limit)
    )
    return [(cid, name) for cid, name in session.execute(query)]
