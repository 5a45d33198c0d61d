"""Receivables as of a day: open invoices, ageing and over-limit per client, per manager and for
the company."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

import pandas as pd
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from kam.core.access import Viewer
from kam.core.models import Client, Manager
from kam.core.money import HALF_CENT, ZERO, to_cent
from kam.core.sqlfn import days_between
from kam.core.team import TEAM
from kam.receivables.allocation import NIL
from kam.receivables.store import items_and_balances

# Reads the ledger only, never visits, claims or notes: logging those keeps cached results.
READS_ACTIVITIES = False

BUCKETS = ("not_due", "d1_30", "d31_60", "d61_90", "d90_plus")
CLIENT_COLUMNS = [
    "client_id",
    "client_code",
    "client_name",
    "manager_code",
    "outstanding",
    *BUCKETS,
    "overdue",
    "credit_balance",
    "credit_limit",
    "credit_use_pct",
    "over_limit",
    "manager_id",
]
MANAGER_COLUMNS = [
    "manager_id",
    "manager_code",
    "outstanding",
    *BUCKETS,
    "overdue",
    "credit_balance",
    "over_limit_clients",
]


def credit_use(outstanding: Decimal, credit_limit: Decimal | None) -> tuple[float | None, bool]:
    """Credit use % (None without a limit or with a limit of 0) and whether ``outstanding`` is
    over the limit (never without one)."""
    pct = float(outstanding / credit_limit * 100) if credit_limit else None
    return pct, credit_limit is not None and outstanding > credit_limit


def open_invoices(
    session: Session, *, viewer: Viewer, as_of: dt.date, client_id: int | None = None
) -> pd.DataFrame:
    """Invoices unpaid at ``as_of``: client_code, invoice_no, invoice_date, due_date, amount,
    unpaid, days_past_due (negative while not due)."""
    items, _ = items_and_balances(session, viewer=viewer, as_of=as_of, client_id=client_id)
    query = (
        select(
            Client.code,
            items.c.invoice_no,
            items.c.invoice_date,
            items.c.due_date,
            items.c.amount,
            items.c.unpaid,
            days_between(items.c.as_of, items.c.due_date),
        )
        .join(Client, Client.id == items.c.client_id)
        .where(items.c.unpaid > HALF_CENT)
        .order_by(Client.code, items.c.due_date, items.c.invoice_date, items.c.invoice_no)
    )
    return pd.DataFrame(
        [
            (code, no, idate, due, to_cent(amt), to_cent(unpaid), int(days))
            for code, no, idate, due, amt, unpaid, days in session.execute(query)
        ],
        columns=[
            "client_code",
            "invoice_no",
            "invoice_date",
            "due_date",
            "amount",
            "unpaid",
            "days_past_due",
        ],
    )


def _bucket_sums(as_of: dt.date, items):  # noqa: ANN001, ANN202
    # Days past due compared as dates: due on D or later is not due; due 1–30 days before D is 1–30.
    def before(days: int) -> dt.date:
        return as_of - dt.timedelta(days=days)

    due, unpaid = items.c.due_date, items.c.unpaid
    bands = (
        due >= as_of,
        and_(due < as_of, due >= before(30)),
        and_(due < before(30), due >= before(60)),
        and_(due < before(60), due >= before(90)),
        due < before(90),
    )
    return [
        func.sum(case((band, unpaid), else_=NIL)).label(name)
        for band, name in zip(bands, BUCKETS, strict=True)
    ]


def client_receivables(
    session: Session,
    *,
    viewer: Viewer,
    as_of: dt.date,
    manager_id: int | None = None,
    client_id: int | None = None,
) -> pd.DataFrame:
    """Per client with debt or a credit balance at ``as_of`` (columns CLIENT_COLUMNS).

    manager_code is the client's manager; credit_use_pct and over_limit need a credit limit.
    """
    items, owed = items_and_balances(session, viewer=viewer, as_of=as_of, client_id=client_id)
    ages = (
        select(items.c.client_id, *_bucket_sums(as_of, items))
        .group_by(items.c.client_id)
        .subquery()
    )
    query = (
        select(
            Client.id,
            Client.code,
            Client.name,
            Manager.code,
            Manager.id,
            Client.credit_limit,
            owed.c.outstanding,
            owed.c.credit,
            *(ages.c[name] for name in BUCKETS),
        )
        .join(Manager, Manager.id == Client.manager_id)
        .join(owed, owed.c.client_id == Client.id)
        .outerjoin(ages, ages.c.client_id == Client.id)
        .where(
            or_(owed.c.outstanding > HALF_CENT, owed.c.credit > HALF_CENT),
            viewer.client_condition(),
        )
        .order_by(Client.code)
    )
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    rows = []
    for cid, code, name, mcode, mid, limit, outstanding, credit, *ages_v in session.execute(query):
        buckets = [to_cent(v) for v in ages_v]
        owes = to_cent(outstanding)
        limit = None if limit is None else to_cent(limit)
        pct, over = credit_use(owes, limit)
        overdue = sum(buckets[1:], ZERO)
        rows.append(
            (cid, code, name, mcode, owes, *buckets, overdue, to_cent(credit), limit, pct, over, mid)
        )
    return pd.DataFrame(rows, columns=CLIENT_COLUMNS)


def manager_receivables(
    session: Session, *, viewer: Viewer, as_of: dt.date, manager_id: int | None = None
) -> pd.DataFrame:
    """Receivables of each manager's clients at ``as_of`` (columns MANAGER_COLUMNS)."""
    return manager_totals(
        client_receivables(session, viewer=viewer, as_of=as_of, manager_id=manager_id)
    )


def manager_totals(per_client: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``client_receivables`` added up per manager (columns MANAGER_COLUMNS).

    Summing the per-client rows keeps one definition of each bucket; a caller that already
    has them (a page, the review) gets the totals without running the allocation again.
    """
    rows: list[tuple] = []
    for (mid, mcode), group in per_client.groupby(["manager_id", "manager_code"], sort=False):
        sums = [sum(group[c], ZERO) for c in ("outstanding", *BUCKETS, "overdue", "credit_balance")]
        # pandas-stubs type group keys as Hashable; these are a manager's id and code.
        rows.append((int(cast(int, mid)), str(mcode), *sums, int(group["over_limit"].sum())))
    rows.sort(key=lambda r: r[1])
    return pd.DataFrame(rows, columns=MANAGER_COLUMNS)


def with_company_total(per_manager: pd.DataFrame) -> pd.DataFrame:
    """``manager_receivables`` rows followed by a company row (a team row, ``kam.core.team``) adding them up."""
    sums = {
        col: sum(per_manager[col], ZERO)
        for col in ("outstanding", *BUCKETS, "overdue", "credit_balance")
    }
    total = {
        "manager_id": TEAM,
        "manager_code": TEAM,
        **sums,
        "over_limit_clients": int(per_manager["over_limit_clients"].sum()),
    }
    return pd.concat(
        [per_manager, pd.DataFrame([total], columns=MANAGER_COLUMNS)], ignore_index=True
    )
