"""What the quick forms offer to pick from: the products a client bought (for a claim) and the
catalogue's categories and products (for a competitor note)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kam.core.access import Viewer
from kam.core.collation import name_key
from kam.core.models import Client, Product, SalesLine


@dataclass(frozen=True)
class ProductChoice:
    """A product as a picker offers it, with the unit its quantities count."""

    id: int
    sku: str
    name: str
    category: str | None
    unit: str | None


@dataclass(frozen=True)
class Catalogue:
    """The catalogue's categories (by name) and products (by name)."""

    categories: tuple[str, ...]
    products: tuple[ProductChoice, ...]


def purchased_products(
    session: Session, *, viewer: Viewer, client_id: int
) -> tuple[ProductChoice, ...]:
    """The products ``client_id`` was ever sold, the most recently bought first (empty for a
    client outside the viewer's portfolio)."""
    last = func.max(SalesLine.doc_date)
    rows = session.execute(
        select(Product.id, Product.sku, Product.name, Product.category, Product.unit)
        .join(SalesLine, SalesLine.product_id == Product.id)
        .join(Client, Client.id == SalesLine.client_id)
        .where(SalesLine.client_id == client_id, SalesLine.kind == "sale",
               viewer.client_condition())
        .group_by(Product.id, Product.sku, Product.name, Product.category, Product.unit)
        .order_by(last.desc(), Product.name)
    ).all()  # fmt: skip
    return tuple(ProductChoice(*r) for r in rows)


def catalogue(session: Session) -> Catalogue:
    """Every category and product of the catalogue, for the competitor-note picker."""
    rows = session.execute(
        select(Product.id, Product.sku, Product.name, Product.category, Product.unit)
    ).all()  # fmt: skip
    # Russian alphabetical order, which no database's default collation gives.
    products = tuple(
        sorted((ProductChoice(*r) for r in rows), key=lambda p: (name_key(p.name), p.sku))
    )
    categories = tuple(sorted({p.category for p in products if p.category}, key=name_key))
    return Catalogue(categories, products)
