"""Factories for small hand-made fixtures: each adds one row with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from sqlalchemy.orm import Session

from kam.core.models import Client, Invoice, Manager, Payment, Plan, Product, SalesLine
from kam.sales import rollups

_seq = itertools.count(1)


def D(value: str | int | float) -> Decimal:  # noqa: N802 - reads like a literal
    """Decimal from a literal, for money in fixtures."""
    return Decimal(str(value))


def manager(s: Session, code: str = "", *, role: str = "kam", **kw) -> Manager:
    code = code or f"M{next(_seq)}"
    row = Manager(code=code, name=kw.pop("name", f"Manager {code}"), role=role, **kw)
    s.add(row)
    s.flush()
    return row


def client(s: Session, code: str, mgr: Manager, **kw) -> Client:
    row = Client(code=code, name=kw.pop("name", f"Client {code}"), manager_id=mgr.id, **kw)
    s.add(row)
    s.flush()
    return row


def product(s: Session, sku: str, category: str | None = "Dairy", **kw) -> Product:
    row = Product(sku=sku, name=kw.pop("name", f"Product {sku}"), category=category, **kw)
    s.add(row)
    s.flush()
    return row


def line(
    s: Session,
    cl: Client,
    day: str | dt.date,
    amount: str | int | float,
    *,
    mgr: Manager | None = None,
    prod: Product | None = None,
    kind: str | None = None,
    doc_no: str | None = None,
    line_no: int = 1,
    reason: str | None = None,
    qty: str | int | None = None,
) -> SalesLine:
    """One sales line; kind defaults to sale (amount >= 0) or return (negative)."""
    value = D(amount)
    row = SalesLine(
        doc_no=doc_no or f"DOC{next(_seq)}",
        line_no=line_no,
        doc_date=dt.date.fromisoformat(day) if isinstance(day, str) else day,
        client_id=cl.id,
        product_id=prod.id if prod else None,
        qty=None if qty is None else D(qty),
        amount=value,
        manager_id=(mgr.id if mgr else cl.manager_id),
        kind=kind or ("sale" if value >= 0 else "return"),
        reason=reason,
    )
    s.add(row)
    s.flush()
    return row


def invoice(
    s: Session, cl: Client, no: str, day: str, due: str, amount: str | int | float
) -> Invoice:
    row = Invoice(
        invoice_no=no,
        client_id=cl.id,
        invoice_date=dt.date.fromisoformat(day),
        due_date=dt.date.fromisoformat(due),
        amount=D(amount),
    )
    s.add(row)
    s.flush()
    return row


def payment(
    s: Session,
    cl: Client,
    no: str,
    day: str,
    amount: str | int | float,
    inv: Invoice | None = None,
) -> Payment:
    row = Payment(
        payment_no=no,
        client_id=cl.id,
        payment_date=dt.date.fromisoformat(day),
        amount=D(amount),
        invoice_id=inv.id if inv else None,
    )
    s.add(row)
    s.flush()
    return row


def plan(
    s: Session,
    mgr: Manager,
    month: str,
    metric: str,
    target: str | int | float,
    cl: Client | None = None,
) -> Plan:
    row = Plan(
        period=dt.date.fromisoformat(month + "-01"),
        manager_id=mgr.id,
        metric=metric,
        target=D(target),
        client_id=cl.id if cl else None,
    )
    s.add(row)
    s.flush()
    return row


def refresh(s: Session) -> None:
    """Rebuild the rollups after adding lines, as every real write does."""
    rollups.refresh(s)
