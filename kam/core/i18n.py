"""The one translation function for UI text, and the current language.

English source strings are the message ids; a language's catalog is ``kam/locale/<lang>.json``
mapping each id to its translation. A missing catalog or entry falls back to English. Text that
``kam/`` builds for people (validation problems, refusals) is a ``Msg``: the id and its values
travel together, so the page translates it when it shows it.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel import Locale

from kam.core import config

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES = {"en": "English", "ru": "Русский"}
# Babel locales used to format numbers, money and dates for each UI language.
BABEL_LOCALES = {"en": "en_GB", "ru": "ru_RU"}

_language: ContextVar[str | None] = ContextVar("kam_language", default=None)


def set_language(code: str) -> None:
    """Use ``code`` for this thread's (this Streamlit session's run) UI text and formats."""
    _language.set(code if code in LANGUAGES else "en")


def language() -> str:
    """The current UI language code."""
    return _language.get() or config.settings().language


def babel_locale() -> str:
    """The Babel locale matching the UI language."""
    return BABEL_LOCALES.get(language(), "en_GB")


@lru_cache(maxsize=8)
def _catalog(code: str) -> dict[str, str | dict[str, str]]:
    path = LOCALE_DIR / f"{code}.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


class Msg(str):
    """A message id with its values: reads as its English text, and ``t()`` translates it.
    Values that are themselves ``Msg`` (a field's label, say) are translated too."""

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, /, **values: object) -> Msg:
        # Without values the id is the text as it is: it may hold braces (a pickled Msg comes
        # back this way, its id and values restored right after).
        self = super().__new__(cls, msgid.format(**values) if values else msgid)
        self.msgid = msgid
        self.values = values
        return self


def term(text: str) -> Msg:
    """``text`` as a message of its own, so a sentence that quotes it translates it too."""
    return text if isinstance(text, Msg) else Msg(text)


def text_of(exc: BaseException) -> str:
    """The message an exception was raised with: its ``Msg`` when it has one."""
    first = exc.args[0] if exc.args else ""
    return first if isinstance(first, Msg) else str(exc)


def t(msgid: str, /, **values: object) -> str:
    """Translate ``msgid`` (a string or a ``Msg``) into the current language and fill its
    ``{placeholders}`` from values."""
    if isinstance(msgid, Msg):
        values = msgid.values | values
        msgid = msgid.msgid
    text = _catalog(language()).get(msgid, msgid)
    if not isinstance(text, str):  # a plural entry asked for without a count
        text = msgid
    return _fill(text, values)


def tn(singular: str, plural: str, count: float, /, **values: object) -> str:
    """Like ``t()`` for text whose wording follows a count: English takes ``singular`` for 1
    and ``plural`` otherwise; a catalog entry (keyed by ``singular``) maps each CLDR plural
    category of its language (one, few, many, other) to a form."""
    forms = _catalog(language()).get(singular)
    if isinstance(forms, dict):
        category = Locale.parse(babel_locale()).plural_form(abs(count))
        text = forms.get(category) or forms.get("other") or plural
    else:
        text = singular if count == 1 else plural
    return _fill(text, values)


def _fill(text: str, values: dict[str, object]) -> str:
    if not values:
        return text
    return text.format(**{k: t(v) if isinstance(v, Msg) else v for k, v in values.items()})
