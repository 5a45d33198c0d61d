"""Claims: open one, move it open → in progress → resolved / rejected (or reopen with a reason),
and the one definition of an open and of a late claim (the figures are in claim_figures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from kam.activities import root_causes
from kam.core import audit, clock, config
from kam.core.access import Viewer
from kam.core.i18n import N_, Msg
from kam.core.labels import claim_status_term
from kam.core.models import CLAIM_KINDS, CLAIM_STATUSES, Claim, Client, Product, SalesLine
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

# The one definition of an open and of a late claim (docs/METRICS.md, Claims): open = not yet
# resolved or rejected; late = open longer than settings.claim_alert_days. The portfolio, the
# Claims page and My desk all ask these.
CLOSED = ("resolved", "rejected")
OPEN_STATUSES = tuple(s for s in CLAIM_STATUSES if s not in CLOSED)  # open, in progress
MOVES: dict[str, tuple[str, ...]] = {
    "open": ("in_progress", "resolved", "rejected"),
    "in_progress": ("resolved", "rejected"),
    "resolved": ("in_progress",),  # reopening, with a reason
    "rejected": ("in_progress",),
}
DOCUMENT_KINDS = ("return", "refusal")  # the claims that may link a sales document
REASON_MAX = 500
_MOVE_FIELDS = (
    "status", "root_cause_code", "root_cause", "resolution", "justified", "closed_on", "version",
)  # fmt: skip


@dataclass(frozen=True)
class ClaimForm:
    """A client's claim as typed; client and kind are required, the date is today by default."""

    client_id: int | None = None
    kind: str | None = None
    opened_on: dt.date | None = None
    document_ref: str | None = None
    sales_doc_no: str | None = None  # a return or refusal may name the sales document
    qty: Decimal | int | float | str | None = None  # in the product's unit
    amount: Decimal | int | float | str | None = None
    description: str | None = None
    idempotency_key: str | None = None
    product_id: int | None = None  # one the client bought; a quantity needs it


def is_open(claim: type[Claim]) -> ColumnElement[bool]:
    """SQL: the claim is open (open or in progress)."""
    return claim.status.in_(OPEN_STATUSES)


def is_closed(claim: type[Claim]) -> ColumnElement[bool]:
    """SQL: the claim is closed (resolved or rejected)."""
    return claim.status.in_(CLOSED)


def is_late(claim: type[Claim], today: dt.date) -> ColumnElement[bool]:
    """SQL: the claim is open and, on ``today``, has been for more than ``claim_alert_days``
    days (today − opened_on > alert days)."""
    cutoff = today - dt.timedelta(days=config.settings().claim_alert_days)
    return and_(is_open(claim), claim.opened_on < cutoff)


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


def _check_product(
    session: Session,
    checker: Checker,
    product_id: int | None,
    *,
    client: Client | None,
    qty: Decimal | None,
) -> int | None:
    # A claim is about goods the client received, so the product must be among its purchases;
    # the quantity is counted in the product's unit, so it needs the product.
    if product_id is None:
        if qty is not None:
            checker.add("product_id", "A quantity needs the product it counts; pick the product.")
        return None
    pid = checker.identifier("product_id", product_id, label=N_("Product"))
    if pid is None:
        return None
    product = session.get(Product, pid)
    if product is None:
        checker.add("product_id", Msg("There is no product with id {id}.", id=pid))
        return None
    if client is not None and not session.scalar(
        select(SalesLine.id).where(SalesLine.client_id == client.id, SalesLine.product_id == pid)
        .limit(1)
    ):  # fmt: skip
        checker.add(
            "product_id",
            Msg("{code} has never bought {sku}.", code=client.code, sku=product.sku),
        )
    return pid


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
    cid = checker.identifier("client_id", form.client_id, label=N_("Client"))
    if cid is not None:
        client = session.get(Client, cid)
        if client is None:
            checker.add("client_id", Msg("There is no client with id {id}.", id=cid))
    kind = checker.choice("kind", form.kind, label=N_("Kind"), choices=CLAIM_KINDS)
    opened_on = checker.past_date("opened_on", form.opened_on or today, label=N_("Date"), today=today)
    document_ref = checker.text(
        "document_ref",
        form.document_ref,
        label=N_("Document"),
        max_length=column_length(Claim.document_ref),
    )
    doc_no = checker.text(
        "sales_doc_no",
        form.sales_doc_no,
        label=N_("Sales document"),
        max_length=column_length(Claim.sales_doc_no),
    )
    _check_sales_doc(session, checker, doc_no, kind=kind, client=client)
    qty = checker.amount("qty", form.qty, label=N_("Quantity"), column=Claim.qty)
    product_id = _check_product(session, checker, form.product_id, client=client, qty=qty)
    amount = checker.amount("amount", form.amount, label=N_("Amount"), column=Claim.amount)
    description = checker.text(
        "description",
        form.description,
        label=N_("Description"),
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
            product_id=product_id,
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
        return Msg("The claim is already {status}.", status=claim_status_term(current))
    if target == "open":
        if current in CLOSED:
            return "A claim cannot go back to open; reopen it by moving it back to in progress."
        return "A claim cannot go back to open; it stays in progress until resolved or rejected."
    if current in CLOSED:
        return Msg(
            "A {status} claim cannot be {target} directly; reopen it (move it back to in "
            "progress) first.",
            status=claim_status_term(current),
            target=claim_status_term(target),
        )
    return Msg(
        "A claim cannot move from {status} to {target}.",
        status=claim_status_term(current),
        target=claim_status_term(target),
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
    root_cause_other: str | None = None,
    reason: str | None = None,
    closed_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Claim:
    """Move a claim along its workflow; closing needs a root cause (a code of the list; free
    text in ``root_cause_other`` only with "other"), resolution and justified; reopening needs
    a reason. ConflictError if it changed since ``expected_version``."""
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
    target = checker.choice("to_status", to_status, label=N_("Status"), choices=CLAIM_STATUSES)
    target_closes = to_status in CLOSED
    cause, other = root_causes.check_cause(
        session, checker, root_cause, root_cause_other, required=target_closes
    )
    fix = checker.text(
        "resolution", resolution, label=N_("Resolution"), max_length=column_length(Claim.resolution)
    )
    why = checker.text("reason", reason, label=N_("Reason"), max_length=REASON_MAX)
    values: dict[str, Any] = {"status": target}
    if target in CLOSED:
        if fix is None:
            checker.add("resolution", "Resolution is required to close a claim.")
        if not isinstance(justified, bool):
            checker.add("justified", "Say whether the claim was justified (yes or no).")
        closed = checker.past_date(
            "closed_on", closed_on or today, label=N_("Closing date"), today=today
        )
        checker.not_before(
            "closed_on",
            closed,
            label=N_("Closing date"),
            start=row.opened_on,
            start_label=N_("the claim's opening date"),
        )
        values |= {
            "root_cause_code": cause,
            "root_cause": other,
            "resolution": fix,
            "justified": justified,
            "closed_on": closed,
        }
    else:
        # Moving to in progress keeps what was written before unless new text is given.
        values |= {"closed_on": None}
        if cause is not None:
            values |= {"root_cause_code": cause, "root_cause": other}
        if fix is not None:
            values["resolution"] = fix
    if row.version == expected_version and target is not None:
        problem = _transition_problem(row.status, target)
        if problem:
            checker.add("to_status", problem)
        elif row.status in CLOSED and why is None:
            checker.add(
                "reason",
                Msg(
                    "Say why the {status} claim is reopened.", status=claim_status_term(row.status)
                ),
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
