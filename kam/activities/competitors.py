"""Competitor notes: add one (creating the competitor by name if new), the feed and summaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import ColumnElement, func, or_, select, text, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from kam.core import audit, clock
from kam.core.access import Viewer
from kam.core.db import is_sqlite
from kam.core.i18n import Msg
from kam.core.models import NOTE_KINDS, Client, Competitor, CompetitorNote, Manager
from kam.core.sqlfn import month_start
from kam.core.validation import Checker, column_length
from kam.core.writes import acting, insert_once, require_client_access, require_writer, values_of

FEED_COLUMNS = [
    "note_id",
    "noted_on",
    "competitor_id",
    "competitor",
    "client_id",
    "client_code",
    "client_name",
    "category",
    "product",
    "their_price",
    "our_price",
    "price_gap_pct",
    "kind",
    "text",
    "author_id",
    "author",
    "visit_id",
]
GAP_COLUMNS = ["competitor_id", "competitor", "notes", "avg_gap_pct", "min_gap_pct", "max_gap_pct"]
MONTH_COLUMNS = ["competitor_id", "competitor", "month", "notes"]
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


def _visible(viewer: Viewer) -> ColumnElement[bool]:
    # Market notes without a client are for everyone; client notes follow the portfolio.
    if viewer.sees_all:
        return true()
    return or_(
        CompetitorNote.client_id.is_(None),
        CompetitorNote.client_id.in_(select(Client.id).where(viewer.client_condition())),
    )


def price_gap_pct(their: Decimal | None, ours: Decimal | None) -> float | None:
    """How much dearer (+) or cheaper (−) the competitor is than we are, in % of our price."""
    if their is None or ours is None or ours <= 0:
        return None
    return float(((Decimal(their) - Decimal(ours)) * 100 / Decimal(ours)).quantize(Decimal("0.1")))


def _filters(
    *,
    viewer: Viewer,
    competitor_id: int | None,
    client_id: int | None,
    category: str | None,
    author_id: int | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> list[ColumnElement[bool]]:
    out = [_visible(viewer)]
    if competitor_id is not None:
        out.append(CompetitorNote.competitor_id == competitor_id)
    if client_id is not None:
        out.append(CompetitorNote.client_id == client_id)
    if category:
        out.append(CompetitorNote.category == category)
    if author_id is not None:
        out.append(CompetitorNote.author_id == author_id)
    if date_from is not None:
        out.append(CompetitorNote.noted_on >= date_from)
    if date_to is not None:
        out.append(CompetitorNote.noted_on <= date_to)
    return out


def notes_feed(
    session: Session,
    *,
    viewer: Viewer,
    competitor_id: int | None = None,
    client_id: int | None = None,
    category: str | None = None,
    author_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int = 500,
) -> pd.DataFrame:
    """Visible competitor notes matching the filters, newest first (columns FEED_COLUMNS)."""
    author = aliased(Manager)
    query = (
        select(
            CompetitorNote.id,
            CompetitorNote.noted_on,
            CompetitorNote.competitor_id,
            Competitor.name,
            CompetitorNote.client_id,
            Client.code,
            Client.name,
            CompetitorNote.category,
            CompetitorNote.product,
            CompetitorNote.their_price,
            CompetitorNote.our_price,
            CompetitorNote.kind,
            CompetitorNote.text,
            CompetitorNote.author_id,
            author.name,
            CompetitorNote.visit_id,
        )
        .join(Competitor, Competitor.id == CompetitorNote.competitor_id)
        .join(author, author.id == CompetitorNote.author_id)
        .outerjoin(Client, Client.id == CompetitorNote.client_id)
        .where(
            *_filters(
                viewer=viewer,
                competitor_id=competitor_id,
                client_id=client_id,
                category=category,
                author_id=author_id,
                date_from=date_from,
                date_to=date_to,
            )
        )
        .order_by(CompetitorNote.noted_on.desc(), CompetitorNote.id.desc())
        .limit(limit)
    )
    rows = [(*r[:11], price_gap_pct(r[9], r[10]), *r[11:]) for r in session.execute(query)]
    return pd.DataFrame(rows, columns=FEED_COLUMNS)


def price_gaps(
    session: Session,
    *,
    viewer: Viewer,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    category: str | None = None,
) -> pd.DataFrame:
    """Per competitor, over notes giving both prices: how many and the average, least and
    largest gap in % of our price (+ = they are dearer); columns GAP_COLUMNS."""
    gap = (CompetitorNote.their_price - CompetitorNote.our_price) * 100.0 / CompetitorNote.our_price
    query = (
        select(
            Competitor.id,
            Competitor.name,
            func.count(),
            func.avg(gap),
            func.min(gap),
            func.max(gap),
        )
        .join(Competitor, Competitor.id == CompetitorNote.competitor_id)
        .where(
            CompetitorNote.their_price.is_not(None),
            CompetitorNote.our_price > 0,
            *_filters(
                viewer=viewer,
                competitor_id=None,
                client_id=None,
                category=category,
                author_id=None,
                date_from=date_from,
                date_to=date_to,
            ),
        )
        .group_by(Competitor.id, Competitor.name)
        .order_by(Competitor.name)
    )

    def pct(value: object) -> float:
        """A database average or extreme as a percentage with one decimal."""
        return round(float(value), 1)  # type: ignore[arg-type]

    rows = [
        (cid, name, int(n), pct(avg), pct(lo), pct(hi))
        for cid, name, n, avg, lo, hi in session.execute(query)
    ]
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def notes_per_month(
    session: Session,
    *,
    viewer: Viewer,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> pd.DataFrame:
    """Visible notes per competitor and month (first day), months in order; columns MONTH_COLUMNS."""
    month = month_start(CompetitorNote.noted_on)
    query = (
        select(Competitor.id, Competitor.name, month, func.count())
        .join(Competitor, Competitor.id == CompetitorNote.competitor_id)
        .where(
            *_filters(
                viewer=viewer,
                competitor_id=None,
                client_id=None,
                category=None,
                author_id=None,
                date_from=date_from,
                date_to=date_to,
            )
        )
        .group_by(Competitor.id, Competitor.name, month)
        .order_by(month, Competitor.name)
    )
    rows = [
        (cid, name, m if isinstance(m, dt.date) else dt.date.fromisoformat(m), int(n))
        for cid, name, m, n in session.execute(query)
    ]
    return pd.DataFrame(rows, columns=MONTH_COLUMNS)


@dataclass(frozen=True)
class FeedChoices:
    """What the feed can be filtered by, from the visible notes: each list sorted for a picker."""

    competitors: tuple[tuple[int, str], ...]  # (id, name)
    clients: tuple[tuple[int, str, str], ...]  # (id, code, name)
    categories: tuple[str, ...]
    authors: tuple[tuple[int, str, str], ...]  # (id, code, name)


def feed_choices(session: Session, *, viewer: Viewer) -> FeedChoices:
    """The competitors, clients, categories and authors that occur in the viewer's visible notes."""
    visible = _visible(viewer)
    found_competitors = session.execute(
        select(Competitor.id, Competitor.name)
        .where(Competitor.id.in_(select(CompetitorNote.competitor_id).where(visible)))
    ).all()  # fmt: skip
    found_clients = session.execute(
        select(Client.id, Client.code, Client.name)
        .where(Client.id.in_(select(CompetitorNote.client_id).where(visible)))
        .order_by(Client.code)
    ).all()  # fmt: skip
    categories = session.scalars(
        select(CompetitorNote.category)
        .where(visible, CompetitorNote.category.is_not(None))
        .distinct()
        .order_by(CompetitorNote.category)
    ).all()  # fmt: skip
    authors = session.execute(
        select(Manager.id, Manager.code, Manager.name)
        .where(Manager.id.in_(select(CompetitorNote.author_id).where(visible)))
        .order_by(Manager.name)
    ).all()  # fmt: skip
    return FeedChoices(
        competitors=tuple(
            sorted(((i, n) for i, n in found_competitors), key=lambda r: name_key(r[1]))
        ),
        clients=tuple((i, c, n) for i, c, n in found_clients),
        categories=tuple(categories),
        authors=tuple((i, c, n) for i, c, n in authors),
    )
