"""The one translation function for UI text, and the current language.

English source strings are the message ids; a language's catalog is ``kam/locale/<lang>.json``
mapping each id to its translation. A missing catalog or entry falls back to English.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from kam import config

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
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
def _catalog(code: str) -> dict[str, str]:
    path = LOCALE_DIR / f"{code}.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def t(msgid: str, /, **values: object) -> str:
    """Translate ``msgid`` into the current language and fill ``{placeholders}`` from values."""
    text = _catalog(language()).get(msgid, msgid)
    return text.format(**values) if values else text
