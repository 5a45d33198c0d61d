"""The data model: typed SQLAlchemy 2.0 declarative tables. Money is Numeric, never float."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kam.core import clock

Money = Numeric(14, 2)
Quantity = Numeric(14, 3)

# The roles a manager may hold; what each may do is kam.core.access.CAPABILITIES.
ROLES = ("kam", "head", "admin")
CLIENT_STATUSES = ("active", "potential", "lost")
SALE_KINDS = ("sale", "return", "refusal")
PLAN_METRICS = ("revenue", "active_clients", "new_clients")
VISIT_KINDS = ("visit", "call", "meeting", "email")
VISIT_STATUSES = ("planned", "done", "cancelled")
CLAIM_KINDS = (
    "shortage",
    "mis_grade",
    "damage",
    "quality",
    "expiry",
    "price",
    "late_delivery",
    "return",
    "refusal",
)
CLAIM_STATUSES = ("open", "in_progress", "resolved", "rejected")
NOTE_KINDS = ("price", "promo", "new_product", "lost_order", "other")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints the same
    way on SQLite and PostgreSQL."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map = {
        Decimal: Money,
        dt.datetime: DateTime(timezone=True),
        dt.date: Date,
        dict[str, Any]: JSON,
    }


def utcnow() -> dt.datetime:
    """Now, timezone-aware UTC."""
    return clock.now()


class Manager(Base):
    """A person who uses the dashboard: a KAM, the head of sales or an admin."""

    __tablename__ = "managers"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role"),
        # Sign-in matches an e-mail in any case, so two may not differ only in case. (The
        # plain unique constraint on email stays: dropping it would rebuild the table on SQLite.)
        Index("uq_managers_email_lower", text("lower(email)"), unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(8), default="kam")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The UI language the person chose (kam.core.i18n.LANGUAGES); empty: not chosen yet.
    language: Mapped[str | None] = mapped_column(String(8))


class Client(Base):
    """A customer of the wholesaler, owned by one manager."""

    __tablename__ = "clients"
    __table_args__ = (
        CheckConstraint(_in("status", CLIENT_STATUSES), name="status"),
        CheckConstraint("credit_limit IS NULL OR credit_limit >= 0", name="credit_limit"),
        CheckConstraint("payment_terms_days >= 0", name="payment_terms"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"), index=True)
    segment: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default="active")
    credit_limit: Mapped[Decimal | None]  # empty = no limit
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=0)
    price_column: Mapped[str | None] = mapped_column(String(50))
    contract_no: Mapped[str | None] = mapped_column(String(64))
    contract_start: Mapped[dt.date | None]
    contract_end: Mapped[dt.date | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    manager: Mapped[Manager] = relationship()


class Contact(Base):
    """A person at a client."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("client_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(254))


class Product(Base):
    """A stock-keeping unit."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(100), index=True)
    unit: Mapped[str | None] = mapped_column(String(16))  # what a quantity counts: pcs, kg, l…


class SalesLine(Base):
    """One line of a shipment, return or refusal document from the ERP (amount signed)."""

    __tablename__ = "sales_lines"
    __table_args__ = (
        UniqueConstraint("doc_no", "line_no"),
        CheckConstraint(_in("kind", SALE_KINDS), name="kind"),
        CheckConstraint("kind = 'sale' OR amount <= 0", name="returns_negative"),
        Index("ix_sales_lines_client_date", "client_id", "doc_date"),
        Index("ix_sales_lines_doc_date", "doc_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_no: Mapped[str] = mapped_column(String(64))
    line_no: Mapped[int] = mapped_column(Integer)
    doc_date: Mapped[dt.date]
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    qty: Mapped[Decimal | None] = mapped_column(Quantity)
    amount: Mapped[Decimal]
    cost: Mapped[Decimal | None]
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))
    kind: Mapped[str] = mapped_column(String(8), default="sale")
    reason: Mapped[str | None] = mapped_column(String(200))


class Invoice(Base):
    """A bill to a client, due on ``due_date``."""

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_invoices_client_due", "client_id", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_no: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    invoice_date: Mapped[dt.date]
    due_date: Mapped[dt.date]
    amount: Mapped[Decimal]
    doc_no: Mapped[str | None] = mapped_column(String(64))


class Payment(Base):
    """Money received from a client, optionally naming the invoice it pays."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_payments_client_date", "client_id", "payment_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_no: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    payment_date: Mapped[dt.date]
    amount: Mapped[Decimal]
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)


class Plan(Base):
    """A monthly target for a manager and metric, optionally for one client (revenue only)."""

    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint(_in("metric", PLAN_METRICS), name="metric"),
        CheckConstraint("target >= 0", name="target"),
        CheckConstraint("client_id IS NULL OR metric = 'revenue'", name="client_revenue_only"),
        # NULLs are distinct in a unique constraint, so the manager-level plan needs its own.
        Index(
            "uq_plans_manager_level",
            "period",
            "manager_id",
            "metric",
            unique=True,
            sqlite_where=text("client_id IS NULL"),
            postgresql_where=text("client_id IS NULL"),
        ),
        Index(
            "uq_plans_client_level",
            "period",
            "manager_id",
            "metric",
            "client_id",
            unique=True,
            sqlite_where=text("client_id IS NOT NULL"),
            postgresql_where=text("client_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[dt.date]  # the first day of the month
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))
    metric: Mapped[str] = mapped_column(String(16))
    target: Mapped[Decimal]
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)


class Visit(Base):
    """A visit, call, meeting or e-mail with a client: planned, done or cancelled."""

    __tablename__ = "visits"
    __table_args__ = (
        CheckConstraint(_in("kind", VISIT_KINDS), name="kind"),
        CheckConstraint(_in("status", VISIT_STATUSES), name="status"),
        Index("ix_visits_manager_planned", "manager_id", "planned_for"),
        Index("ix_visits_client_done", "client_id", "done_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))
    kind: Mapped[str] = mapped_column(String(8))
    planned_for: Mapped[dt.date | None]
    done_at: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(String(10), default="planned")
    outcome: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(String(500))
    next_step_date: Mapped[dt.date | None]
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Claim(Base):
    """A client's complaint about a delivery, moved open → in progress → resolved/rejected."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint(_in("kind", CLAIM_KINDS), name="kind"),
        CheckConstraint(_in("status", CLAIM_STATUSES), name="status"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount"),
        Index("ix_claims_client_status", "client_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))
    opened_on: Mapped[dt.date]
    kind: Mapped[str] = mapped_column(String(16))
    document_ref: Mapped[str | None] = mapped_column(String(64))
    sales_doc_no: Mapped[str | None] = mapped_column(String(64))
    qty: Mapped[Decimal | None] = mapped_column(Quantity)
    amount: Mapped[Decimal | None]
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")
    justified: Mapped[bool | None] = mapped_column(Boolean)
    root_cause: Mapped[str | None] = mapped_column(String(500))  # only for the cause "other"
    resolution: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[dt.date | None]
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    root_cause_code: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("claim_root_causes.code")
    )
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ClaimRootCause(Base):
    """A root cause a claim is closed with; the head extends the list and retires entries."""

    __tablename__ = "claim_root_causes"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(100), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Competitor(Base):
    """A competing supplier seen at our clients."""

    __tablename__ = "competitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class CompetitorNote(Base):
    """What a manager saw or heard of a competitor: a price, a promo, a lost order."""

    __tablename__ = "competitor_notes"
    __table_args__ = (
        CheckConstraint(_in("kind", NOTE_KINDS), name="kind"),
        Index("ix_competitor_notes_noted_on", "noted_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    noted_on: Mapped[dt.date]
    author_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    competitor_id: Mapped[int] = mapped_column(ForeignKey("competitors.id"))
    category: Mapped[str | None] = mapped_column(String(100))
    product: Mapped[str | None] = mapped_column(String(300))
    their_price: Mapped[Decimal | None]
    our_price: Mapped[Decimal | None]
    kind: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # A product from the catalogue; ``product`` then stays empty, as it holds only typed text.
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))


class Delegation(Base):
    """A KAM's portfolio given to another manager from one date to another (both included)."""

    __tablename__ = "delegations"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="window"),
        CheckConstraint("from_manager_id <> to_manager_id", name="not_self"),
        Index("ix_delegations_to_window", "to_manager_id", "starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))
    to_manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    reason: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditLog(Base):
    """One change: who, when, which record, before and after, acting for whom."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"))
    actor: Mapped[str] = mapped_column(String(200))  # a name even for "system" or a CLI user
    acting_for_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


class DataVersion(Base):
    """A single counter bumped by every write; it keys the caches of every server process."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())


# --- Rollups: kept current by kam.sales.rollups in the same transaction as every write. ---


class SalesDay(Base):
    """Net, gross and returns per day, client and credited manager."""

    __tablename__ = "sales_day"
    __table_args__ = (Index("ix_sales_day_manager_day", "manager_id", "day"),)

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"), primary_key=True)
    gross: Mapped[Decimal]
    returns: Mapped[Decimal]  # returns and refusals, negative
    net: Mapped[Decimal]


class SalesMonth(Base):
    """Amounts per month, client, manager, category, kind and reason ('' when none)."""

    __tablename__ = "sales_month"
    __table_args__ = (Index("ix_sales_month_client_month", "client_id", "month"),)

    month: Mapped[dt.date] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    reason: Mapped[str] = mapped_column(String(200), primary_key=True)
    amount: Mapped[Decimal]
    qty: Mapped[Decimal] = mapped_column(Quantity)
    lines: Mapped[int] = mapped_column(Integer)


class FirstSale(Base):
    """Each client's first ever line with a positive amount: it makes the client "new"."""

    __tablename__ = "first_sale"
    __table_args__ = (Index("ix_first_sale_manager_date", "manager_id", "doc_date"),)

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    doc_date: Mapped[dt.date]
    doc_no: Mapped[str] = mapped_column(String(64))
    line_no: Mapped[int] = mapped_column(Integer)
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))


class ForecastBand(Base):
    """How far actuals fell from the plan forecasts in the back-test: the ratio actual ÷ forecast
    that 80 % of months stayed within, per metric, level and working day (kam.plans.bands)."""

    __tablename__ = "forecast_band"

    metric: Mapped[str] = mapped_column(String(32), primary_key=True)
    level: Mapped[str] = mapped_column(String(8), primary_key=True)  # "team" or "manager"
    day: Mapped[int] = mapped_column(Integer, primary_key=True)  # working day of the month
    low: Mapped[float] = mapped_column(Float)
    high: Mapped[float] = mapped_column(Float)
    samples: Mapped[int] = mapped_column(Integer)
    learned_on: Mapped[dt.date]  # the day whose last 12 whole months were replayed


# --- The receivables store: the allocation kept by kam.receivables.store, refreshed in the same
# transaction as every write of invoices or payments. Derived data, rewritten whole: no foreign
# keys, so that it never stands in the way of a change to the ledger it is computed from. ---


class ReceivableDay(Base):
    """A day whose allocation is stored, the last day the same documents stand for it, and the
    ledger it was computed from (counts, last ids and totals of invoices and payments)."""

    __tablename__ = "receivable_day"

    as_of: Mapped[dt.date] = mapped_column(primary_key=True)
    valid_until: Mapped[dt.date | None]  # None: no document after as_of, so any later day
    invoices: Mapped[int] = mapped_column(Integer)
    invoice_max_id: Mapped[int] = mapped_column(Integer)
    invoice_total: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    payments: Mapped[int] = mapped_column(Integer)
    payment_max_id: Mapped[int] = mapped_column(Integer)
    payment_total: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    stored_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReceivableOpen(Base):
    """An invoice with money unpaid on a stored day."""

    __tablename__ = "receivable_open"
    __table_args__ = (Index("ix_receivable_open_as_of_client_id", "as_of", "client_id"),)

    as_of: Mapped[dt.date] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[dt.date]
    unpaid: Mapped[Decimal]


class ReceivableBalance(Base):
    """A client's outstanding and credit balance on a stored day (one of them is 0)."""

    __tablename__ = "receivable_balance"

    as_of: Mapped[dt.date] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outstanding: Mapped[Decimal]
    credit: Mapped[Decimal]


class ReceivablePaid(Base):
    """Money of a client's payments of one date that paid invoices by a stored day, in the 12
    months up to it: the amount and Σ amount × days late (payment discipline)."""

    __tablename__ = "receivable_paid"

    as_of: Mapped[dt.date] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_date: Mapped[dt.date] = mapped_column(primary_key=True)
    paid: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    late_days: Mapped[Decimal] = mapped_column(Numeric(18, 2))
