"""Receivables as of a day: open invoices, ageing and over-limit per client, per manager and for
the company."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import cast

import pandas as pd
from sqlalchemy import (
    CTE,
    BindParameter,
    Date,
    Integer,
    Numeric,
    Select,
    Subquery,
    and_,
    bindparam,
    case,
    func,
    null,
    or_,
    select,
    union_all,
)
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
    items, _, params = items_and_balances(session, viewer=viewer, as_of=as_of, client_id=client_id)
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
            for code, no, idate, due, amt, unpaid, days in session.execute(query, params)
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


def _bucket_sums(items):  # noqa: ANN001, ANN202
    # Days past due compared as dates: due on D or later is not due; due 1–30 days before D is 1–30.
    def day(name: str) -> BindParameter[dt.date]:
        return bindparam(f"age_{name}", type_=Date())

    due, unpaid = items.c.due_date, items.c.unpaid
    bands = (
        due >= day("as_of"),
        and_(due < day("as_of"), due >= day("d30")),
        and_(due < day("d30"), due >= day("d60")),
        and_(due < day("d60"), due >= day("d90")),
        due < day("d90"),
    )
    return [
        func.sum(case((band, unpaid), else_=NIL)).label(name)
        for band, name in zip(bands, BUCKETS, strict=True)
    ]


def _bucket_dates(as_of: dt.date) -> dict[str, dt.date]:
    """The dates ``_bucket_sums`` is executed with: the day and 30, 60 and 90 days before it."""
    before = {f"age_d{n}": as_of - dt.timedelta(days=n) for n in (30, 60, 90)}
    return {"age_as_of": as_of, **before}


def _ageing_query(items: CTE, owed: Subquery, viewer: Viewer, one_manager: bool) -> Select:
    """``client_receivables``' statement over ``items`` and ``owed``."""
    # The balances and the open items in one grouped pass: joining the items' per-client sums to
    # the balances made SQLite scan those sums once per client (5 ms at 5M lines, 2 ms now).
    no_day, no_money = null().cast(Date), null().cast(Numeric)
    both = union_all(
        select(owed.c.client_id, owed.c.outstanding, owed.c.credit,
               no_day.label("due_date"), no_money.label("unpaid")),
        select(items.c.client_id, no_money, no_money, items.c.due_date, items.c.unpaid),
    ).subquery()  # fmt: skip
    sums = (
        select(
            both.c.client_id,
            func.sum(both.c.outstanding).label("outstanding"),
            func.sum(both.c.credit).label("credit"),
            func.count(both.c.outstanding).label("balances"),
            *_bucket_sums(both),
        )
        .group_by(both.c.client_id)
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
            sums.c.outstanding,
            sums.c.credit,
            *(sums.c[name] for name in BUCKETS),
        )
        .join(Client, Client.id == sums.c.client_id)
        .join(Manager, Manager.id == Client.manager_id)
        .where(
            sums.c.balances > 0,  # a client with a balance (every client with open items has one)
            or_(sums.c.outstanding > HALF_CENT, sums.c.credit > HALF_CENT),
            viewer.client_condition(),
        )
        .order_by(Client.code)
    )
    if one_manager:
        query = query.where(Client.manager_id == bindparam("age_manager_id", type_=Integer()))
    return query


# The store's items and balances are the same objects for a viewer (their day is bound), so the
# statement over them is built once: building it took as long as running it. The live
# allocation's are new on every call (and come with no parameters): they are not kept.
_kept_ageing_query = functools.lru_cache(maxsize=256)(_ageing_query)


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
    items, owed, params = items_and_balances(
        session, viewer=viewer, as_of=as_of, client_id=client_id
    )
    build = _kept_ageing_query if params else _ageing_query
    query = build(items, owed, viewer, manager_id is not None)
    params = {**params, **_bucket_dates(as_of), "age_manager_id": manager_id}
    rows = []
    # On the session's connection: the rows are plain columns, and the ORM's handling of them
    # took a tenth of the figure's time.
    found = session.connection().execute(query, params)
    for cid, code, name, mcode, mid, limit, outstanding, credit, *ages_v in found:
        buckets = [to_cent(v) for v in ages_v]
        owes = to_cent(outstanding)
        limit = None if limit is None else to_cent(limit)
        pct, over = credit_use(owes, limit)
        overdue = sum(buckets[1:], ZERO)
        rows.append(
            (
                cid,
                code,
                name,
                mcode,
                owes,
                *buckets,
                overdue,
                to_cent(credit),
                limit,
                pct,
                over,
                mid,
            )
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
