"""The client card: who the client is, its contract and credit, contacts, and assortment gaps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from kam import receivables, sales
from kam.core.access import Viewer
from kam.core.cache import ledger_only
from kam.core.collation import sort_by_name
from kam.core.models import Client, Contact, Manager, Visit
from kam.core.money import HALF_CENT, ZERO
from kam.core.periods import last_12_months
from kam.core.validation import NotFound
from kam.sales import spans


class UnknownClient(NotFound):
    """No client has this code."""


class NotInPortfolio(PermissionError):
    """The client exists but is not in the viewer's portfolio."""


@dataclass(frozen=True)
class ClientCard:
    """The header of Client 360."""

    id: int
    code: str
    name: str
    segment: str | None
    region: str | None
    status: str
    manager_code: str
    manager_name: str
    contract_no: str | None
    contract_start: dt.date | None
    contract_end: dt.date | None
    contract_days_left: int | None  # negative once expired
    payment_terms_days: int
    price_column: str | None
    credit_limit: Decimal | None
    outstanding: Decimal
    overdue: Decimal
    credit_use_pct: float | None
    over_limit: bool
    avg_days_late: float | None


def resolve(session: Session, *, viewer: Viewer, code: str) -> int:
    """The id of the client ``code`` if the viewer may see it; else UnknownClient/NotInPortfolio."""
    row = session.execute(
        select(Client.id, viewer.client_condition().label("visible")).where(
            Client.code == code.strip()
        )
    ).one_or_none()
    if row is None:
        raise UnknownClient(code)
    if not row.visible:
        raise NotInPortfolio(code)
    return row.id


@ledger_only
def client_card(session: Session, *, viewer: Viewer, code: str, as_of: dt.date) -> ClientCard:
    """The card of client ``code`` at ``as_of`` (raises UnknownClient or NotInPortfolio)."""
    client_id = resolve(session, viewer=viewer, code=code)
    c, manager = session.execute(
        select(Client, Manager)
        .join(Manager, Manager.id == Client.manager_id)
        .where(Client.id == client_id)
    ).one()
    # The same functions as the Receivables page, for this one client: one definition each.
    debt = receivables.client_receivables(session, viewer=viewer, as_of=as_of, client_id=client_id)
    discipline = receivables.payment_discipline(
        session, viewer=viewer, as_of=as_of, client_id=client_id
    )
    # No row: the client neither owes anything nor holds a credit balance.
    outstanding = debt["outstanding"].iloc[0] if not debt.empty else ZERO
    overdue = debt["overdue"].iloc[0] if not debt.empty else ZERO
    use, over_limit = receivables.credit_use(outstanding, c.credit_limit)
    late = discipline["avg_days_late"].iloc[0] if not discipline.empty else None
    return ClientCard(
        id=c.id,
        code=c.code,
        name=c.name,
        segment=c.segment,
        region=c.region,
        status=c.status,
        manager_code=manager.code,
        manager_name=manager.name,
        contract_no=c.contract_no,
        contract_start=c.contract_start,
        contract_end=c.contract_end,
        contract_days_left=None if c.contract_end is None else (c.contract_end - as_of).days,
        payment_terms_days=c.payment_terms_days,
        price_column=c.price_column,
        credit_limit=c.credit_limit,
        outstanding=outstanding,
        overdue=overdue,
        credit_use_pct=use,
        over_limit=over_limit,
        avg_days_late=None if late is None or pd.isna(late) else float(late),
    )


@ledger_only
def contacts(session: Session, *, viewer: Viewer, client_id: int) -> pd.DataFrame:
    """The client's contact persons: name, position, phone, email."""
    query = (
        select(Contact.name, Contact.position, Contact.phone, Contact.email)
        .join(Client, Client.id == Contact.client_id)
        .where(Contact.client_id == client_id, viewer.client_condition())
    )
    return sort_by_name(
        pd.DataFrame(session.execute(query).all(), columns=["name", "position", "phone", "email"])
    )


@ledger_only
def expiring_contracts(
    session: Session,
    *,
    viewer: Viewer,
    as_of: dt.date,
    within_days: int,
    manager_id: int | None = None,
) -> pd.DataFrame:
    """Active clients whose contract ends from ``as_of`` to ``within_days`` later:
    client_code, name, manager_code, contract_no, contract_end, days_left (soonest first)."""
    end = as_of + dt.timedelta(days=within_days)
    query = (
        select(Client.code, Client.name, Manager.code, Client.contract_no, Client.contract_end)
        .join(Manager, Manager.id == Client.manager_id)
        .where(
            Client.contract_end.between(as_of, end),
            Client.status != "lost",
            viewer.client_condition(),
        )
        .order_by(Client.contract_end, Client.code)
    )
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    rows = [
        (code, name, mcode, no, sales.as_date(day), (sales.as_date(day) - as_of).days)
        for code, name, mcode, no, day in session.execute(query)
    ]
    return pd.DataFrame(
        rows,
        columns=["client_code", "name", "manager_code", "contract_no", "contract_end", "days_left"],
    )


@ledger_only
def assortment_gaps(
    session: Session, *, viewer: Viewer, client_id: int, as_of: dt.date, min_share: float = 0.5
) -> pd.DataFrame:
    """Categories the client did not buy in the last 12 months that at least ``min_share``
    of the buying clients of its segment did: category, segment_share_pct, segment_clients."""
    resolve_segment = select(Client.segment).where(
        Client.id == client_id, viewer.client_condition()
    )
    segment = session.execute(resolve_segment).scalar_one_or_none()
    if segment is None:
        return pd.DataFrame(columns=["category", "segment_share_pct", "segment_clients"])
    rows = spans.category_rows(*last_12_months(as_of))
    bought = (
        select(rows.c.client_id, rows.c.category)
        .join(Client, Client.id == rows.c.client_id)
        .where(Client.segment == segment, rows.c.kind == "sale", rows.c.category != "")
        .group_by(rows.c.client_id, rows.c.category)
        .having(func.sum(rows.c.amount) > HALF_CENT)
        .subquery()
    )
    buyers = select(func.count(func.distinct(bought.c.client_id))).scalar_subquery()
    mine = func.max(case((bought.c.client_id == client_id, literal(1)), else_=literal(0)))
    query = (
        select(
            bought.c.category, func.count().label("n"), buyers.label("total"), mine.label("mine")
        )
        .group_by(bought.c.category)
        .order_by(func.count().desc(), bought.c.category)
    )
    rows = [
        (category, n / total * 100, int(n))
        for category, n, total, has in session.execute(query)
        if not has and total and n / total >= min_share
    ]
    return pd.DataFrame(rows, columns=["category", "segment_share_pct", "segment_clients"])


def clients_of(session: Session, *, viewer: Viewer) -> pd.DataFrame:
    """Clients the viewer may pick, own first, then by name: client_id, client_code, name,
    manager_id, own."""
    own = case((Client.manager_id == viewer.manager_id, literal(True)), else_=literal(False))
    query = select(Client.id, Client.code, Client.name, Client.manager_id, own).where(
        viewer.client_condition(), and_(Client.status != "lost")
    )
    frame = pd.DataFrame(
        session.execute(query).all(),
        columns=["client_id", "client_code", "name", "manager_id", "own"],
    )
    return sort_by_name(frame.astype({"own": bool}), first={"own": False})


def contact_history(
    session: Session, *, viewer: Viewer, client_id: int, limit: int = 200
) -> pd.DataFrame:
    """Visits, calls, meetings and e-mails with the client, newest first: day, kind, status,
    manager_code, outcome, notes, next_step, next_step_date."""
    day = func.coalesce(Visit.done_at, Visit.planned_for)
    query = (
        select(
            day.label("day"), Visit.kind, Visit.status, Manager.code, Visit.outcome, Visit.notes,
            Visit.next_step, Visit.next_step_date,
        )
        .join(Client, Client.id == Visit.client_id)
        .join(Manager, Manager.id == Visit.manager_id)
        .where(Visit.client_id == client_id, viewer.client_condition())
        .order_by(day.desc(), Visit.id.desc())
        .limit(limit)
    )  # fmt: skip
    rows = [
        (sales.as_date(r[0]), *r[1:7], sales.as_date(r[7]) if r[7] else None)
        for r in session.execute(query)
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "day",
            "kind",
            "status",
            "manager_code",
            "outcome",
            "notes",
            "next_step",
            "next_step_date",
        ],
    )
