"""The competitor notes feed a viewer may see and what it adds up to: price gaps per competitor,
notes per month, and the feed's filter choices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from kam.activities.competitors import name_key
from kam.core.access import Viewer
from kam.core.models import Client, Competitor, CompetitorNote, Manager, Product
from kam.core.sqlfn import month_start

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
    "product_typed",  # True when ``product`` is typed text, not a product of the catalogue
]
GAP_COLUMNS = ["competitor_id", "competitor", "notes", "avg_gap_pct", "min_gap_pct", "max_gap_pct"]
MONTH_COLUMNS = ["competitor_id", "competitor", "month", "notes"]


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
            func.coalesce(Product.name, CompetitorNote.product),
            CompetitorNote.their_price,
            CompetitorNote.our_price,
            CompetitorNote.kind,
            CompetitorNote.text,
            CompetitorNote.author_id,
            author.name,
            CompetitorNote.visit_id,
            and_(CompetitorNote.product_id.is_(None), CompetitorNote.product.is_not(None)),
        )
        .join(Competitor, Competitor.id == CompetitorNote.competitor_id)
        .outerjoin(Product, Product.id == CompetitorNote.product_id)
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
    rows = [
        (*r[:11], price_gap_pct(r[9], r[10]), *r[11:-1], bool(r[-1])) for r in session.execute(query)
    ]
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
    # Russian alphabetical order, which no database's default collation gives.
    rows.sort(key=lambda r: name_key(r[1]))
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
        authors=tuple(sorted(((i, c, n) for i, c, n in authors), key=lambda r: name_key(r[2]))),
    )
