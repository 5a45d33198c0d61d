"""The one door for UI text: gettext catalogs (``kam/locale/<lang>/LC_MESSAGES/kam.mo``, compiled
by ``make`` from the committed ``.po`` files) and the current language.

English source strings are the message ids; a missing catalog or entry falls back to English.
Text that ``kam/`` builds for people (validation problems, refusals) is a ``Msg``: the id and
its values travel together, so the page translates it when it shows it. Placeholders are
``{name}`` (``str.format``), filled after translation.
"""

from __future__ import annotations

import gettext
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.support import Translations

from kam.core import config

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "kam"
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


def supported(code: str | None) -> str | None:
    """The UI language a code names (``ru``, ``ru-RU``, ``RU_ru``), or None when we have none."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].strip().lower()
    return base if base in LANGUAGES else None


def choose_language(
    *,
    own: str | None = None,
    url: str | None = None,
    browser: str | None = None,
    default: str = "en",
) -> str:
    """The language to show: the person's own setting, else ``?lang=``, else the browser's,
    else the deployment default; a code we have no catalog for is passed over."""
    for candidate in (own, url, browser, default):
        if code := supported(candidate):
            return code
    return "en"


@lru_cache(maxsize=8)
def _translations(code: str) -> gettext.NullTranslations:
    # Without a compiled catalog (make not run) Babel gives null translations: English.
    return Translations.load(str(LOCALE_DIR), [code], DOMAIN)


def texts_key() -> tuple[str, int]:
    """What the current texts depend on, for a cache of things drawn with them: the language and
    its catalog as loaded."""
    return language(), id(_translations(language()))


def N_(text: str) -> str:  # noqa: N802 - the gettext convention extractors look for
    """Mark ``text`` for extraction where it is defined; ``t()`` translates it where shown."""
    return text


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
    text = _translations(language()).gettext(msgid) if msgid else msgid
    return _fill(text, values)


def tn(singular: str, plural: str, count: float, /, **values: object) -> str:
    """Like ``t()`` for text whose wording follows a count: the catalog's ``Plural-Forms``
    picks the form (Russian has three: 1 день, 2 дня, 5 дней)."""
    n = abs(count)
    # gettext counts whole numbers only; a fraction reads like 2 in both languages
    # ("1.5 days", "1,5 дня").
    whole = int(n) if n == int(n) else 2
    text = _translations(language()).ngettext(singular, plural, whole)
    return _fill(text, values)


def _fill(text: str, values: dict[str, object]) -> str:
    if not values:
        return text
    return text.format(**{k: t(v) if isinstance(v, Msg) else v for k, v in values.items()})
