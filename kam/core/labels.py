"""The names people read for coded values (claim kinds and statuses, any code), through t()."""

from __future__ import annotations

from kam.core.i18n import t


def label(code: str) -> str:
    """A coded value as people read it, translated: ``late_delivery`` → ``Late delivery``."""
    return t(code.replace("_", " ").capitalize())


KIND_LABELS = {
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
STATUS_LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "resolved": "Resolved",
    "rejected": "Rejected",
}


def kind_label(kind: str) -> str:
    """The translated name of a claim kind."""
    return t(KIND_LABELS.get(kind, kind))


def status_label(status: str) -> str:
    """The translated name of a claim status."""
    return t(STATUS_LABELS.get(status, status))
