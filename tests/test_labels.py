"""One vocabulary per kind of code, each naming every code of kam.core.models exactly once, and
one label function per vocabulary that translates through t()."""

from __future__ import annotations

import datetime as dt

import pytest

from kam.core import i18n, labels, models
from kam.core.i18n import Msg
from tests.catalogs import russian_only

VOCABULARIES = [
    # (codes in the database, the vocabulary, its label function)
    (models.CLAIM_KINDS, labels.CLAIM_KIND_LABELS, labels.claim_kind_label),
    (models.CLAIM_STATUSES, labels.CLAIM_STATUS_LABELS, labels.claim_status_label),
    (models.VISIT_KINDS, labels.CONTACT_KIND_LABELS, labels.contact_kind_label),
    (models.VISIT_STATUSES, labels.CONTACT_STATUS_LABELS, labels.contact_status_label),
    (models.NOTE_KINDS, labels.NOTE_KIND_LABELS, labels.note_kind_label),
    (models.PLAN_METRICS, labels.PLAN_METRIC_LABELS, labels.plan_metric_label),
    (models.SALE_KINDS, labels.SALE_KIND_LABELS, labels.sale_kind_label),
]
IDS = [fn.__name__ for _, _, fn in VOCABULARIES]


@pytest.mark.parametrize(("codes", "vocabulary", "label_of"), VOCABULARIES, ids=IDS)
def test_each_vocabulary_names_every_code_and_nothing_else(codes, vocabulary, label_of):
    assert list(vocabulary) == list(codes)  # every code, in the order the models list them
    for code in codes:
        assert label_of(code) == vocabulary[code]
        assert label_of(code) and label_of(code)[0].isupper()
    # One word per thing: two codes of one kind never read the same.
    assert len(set(vocabulary.values())) == len(codes)


@pytest.mark.parametrize(("codes", "vocabulary", "label_of"), VOCABULARIES, ids=IDS)
def test_every_label_goes_through_the_catalog(monkeypatch, codes, vocabulary, label_of):
    catalog = {text: f"«{text}»" for text in vocabulary.values()}
    monkeypatch.setattr(i18n, "_translations", russian_only(catalog))
    i18n.set_language("ru")
    try:
        assert [label_of(c) for c in codes] == [f"«{vocabulary[c]}»" for c in codes]
    finally:
        i18n.set_language("en")


def test_the_words_people_read():
    # The ones that were spelt two ways before they had one home.
    assert labels.claim_kind_label("mis_grade") == "Mis-grading"  # was also "Mis grade"
    assert labels.note_kind_label("promo") == "Promotion"  # was also "Promo"
    assert labels.claim_kind_label("late_delivery") == "Late delivery"
    assert labels.plan_metric_label("active_clients") == "Active clients"


def test_a_status_inside_a_sentence_is_the_same_word_in_lower_case():
    word = labels.claim_status_term("in_progress")
    assert isinstance(word, Msg) and word.msgid == "in progress"
    assert Msg("The claim is already {status}.", status=word) == "The claim is already in progress."
    assert labels.contact_status_term("cancelled").msgid == "cancelled"
    # Each term is its label in lower case, so the two never drift apart.
    pairs = [
        (labels.CLAIM_STATUS_TERMS, labels.CLAIM_STATUS_LABELS),
        (labels.CONTACT_STATUS_TERMS, labels.CONTACT_STATUS_LABELS),
        (labels.CONTACT_KIND_TERMS, labels.CONTACT_KIND_LABELS),
    ]
    for terms, vocabulary in pairs:
        assert terms == {code: word.lower() for code, word in vocabulary.items()}
    assert set(labels.ROLE_LABELS) == set(models.ROLES)


def test_weekdays_read_short():
    monday = dt.date(2026, 11, 16)
    assert [labels.weekday_label(monday + dt.timedelta(days=i)) for i in range(7)] == [
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
    ]  # fmt: skip


def test_a_code_outside_every_vocabulary_still_reads_as_words():
    assert labels.label("late_delivery") == "Late delivery"
    assert labels.claim_kind_label("something_new") == "Something new"


# The second spellings each word had before it had one home: none may come back in kam/ or
# pages/ (the vocabulary itself names them only to say they are gone).
SECOND_SPELLINGS = {
    "Mis-grading": ("Mis grade", "Misgrade", "Mis-grade", "Misgrading", "Mis grading"),
    "Promotion": ('"Promo"', "'Promo'", '"Promo ', 'N_("Promo', 't("Promo'),
    "No plan": ("No plan set", "Not planned", "Without a plan", "Plan not set"),
}


def _sources() -> list[tuple[str, str]]:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [*sorted((root / "kam").rglob("*.py")), *sorted((root / "pages").glob("*.py"))]
    return [
        (str(f.relative_to(root)), f.read_text(encoding="utf-8"))
        for f in files
        if f.name != "labels.py" and "migrations" not in f.parts
    ]


@pytest.mark.parametrize("word", list(SECOND_SPELLINGS))
def test_one_word_per_thing_in_kam_and_pages(word):
    found = [
        (path, other)
        for path, text in _sources()
        for other in SECOND_SPELLINGS[word]
        if other in text
    ]
    assert not found, f"say {word!r} through kam.core.labels: {found}"


def test_the_vocabulary_itself_is_used_for_every_kind_and_for_no_plan():
    # Every page that names a claim kind or a note kind gets it from its label function: no
    # page spells a label of these vocabularies as a literal message id of its own.
    literals = [f't("{w}")' for w in (*labels.CLAIM_KIND_LABELS.values(),
                                      *labels.NOTE_KIND_LABELS.values(), labels.NO_PLAN)]  # fmt: skip
    found = [(path, lit) for path, text in _sources() for lit in literals if lit in text]
    assert not found, found
    assert labels.no_plan_label() == "No plan"
    assert labels.no_plan_label(in_sentence=True) == "no plan"
