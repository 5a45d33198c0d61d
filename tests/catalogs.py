"""Stand-in gettext catalogs for tests that check a message is translated, not how."""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping

from kam.core import i18n


class FakeTranslations(gettext.NullTranslations):
    """Translates the ids of ``mapping``; any other id stays English."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        super().__init__()
        self.mapping = mapping

    def gettext(self, message: str) -> str:
        return self.mapping.get(message, message)


def russian_only(mapping: Mapping[str, str]) -> Callable[[str], gettext.NullTranslations]:
    """A stand-in for ``i18n._translations``: ``mapping`` for Russian, English otherwise."""

    def translations(code: str) -> gettext.NullTranslations:
        return FakeTranslations(mapping) if code == "ru" else gettext.NullTranslations()

    assert hasattr(i18n, "_translations")  # the hook these tests replace
    return translations
