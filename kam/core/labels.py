"""The names people read for coded values: one vocabulary per kind of code (the codes are in
kam.core.models) and one label function each, through t(). Nowhere else names a code.

A label is an English message id, so the locale catalog translates it; each thing has one word
("Mis-grading", never also "Mis grade"). Inside a sentence a status reads in lower case: its
``*_term`` gives that word as a ``Msg`` for the messages kam/ builds."""

from __future__ import annotations

import datetime as dt

from kam.core.i18n import Msg, t
from kam.core.periods import WEEKDAYS


def label(code: str) -> str:
    """A code of no vocabulary below (an audit entity or action) as people read it, translated:
    ``late_delivery`` → ``Late delivery``."""
    return t(code.replace("_", " ").capitalize())


CLAIM_KIND_LABELS = {
    "shortage": "Shortage",
    "mis_grade": "Mis-grading",
    "damage": "Damage",
    "quality": "Quality",
    "expiry": "Expiry",
    "price": "Price",
    "late_delivery": "Late delivery",
    "return": "Return",
    "refusal": "Refusal",
}
CLAIM_STATUS_LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "resolved": "Resolved",
    "rejected": "Rejected",
}
CONTACT_KIND_LABELS = {
    "visit": "Visit",
    "call": "Call",
    "meeting": "Meeting",
    "email": "Email",
}
CONTACT_STATUS_LABELS = {
    "planned": "Planned",
    "done": "Done",
    "cancelled": "Cancelled",
}
NOTE_KIND_LABELS = {
    "price": "Price",
    "promo": "Promotion",
    "new_product": "New product",
    "lost_order": "Lost order",
    "other": "Other",
}
PLAN_METRIC_LABELS = {
    "revenue": "Revenue",
    "active_clients": "Active clients",
    "new_clients": "New clients",
}
SALE_KIND_LABELS = {
    "sale": "Sale",
    "return": "Return",
    "refusal": "Refusal",
}


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
    return Msg(CLAIM_STATUS_LABELS[status].lower())


def contact_kind_label(kind: str) -> str:
    """The translated name of a contact (visit) kind: ``email`` → ``Email``."""
    return _of(CONTACT_KIND_LABELS, kind)


def contact_status_label(status: str) -> str:
    """The translated name of a contact (visit) status: ``done`` → ``Done``."""
    return _of(CONTACT_STATUS_LABELS, status)


def contact_status_term(status: str) -> Msg:
    """A contact status as a word inside a sentence, as a Msg: ``cancelled`` → ``cancelled``."""
    return Msg(CONTACT_STATUS_LABELS[status].lower())


def note_kind_label(kind: str) -> str:
    """The translated name of a competitor note kind: ``promo`` → ``Promotion``."""
    return _of(NOTE_KIND_LABELS, kind)


def plan_metric_label(metric: str) -> str:
    """The translated name of a plan metric: ``active_clients`` → ``Active clients``."""
    return _of(PLAN_METRIC_LABELS, metric)


def sale_kind_label(kind: str) -> str:
    """The translated name of a sales line kind: ``refusal`` → ``Refusal``."""
    return _of(SALE_KIND_LABELS, kind)


def weekday_label(day: dt.date) -> str:
    """The translated short name of ``day``'s weekday: ``Mon``."""
    return t(WEEKDAYS[day.weekday()])
