"""Claims: open one, move it open → in progress → resolved / rejected (or reopen with a reason)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import pandas as pd
from sqlalchemy import ColumnElement, Date, and_, case, func, literal, select
from sqlalchemy.orm import Session

from kam.core import audit, clock, config
from kam.core.access import Viewer
from kam.core.i18n import Msg
from kam.core.models import CLAIM_KINDS, CLAIM_STATUSES, Claim, Client, Manager, SalesLine
from kam.core.sqlfn import days_between
from kam.core.validation import Checker, NotFound, ValidationError, column_length
from kam.core.writes import (
    acting,
    insert_once,
    require_client_access,
    require_writer,
    resubmitted,
    update_versioned,
    values_of,
)

CLOSED = ("resolved", "rejected")
MOVES: dict[str, tuple[str, ...]] = {
    "open": ("in_progress", "resolved", "rejected"),
    "in_progress": ("resolved", "rejected"),
    "resolved": ("in_progress",),  # reopening, with a reason
    "rejected": ("in_progress",),
}
DOCUMENT_KINDS = ("return", "refusal")  # the claims that may link a sales document
REASON_MAX = 500
_LABELS = {
    "open": "open",
    "in_progress": "in progress",
    "resolved": "resolved",
    "rejected": "rejected",
}
_MOVE_FIELDS = ("status", "root_cause", "resolution", "justified", "closed_on", "version")


@dataclass(frozen=True)
class ClaimForm:
    """A client's claim as typed; client and kind are required, the date is today by default."""

    client_id: int | None = None
    kind: str | None = None
    opened_on: dt.date | None = None
    document_ref: str | None = None
    sales_doc_no: str | None = None  # a return or refusal may name the sales document
    qty: Decimal | int | float | str | None = None
    amount: Decimal | int | float | str | None = None
    description: str | None = None
    idempotency_key: str | None = None


def allowed_moves(status: str) -> tuple[str, ...]:
    """The statuses a claim in ``status`` may move to."""
    return MOVES.get(status, ())


def _check_sales_doc(
    session: Session,
    checker: Checker,
    doc_no: str | None,
    *,
    kind: str | None,
    client: Client | None,
) -> None:
    if doc_no is None:
        return
    if kind is not None and kind not in DOCUMENT_KINDS:
        checker.add(
            "sales_doc_no",
            "Only a return or refusal claim links a sales document; clear the field or change the kind.",
        )
        return
    owners = set(
        session.scalars(select(SalesLine.client_id).where(SalesLine.doc_no == doc_no).distinct())
    )
    if not owners:
        checker.add("sales_doc_no", Msg("There is no sales document {doc}.", doc=doc_no))
    elif client is not None and client.id not in owners:
        checker.add(
            "sales_doc_no",
            Msg("Sales document {doc} was not issued to {code}.", doc=doc_no, code=client.code),
        )


def open_claim(
    session: Session,
    *,
    viewer: Viewer,
    actor: audit.Actor,
    form: ClaimForm,
    today: dt.date | None = None,
) -> Claim:
    """Open a claim; a resubmit with the same key returns the first one saved."""
    require_writer(viewer)
    today = today or clock.today()
    checker = Checker()
    client = None
    cid = checker.identifier("client_id", form.client_id, label="Client")
    if cid is not None:
        client = session.get(Client, cid)
        if client is None:
            checker.add("client_id", Msg("There is no client with id {id}.", id=cid))
    kind = checker.choice("kind", form.kind, label="Kind", choices=CLAIM_KINDS)
    opened_on = checker.past_date("opened_on", form.opened_on or today, label="Date", today=today)
    document_ref = checker.text(
        "document_ref",
        form.document_ref,
        label="Document",
        max_length=column_length(Claim.document_ref),
    )
    doc_no = checker.text(
        "sales_doc_no",
        form.sales_doc_no,
        label="Sales document",
        max_length=column_length(Claim.sales_doc_no),
    )
    _check_sales_doc(session, checker, doc_no, kind=kind, client=client)
    qty = checker.amount("qty", form.qty, label="Quantity", column=Claim.qty)
    amount = checker.amount("amount", form.amount, label="Amount", column=Claim.amount)
    description = checker.text(
        "description",
        form.description,
        label="Description",
        max_length=column_length(Claim.description),
    )
    key = checker.idempotency_key(form.idempotency_key)
    checker.raise_if_any()
    assert client is not None
    require_client_access(viewer, client)
    actor = acting(actor, viewer, client)
    row, created = insert_once(
        session,
        Claim(
            client_id=client.id,
            manager_id=client.manager_id,
            opened_on=opened_on,
            kind=kind,
            document_ref=document_ref,
            sales_doc_no=doc_no,
            qty=qty,
            amount=amount,
            description=description,
            status="open",
            idempotency_key=key,
        ),
    )
    if created:
        audit.record(
            session,
            actor=actor,
            entity="claim",
            entity_id=row.id,
            action="open",
            after=values_of(row),
        )
    return row


def _transition_problem(current: str, target: str) -> str | None:
    if target in allowed_moves(current):
        return None
    if target == current:
        return Msg("The claim is already {status}.", status=Msg(_LABELS[current]))
    if target == "open":
        if current in CLOSED:
            return "A claim cannot go back to open; reopen it by moving it back to in progress."
        return "A claim cannot go back to open; it stays in progress until resolved or rejected."
    if current in CLOSED:
        return Msg(
            "A {status} claim cannot be {target} directly; reopen it (move it back to in "
            "progress) first.",
            status=Msg(_LABELS[current]),
            target=Msg(_LABELS[target]),
        )
    return Msg(
        "A claim cannot move from {status} to {target}.",
        status=Msg(_LABELS[current]),
        target=Msg(_LABELS[target]),
    )


def move_claim(
    session: Session,
    *,
    viewer: Viewer,
    actor: audit.Actor,
    claim_id: int,
    expected_version: int,
    to_status: str,
    root_cause: str | None = None,
    resolution: str | None = None,
    justified: bool | None = None,
    reason: str | None = None,
    closed_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Claim:
    """Move a claim along its workflow; closing needs root cause, resolution and justified,
    reopening needs a reason. ConflictError if it changed since ``expected_version``."""
    require_writer(viewer)
    today = today or clock.today()
    row = session.get(Claim, claim_id, populate_existing=True)
    if row is None:
        raise ValidationError({"claim_id": Msg("There is no claim with id {id}.", id=claim_id)})
    client = session.get(Client, row.client_id)
    assert client is not None
    require_client_access(viewer, client)
    actor = acting(actor, viewer, client)

    checker = Checker()
    target = checker.choice("to_status", to_status, label="Status", choices=CLAIM_STATUSES)
    cause = checker.text(
        "root_cause", root_cause, label="Root cause", max_length=column_length(Claim.root_cause)
    )
    fix = checker.text(
        "resolution", resolution, label="Resolution", max_length=column_length(Claim.resolution)
    )
    why = checker.text("reason", reason, label="Reason", max_length=REASON_MAX)
    values: dict[str, Any] = {"status": target}
    if target in CLOSED:
        if cause is None:
            checker.add("root_cause", "Root cause is required to close a claim.")
        if fix is None:
            checker.add("resolution", "Resolution is required to close a claim.")
        if not isinstance(justified, bool):
            checker.add("justified", "Say whether the claim was justified (yes or no).")
        closed = checker.past_date(
            "closed_on", closed_on or today, label="Closing date", today=today
        )
        if closed is not None and closed < row.opened_on:
            checker.add(
                "closed_on",
                Msg(
                    "Closing date {closed} is before the claim was opened ({opened}).",
                    closed=closed.isoformat(),
                    opened=row.opened_on.isoformat(),
                ),
            )
        values |= {
            "root_cause": cause,
            "resolution": fix,
            "justified": justified,
            "closed_on": closed,
        }
    else:
        # Moving to in progress keeps what was written before unless new text is given.
        values |= {"closed_on": None}
        if cause is not None:
            values["root_cause"] = cause
        if fix is not None:
            values["resolution"] = fix
    if row.version == expected_version and target is not None:
        problem = _transition_problem(row.status, target)
        if problem:
            checker.add("to_status", problem)
        elif row.status in CLOSED and why is None:
            checker.add(
                "reason",
                Msg("Say why the {status} claim is reopened.", status=Msg(_LABELS[row.status])),
            )
    checker.raise_if_any()

    if resubmitted(session, row, entity="claim", expected_version=expected_version, values=values):
        return row
    before = values_of(row, _MOVE_FIELDS)
    reopening = row.status in CLOSED
    if update_versioned(
        session, row, entity="claim", expected_version=expected_version, values=values
    ):
        after = values_of(row, _MOVE_FIELDS)
        if why is not None:
            after["reason"] = why
        audit.record(
            session,
            actor=actor,
            entity="claim",
            entity_id=row.id,
            action="reopen" if reopening else "move",
            before=before,
            after=after,
        )
    return row


def claim_for_edit(session: Session, *, viewer: Viewer, claim_id: int) -> dict[str, Any]:
    """A visible claim's values (with ``version`` and the client's code and name) to pre-fill a
    form; NotFound when the viewer cannot see it."""
    found = session.execute(
        select(Claim, Client.code, Client.name)
        .join(Client, Client.id == Claim.client_id)
        .where(Claim.id == claim_id, viewer.client_condition())
    ).first()
    if found is None:
        raise NotFound(Msg("There is no claim with id {id} in your portfolio.", id=claim_id))
    claim, code, name = found
    return values_of(claim) | {"client_code": code, "client_name": name}


# ---------------------------------------------------------------------------------------------
# Analytics for the Claims and returns page: the list with age, the summary and the Pareto.
# All take the same filters, so the list, the tiles and the charts always describe one set.
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
    "root_cause",
    "resolution",
    "closed_on",
    "age_days",
    "late",
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


def _is_closed() -> ColumnElement[bool]:
    return Claim.status.in_(CLOSED)


def _age(as_of: dt.date) -> ColumnElement[int]:
    # Days open up to as_of, or days it took to resolve once closed.
    end = case((_is_closed(), Claim.closed_on), else_=literal(as_of, Date))
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
    late_after = config.settings().claim_alert_days
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
            Claim.root_cause,
            Claim.resolution,
            Claim.closed_on,
            age,
            and_(~_is_closed(), age > late_after),
        )
        .join(Client, Client.id == Claim.client_id)
        .join(Manager, Manager.id == Claim.manager_id)
        .where(
            *_claim_filters(
                session, viewer=viewer, statuses=statuses, kinds=kinds, manager_id=manager_id,
                client_id=client_id, search=search, date_from=date_from, date_to=date_to,
                closed_from=closed_from, closed_to=closed_to,
            )
        )
        .order_by(Claim.opened_on.desc(), Claim.id.desc())
    )  # fmt: skip
    rows = [(*r[:-2], int(r[-2]), bool(r[-1])) for r in session.execute(query)]
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
    closed = _is_closed()
    still_open = Claim.status.in_(("open", "in_progress"))
    amount = func.coalesce(Claim.amount, 0)
    late_after = config.settings().claim_alert_days

    def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = (
        select(
            func.count(),
            func.coalesce(func.sum(amount), 0),
            count_if(still_open),
            func.coalesce(func.sum(case((still_open, amount), else_=0)), 0),
            count_if(and_(still_open, _age(as_of) > late_after)),
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
        amount=_money(total),
        open=int(n_open),
        open_amount=_money(open_total),
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
    each key's share of the total and the running (cumulative) share. By root cause, only claims
    with one are counted: open claims have none yet."""
    key = Claim.kind if by == "kind" else Claim.root_cause
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
    rows = [(k, int(n), _money(a)) for k, n, a in session.execute(query)]
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


def _money(value: Decimal | float | int | None) -> Decimal:
    return Decimal("0.00") if value is None else Decimal(str(value)).quantize(Decimal("0.01"))
