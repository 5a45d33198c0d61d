"""The claim figures of the Claims and returns page, Client 360 and the weekly review: the list
with age, the summary tiles and the Pareto, all over one set of filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import pandas as pd
from sqlalchemy import ColumnElement, Date, and_, case, func, literal, select
from sqlalchemy.orm import Session

from kam.activities.claims import is_closed, is_late, is_open
from kam.core.access import Viewer
from kam.core.models import Claim, ClaimRootCause, Client, Manager, Product
from kam.core.money import to_cent
from kam.core.sqlfn import days_between

# claim_list also feeds Client 360 and the weekly review, so every claim table is one query.

LIST_COLUMNS = [
    "claim_id",
    "version",  # what a move of this claim expects (optimistic locking)
    "opened_on",
    "client_id",
    "client_code",
    "client_name",
    "manager_id",  # who handles the claim
    "manager_code",
    "manager_name",
    "kind",
    "document_ref",
    "sales_doc_no",
    "qty",
    "amount",
    "description",
    "status",
    "justified",
    "root_cause_code",  # of kam.activities.root_causes; see labels.root_cause_label
    "root_cause_label",  # the label stored with the code
    "root_cause",  # the free text of the cause "other"
    "resolution",
    "closed_on",
    "age_days",
    "late",
    "product_sku",
    "product_name",
    "unit",  # of the product: what qty counts
]
PARETO_COLUMNS = ["key", "claims", "amount", "share_pct", "cumulative_pct"]


@dataclass(frozen=True)
class ClaimSummary:
    """The headline figures of a set of claims (see claim_summary)."""

    claims: int
    amount: Decimal
    open: int  # open or in progress
    open_amount: Decimal
    late: int  # open or in progress for longer than the alert days
    closed: int  # resolved or rejected
    justified: int  # closed and justified
    justified_pct: float | None
    avg_days_to_resolve: float | None


def _matching_clients(session: Session, viewer: Viewer, search: str) -> list[int]:
    # Folded in Python: SQLite's lower() knows only ASCII and client names are often Cyrillic;
    # the visible portfolio is a few hundred rows.
    needle = search.casefold()
    rows = session.execute(
        select(Client.id, Client.code, Client.name).where(viewer.client_condition())
    )
    return [
        cid for cid, code, name in rows if needle in code.casefold() or needle in name.casefold()
    ]


def _claim_filters(
    session: Session,
    *,
    viewer: Viewer,
    statuses: Sequence[str] = (),
    kinds: Sequence[str] = (),
    manager_id: int | None = None,
    client_id: int | None = None,
    search: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    closed_from: dt.date | None = None,
    closed_to: dt.date | None = None,
) -> list[ColumnElement[bool]]:
    """WHERE conditions on claims joined to clients; ``manager_id`` is who handles the claim,
    ``date_from``/``date_to`` bound the opening date and ``closed_from``/``closed_to`` the closing."""
    out: list[ColumnElement[bool]] = [viewer.client_condition()]
    if client_id is not None:
        out.append(Claim.client_id == client_id)
    if statuses:
        out.append(Claim.status.in_(list(statuses)))
    if kinds:
        out.append(Claim.kind.in_(list(kinds)))
    if manager_id is not None:
        out.append(Claim.manager_id == manager_id)
    if search.strip():
        out.append(Claim.client_id.in_(_matching_clients(session, viewer, search.strip())))
    if date_from is not None:
        out.append(Claim.opened_on >= date_from)
    if date_to is not None:
        out.append(Claim.opened_on <= date_to)
    if closed_from is not None:
        out.append(Claim.closed_on >= closed_from)
    if closed_to is not None:
        out.append(Claim.closed_on <= closed_to)
    return out


def _age(as_of: dt.date) -> ColumnElement[int]:
    # Days open up to as_of, or days it took to resolve once closed.
    end = case((is_closed(Claim), Claim.closed_on), else_=literal(as_of, Date))
    return days_between(end, Claim.opened_on)


def claim_list(
    session: Session,
    *,
    viewer: Viewer,
    as_of: dt.date,
    statuses: Sequence[str] = (),
    kinds: Sequence[str] = (),
    manager_id: int | None = None,
    client_id: int | None = None,
    search: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    closed_from: dt.date | None = None,
    closed_to: dt.date | None = None,
) -> pd.DataFrame:
    """Visible claims matching the filters, newest first (LIST_COLUMNS): age_days is days open up
    to ``as_of``, or days to resolve when closed; late = still open after the alert days."""
    age = _age(as_of)
    query = (
        select(
            Claim.id,
            Claim.version,
            Claim.opened_on,
            Claim.client_id,
            Client.code,
            Client.name,
            Claim.manager_id,
            Manager.code,
            Manager.name,
            Claim.kind,
            Claim.document_ref,
            Claim.sales_doc_no,
            Claim.qty,
            Claim.amount,
            Claim.description,
            Claim.status,
            Claim.justified,
            Claim.root_cause_code,
            ClaimRootCause.label,
            Claim.root_cause,
            Claim.resolution,
            Claim.closed_on,
            age,
            is_late(Claim, as_of),
            Product.sku,
            Product.name,
            Product.unit,
        )
        .join(Client, Client.id == Claim.client_id)
        .join(Manager, Manager.id == Claim.manager_id)
        .outerjoin(ClaimRootCause, ClaimRootCause.code == Claim.root_cause_code)
        .outerjoin(Product, Product.id == Claim.product_id)
        .where(
            *_claim_filters(
                session, viewer=viewer, statuses=statuses, kinds=kinds, manager_id=manager_id,
                client_id=client_id, search=search, date_from=date_from, date_to=date_to,
                closed_from=closed_from, closed_to=closed_to,
            )
        )
        .order_by(Claim.opened_on.desc(), Claim.id.desc())
    )  # fmt: skip
    rows = [(*r[:-5], int(r[-5]), bool(r[-4]), *r[-3:]) for r in session.execute(query)]
    return pd.DataFrame(rows, columns=LIST_COLUMNS)


def claim_summary(
    session: Session,
    *,
    viewer: Viewer,
    as_of: dt.date,
    statuses: Sequence[str] = (),
    kinds: Sequence[str] = (),
    manager_id: int | None = None,
    search: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> ClaimSummary:
    """Counts and amounts of the matching claims; justified share and average days to resolve
    over the closed ones (resolved or rejected) only: a reopened claim is not counted, though it
    keeps the justified value it had."""
    closed = is_closed(Claim)
    still_open = is_open(Claim)
    amount = func.coalesce(Claim.amount, 0)

    def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = (
        select(
            func.count(),
            func.coalesce(func.sum(amount), 0),
            count_if(still_open),
            func.coalesce(func.sum(case((still_open, amount), else_=0)), 0),
            count_if(is_late(Claim, as_of)),
            count_if(closed),
            count_if(and_(closed, Claim.justified.is_(True))),
            func.avg(case((closed, days_between(Claim.closed_on, Claim.opened_on)))),
        )
        .select_from(Claim)
        .join(Client, Client.id == Claim.client_id)
        .where(
            *_claim_filters(
                session, viewer=viewer, statuses=statuses, kinds=kinds, manager_id=manager_id,
                search=search, date_from=date_from, date_to=date_to,
            )
        )
    )  # fmt: skip
    n, total, n_open, open_total, late, n_closed, n_justified, avg_days = session.execute(
        query
    ).one()
    return ClaimSummary(
        claims=int(n),
        amount=to_cent(total),
        open=int(n_open),
        open_amount=to_cent(open_total),
        late=int(late),
        closed=int(n_closed),
        justified=int(n_justified),
        justified_pct=round(n_justified * 100 / n_closed, 1) if n_closed else None,
        avg_days_to_resolve=None if avg_days is None else round(float(avg_days), 1),
    )


def claims_pareto(
    session: Session,
    *,
    viewer: Viewer,
    by: Literal["kind", "root_cause"],
    measure: Literal["amount", "claims"] = "amount",
    statuses: Sequence[str] = (),
    kinds: Sequence[str] = (),
    manager_id: int | None = None,
    search: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> pd.DataFrame:
    """Matching claims per kind or root cause (PARETO_COLUMNS), largest ``measure`` first, with
    each key's share of the total and the running (cumulative) share. By root cause the key is
    the cause's code (kam.activities.root_causes), and only claims with one are counted: open
    claims have none yet."""
    key = Claim.kind if by == "kind" else Claim.root_cause_code
    query = (
        select(key, func.count(), func.coalesce(func.sum(func.coalesce(Claim.amount, 0)), 0))
        .join(Client, Client.id == Claim.client_id)
        .where(
            *_claim_filters(
                session, viewer=viewer, statuses=statuses, kinds=kinds, manager_id=manager_id,
                search=search, date_from=date_from, date_to=date_to,
            ),
            key.is_not(None),
        )
        .group_by(key)
    )  # fmt: skip
    rows = [(k, int(n), to_cent(a)) for k, n, a in session.execute(query)]
    index = 1 if measure == "claims" else 2
    rows.sort(key=lambda r: (-r[index], -r[3 - index], r[0]))
    total = sum((r[index] for r in rows), Decimal(0))
    out, running = [], Decimal(0)
    for r in rows:
        running += r[index]
        share = None if not total else round(float(Decimal(r[index]) * 100 / total), 1)
        cumulative = None if not total else round(float(running * 100 / total), 1)
        out.append((*r, share, cumulative))
    return pd.DataFrame(out, columns=PARETO_COLUMNS)
