"""No page shows text that bypasses the translation layer.

Every page runs in AppTest on the demo data with a pseudo-locale in which ``t()`` and ``tn()``
wrap each message in ⟦…⟧. Every text a person sees (titles, markdown, captions, labels, help,
options, buttons, metrics, tabs, expanders, table headers) must then be marked, or be data of
the demo company (names, codes), numbers, dates or money.
"""

from __future__ import annotations

import gettext
import html
import json
import re
from collections.abc import Iterator

import pytest
from babel import Locale
from google.protobuf.json_format import MessageToDict
from sqlalchemy import select

from kam.core import db, i18n
from kam.core.models import (
    Claim,
    ClaimRootCause,
    Client,
    Competitor,
    CompetitorNote,
    Contact,
    Manager,
    Product,
    Visit,
)  # fmt: skip
from tests.apptest import run_app

OPEN, CLOSE = "⟦", "⟧"
# Known and left: the import page shows the import rules, a document in English only.
NOT_TRANSLATED = ("# Importing from the accounting system",)
# Proto fields that hold text a person reads; values typed or chosen (value, default) are data.
TEXT_FIELDS = {"label", "body", "help", "placeholder", "options", "content", "title", "columns"}
# Letters that are no words: the trade's abbreviations and the units of the formats.
# Single letters are the ABC and XYZ classes.
ALLOWED = {"ABC", "XYZ", "DSO", "PDF", "CSV", "XLSX", "RUB", "KAM", "k", "m", "bn", "tn", "id",
           "A", "B", "C", "X", "Y", "Z"}  # fmt: skip


class Pseudo(gettext.NullTranslations):
    """Every message marked, so text that skipped ``t()`` stands out."""

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"{OPEN}{singular if n == 1 else plural}{CLOSE}"


@pytest.fixture(scope="module")
def data_words(demo_database) -> re.Pattern[str]:
    """Everything the demo company holds that a page may show as it is, longest first."""
    with db.reading(db.engine(demo_database)) as s:
        words = set()
        for column in (Client.name, Client.code, Client.segment, Client.region, Client.contract_no,
                       Client.price_column, Manager.name, Manager.code, Manager.email,
                       Product.name, Product.sku, Product.category, Competitor.name,
                       Contact.name, Contact.position, Contact.email, Visit.outcome, Visit.notes,
                       Visit.next_step, Claim.description, Claim.resolution, Claim.root_cause,
                       Claim.document_ref, ClaimRootCause.label, CompetitorNote.text,
                       CompetitorNote.product, CompetitorNote.category):  # fmt: skip
            words |= {str(v) for v in s.scalars(select(column).distinct()) if v}
    words |= set(i18n.LANGUAGES.values())  # each language is named in its own
    locale = Locale.parse("en_GB")
    for names in (locale.months["format"], locale.months["stand-alone"], locale.days["format"]):
        for width in ("abbreviated", "wide"):
            words |= set(names[width].values())
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered))


def strings(value: object) -> Iterator[str]:
    """The strings in a proto turned into a dict, under the text fields only."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in TEXT_FIELDS:
                yield from _all(item, key)
            else:
                yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def _all(value: object, key: str) -> Iterator[str]:
    if isinstance(value, str):
        if key == "columns" and value.startswith("{"):
            # A dataframe's column config: the headers people read are its labels.
            config = json.loads(value)
            yield from (c["label"] for c in config.values() if isinstance(c, dict) and "label" in c)
        else:
            yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _all(item, key)


def texts(at) -> Iterator[str]:
    """Every text of the page and its sidebar."""
    stack = [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if proto is not None and node.type != "dataframe":
            yield from strings(MessageToDict(proto, preserving_proto_field_name=True))
        elif proto is not None:
            yield from _all(getattr(proto, "columns", ""), "columns")
        if isinstance(spec := getattr(proto, "spec", None), str) and spec.startswith("{"):
            yield from titles(json.loads(spec))  # a chart's axis, legend and tooltip titles


def titles(spec: object) -> Iterator[str]:
    """The titles in a Vega-Lite spec (its data sets aside)."""
    if isinstance(spec, dict):
        for key, item in spec.items():
            if key == "title" and isinstance(item, str):
                yield item
            elif key != "datasets":
                yield from titles(item)
    elif isinstance(spec, list):
        for item in spec:
            yield from titles(item)


def unmarked(text: str, data: re.Pattern[str]) -> str | None:
    """What is left of ``text`` once the marked messages, data, markup and numbers are gone,
    when letters are left; else None."""
    # The review's slides are HTML with their style sheet; a page may add a script.
    text = re.sub(r"<(style|script)>.*?</\1>", " ", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"\\(.)", r"\1", text)  # Markdown's escapes
    text = re.sub("[\u200b\u2060]", "", text)  # joiners that keep an e-mail from being a link
    previous = None
    while previous != text:  # a message may hold another as a value
        previous, text = text, re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # a link's target
    text = re.sub(r":material/\w+:|:[\w-]+\[|\*\*|`", " ", text)
    text = data.sub(" ", text)
    text = re.sub(r"[^\W\d_]+…", " ", text)  # a name cut short to fit
    words = [w for w in re.findall(r"[^\W\d_]+", text) if w not in ALLOWED]
    return " ".join(words) if words else None


@pytest.fixture
def pseudo(monkeypatch):
    monkeypatch.setattr(i18n, "_translations", lambda code: Pseudo())


def first_client(url: str) -> str:
    with db.reading(db.engine(url)) as s:
        return s.scalars(select(Client.code).order_by(Client.code).limit(1)).one()


PAGES = [
    ("pages/desk.py", {}, None),
    ("pages/desk.py", {}, "K01"),
    ("pages/clients.py", {}, None),
    ("pages/clients.py", {}, "K01"),
    ("pages/client.py", {"client": "FIRST"}, None),
    ("pages/plan.py", {}, None),
    ("pages/week.py", {}, None),
    ("pages/week.py", {}, "K01"),
    ("pages/plans_admin.py", {}, None),
    ("pages/receivables.py", {}, None),
    ("pages/claims.py", {}, None),
    ("pages/competitors.py", {}, None),
    ("pages/review.py", {}, None),
    ("pages/review.py", {"tv": "1", "slide": "2"}, None),
    ("pages/import_data.py", {}, None),
    ("pages/users.py", {}, None),
    ("pages/audit.py", {}, None),
]


@pytest.mark.parametrize(("page", "params", "viewer"), PAGES)
def test_every_text_of_the_page_went_through_the_translation_layer(
    monkeypatch, demo_database, data_words, pseudo, page, params, viewer
):
    params = {k: first_client(demo_database) if v == "FIRST" else v for k, v in params.items()}
    at = run_app(monkeypatch, demo_database, page=page, params=params, viewer=viewer)
    seen = list(texts(at))
    assert any(OPEN in text for text in seen), "the pseudo-locale is in use"
    bypassed = {
        text: left
        for text in seen
        if not text.startswith(NOT_TRANSLATED) and (left := unmarked(text, data_words))
    }
    assert bypassed == {}
