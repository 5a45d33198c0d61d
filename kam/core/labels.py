"""The names people read for coded values: one vocabulary per kind of code (the codes are in
kam.core.models) and one label function each, through t(). Nowhere else names a code.

A label is an English message id, so the locale catalog translates it; each thing has one word
("Mis-grading", never also "Mis grade"). Inside a sentence a status reads in lower case: its
``*_term`` gives that word as a ``Msg`` for the messages kam/ builds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from kam.core.i18n import N_, Msg, t
from kam.core.periods import WEEKDAYS


def label(code: str) -> str:
    """A code of no vocabulary below (an audit entity or action) as people read it, translated:
    ``late_delivery`` → ``Late delivery``."""
    return t(code.replace("_", " ").capitalize())


CLAIM_KIND_LABELS = {
    "shortage": N_("Shortage"),
    "mis_grade": N_("Mis-grading"),
    "damage": N_("Damage"),
    "quality": N_("Quality"),
    "expiry": N_("Expiry"),
    "price": N_("Price"),
    "late_delivery": N_("Late delivery"),
    "return": N_("Return"),
    "refusal": N_("Refusal"),
}
CLAIM_STATUS_LABELS = {
    "open": N_("Open"),
    "in_progress": N_("In progress"),
    "resolved": N_("Resolved"),
    "rejected": N_("Rejected"),
}
CONTACT_KIND_LABELS = {
    "visit": N_("Visit"),
    "call": N_("Call"),
    "meeting": N_("Meeting"),
    "email": N_("Email"),
}
CONTACT_STATUS_LABELS = {
    "planned": N_("Planned"),
    "done": N_("Done"),
    "cancelled": N_("Cancelled"),
}
NOTE_KIND_LABELS = {
    "price": N_("Price"),
    "promo": N_("Promotion"),
    "new_product": N_("New product"),
    "lost_order": N_("Lost order"),
    "other": N_("Other"),
}
PLAN_METRIC_LABELS = {
    "revenue": N_("Revenue"),
    "active_clients": N_("Active clients"),
    "new_clients": N_("New clients"),
}
# The root causes a new company starts with (migration 0007); those the head adds are shown
# as the head typed them.
ROOT_CAUSE_LABELS = {
    "picking_error": N_("Warehouse picking error"),
    "transport_damage": N_("Transport damage"),
    "supplier_defect": N_("Supplier defect"),
    "expired_stock": N_("Expired stock"),
    "documentation_error": N_("Documentation error"),
    "price_error": N_("Price list error"),
    "other": N_("Other"),
}
SALE_KIND_LABELS = {
    "sale": N_("Sale"),
    "return": N_("Return"),
    "refusal": N_("Refusal"),
}

# The fields of a record as the audit trail names them (before → after); a field not named
# here reads as its name with spaces (``payment_terms_days`` → ``Payment terms days``).
FIELD_LABELS = {
    "id": N_("Id"),
    "active": N_("Active"),
    "amount": N_("Amount"),
    "author_id": N_("Author"),
    "category": N_("Category"),
    "client_id": N_("Client"),
    "closed_on": N_("Closed on"),
    "code": N_("Code"),
    "competitor_id": N_("Competitor"),
    "contract_end": N_("Contract end"),
    "contract_no": N_("Contract number"),
    "contract_start": N_("Contract start"),
    "created_at": N_("Created"),
    "created_by_id": N_("Created by"),
    "credit_limit": N_("Credit limit"),
    "description": N_("Description"),
    "document_ref": N_("Document"),
    "done_at": N_("Done on"),
    "email": N_("Email"),
    "ends_on": N_("To, inclusive"),
    "from_manager_id": N_("Whose portfolio"),
    "idempotency_key": N_("Submission key"),
    "justified": N_("Justified"),
    "kind": N_("Kind"),
    "label": N_("Label"),
    "language": N_("Language"),
    "manager": N_("Manager"),
    "manager_id": N_("Manager"),
    "metric": N_("Metric"),
    "name": N_("Name"),
    "next_step": N_("Next step"),
    "next_step_date": N_("Next step date"),
    "noted_on": N_("Noted on"),
    "notes": N_("Notes"),
    "opened_on": N_("Opened on"),
    "our_price": N_("Our price"),
    "outcome": N_("Outcome"),
    "payment_terms_days": N_("Payment terms, days"),
    "period": N_("Month"),
    "planned_for": N_("Planned for"),
    "product": N_("Product"),
    "product_id": N_("Product"),
    "qty": N_("Quantity"),
    "reason": N_("Reason"),
    "region": N_("Region"),
    "resolution": N_("Resolution"),
    "role": N_("Role"),
    "root_cause": N_("Root cause"),
    "root_cause_code": N_("Root cause"),
    "sales_doc_no": N_("Sales document"),
    "segment": N_("Segment"),
    "starts_on": N_("From"),
    "status": N_("Status"),
    "target": N_("Plan"),
    "text": N_("Text"),
    "their_price": N_("Their price"),
    "to_manager_id": N_("To whom"),
    "visit_id": N_("Visit"),
}
# A coded value of a record's field reads by its vocabulary: CODED_FIELDS, at the end.

# A figure without a plan (as against a plan of 0, which is shown as 0): said one way everywhere.
NO_PLAN = N_("No plan")
NO_PLAN_TERM = N_("no plan")

# The same words inside a sentence, for the messages kam/ builds ("The claim is already in
# progress."); visits.py names a contact's kind and status by its code, which is this word.
CLAIM_STATUS_TERMS = {
    "open": N_("open"),
    "in_progress": N_("in progress"),
    "resolved": N_("resolved"),
    "rejected": N_("rejected"),
}
CONTACT_KIND_TERMS = {
    "visit": N_("visit"),
    "call": N_("call"),
    "meeting": N_("meeting"),
    "email": N_("email"),
}
CONTACT_STATUS_TERMS = {
    "planned": N_("planned"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
}
# A role as a word, in a sentence too ("Irina signed in as KAM").
ROLE_LABELS = {"kam": N_("KAM"), "head": N_("head of sales"), "admin": N_("administrator")}
# Statuses shown by their code as the message id: a client's, a delegation's.
STATUS_WORDS = (
    N_("active"), N_("potential"), N_("lost"), N_("upcoming"), N_("current"), N_("past"),
)  # fmt: skip
# Words label() makes of codes, marked here so the catalog has them: audit records and
# actions, records named in a conflict ("This claim was changed…"), import file entities.
AUDIT_WORDS = (
    N_("Claim"), N_("Client"), N_("Competitor"), N_("Competitor note"), N_("Delegation"),
    N_("Demo"), N_("Forecast band"), N_("Manager"), N_("Plan"), N_("Receivable store"), N_("Visit"),
    N_("Cancel"), N_("Complete"),
    N_("Create"), N_("Deactivate"), N_("Delete"), N_("Import"), N_("Learn"), N_("Load"), N_("Log"),
    N_("Open"), N_("Reassign"), N_("Refresh"), N_("Reopen"), N_("Update"),
)  # fmt: skip
RECORD_TERMS = (
    N_("claim"), N_("client"), N_("competitor note"), N_("delegation"), N_("manager"),
    N_("plan"), N_("visit"),
)  # fmt: skip
IMPORT_ENTITIES = (
    N_("managers"), N_("clients"), N_("contacts"), N_("products"), N_("sales"),
    N_("invoices"), N_("payments"), N_("plans"),
)  # fmt: skip
IMPORT_COUNTS = (N_("Rows"), N_("Inserted"), N_("Updated"), N_("Unchanged"))


def _of(vocabulary: dict[str, str], code: str) -> str:
    # A code outside the vocabulary (none is allowed in the database) still reads as words.
    return t(vocabulary[code]) if code in vocabulary else label(code)


def claim_kind_label(kind: str) -> str:
    """The translated name of a claim kind: ``mis_grade`` → ``Mis-grading``."""
    return _of(CLAIM_KIND_LABELS, kind)


def claim_status_label(status: str) -> str:
    """The translated name of a claim status: ``in_progress`` → ``In progress``."""
    return _of(CLAIM_STATUS_LABELS, status)


def claim_status_term(status: str) -> Msg:
    """A claim status as a word inside a sentence, as a Msg: ``in_progress`` → ``in progress``
    ("The claim is already in progress.")."""
    return Msg(CLAIM_STATUS_TERMS[status])


def role_term(role: str) -> Msg:
    """A role as a word inside a sentence, as a Msg: ``head`` → ``head of sales``."""
    return Msg(ROLE_LABELS[role])


def role_label(role: str) -> str:
    """The translated name of a role: ``kam`` → ``KAM``."""
    return _of(ROLE_LABELS, role)


def contact_kind_label(kind: str) -> str:
    """The translated name of a contact (visit) kind: ``email`` → ``Email``."""
    return _of(CONTACT_KIND_LABELS, kind)


def contact_status_label(status: str) -> str:
    """The translated name of a contact (visit) status: ``done`` → ``Done``."""
    return _of(CONTACT_STATUS_LABELS, status)


def contact_status_term(status: str) -> Msg:
    """A contact status as a word inside a sentence, as a Msg: ``cancelled`` → ``cancelled``."""
    return Msg(CONTACT_STATUS_TERMS[status])


def note_kind_label(kind: str) -> str:
    """The translated name of a competitor note kind: ``promo`` → ``Promotion``."""
    return _of(NOTE_KIND_LABELS, kind)


def plan_metric_label(metric: str) -> str:
    """The translated name of a plan metric: ``active_clients`` → ``Active clients``."""
    return _of(PLAN_METRIC_LABELS, metric)


def root_cause_label(code: str, stored: str | None = None) -> str:
    """A claim root cause as people read it: the translated name of a seeded one, else the label
    the head gave it (``stored``)."""
    if code in ROOT_CAUSE_LABELS:
        return t(ROOT_CAUSE_LABELS[code])
    return stored or label(code)


def sale_kind_label(kind: str) -> str:
    """The translated name of a sales line kind: ``refusal`` → ``Refusal``."""
    return _of(SALE_KIND_LABELS, kind)


def no_plan_label(*, in_sentence: bool = False) -> str:
    """What a figure without a plan says, translated: ``No plan`` (``no plan`` in a sentence)."""
    return t(NO_PLAN_TERM if in_sentence else NO_PLAN)


def field_label(field: str) -> str:
    """A record's field as people read it, translated: ``credit_limit`` → ``Credit limit``; a
    field of no vocabulary reads as its name with spaces."""
    return _of(FIELD_LABELS, field)


def value_label(entity: str, field: str, code: str) -> str | None:
    """A coded value of a record's field in words (``claim``, ``kind``, ``mis_grade`` →
    ``Mis-grading``), or None when the field holds no code of a vocabulary."""
    label_of = CODED_FIELDS.get((entity, field))
    return label_of(code) if label_of else None


def weekday_label(day: dt.date) -> str:
    """The translated short name of ``day``'s weekday: ``Mon``."""
    return t(WEEKDAYS[day.weekday()])


CODED_FIELDS: dict[tuple[str, str], Callable[[str], str]] = {
    ("claim", "kind"): claim_kind_label,
    ("claim", "status"): claim_status_label,
    ("visit", "kind"): contact_kind_label,
    ("visit", "status"): contact_status_label,
    ("competitor_note", "kind"): note_kind_label,
    ("plan", "metric"): plan_metric_label,
    ("claim", "root_cause_code"): root_cause_label,
    ("manager", "role"): lambda role: t(role),
    ("client", "status"): lambda status: t(status),
}
