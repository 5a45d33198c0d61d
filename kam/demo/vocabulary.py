"""The words the demo is built with, one set per language (``names_en``, ``names_ru``)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from types import ModuleType

from kam.demo import names_en, names_ru

LANGUAGES: dict[str, ModuleType] = {"en": names_en, "ru": names_ru}


@dataclass(frozen=True)
class Vocabulary:
    """One language's words; each field is the upper-case constant of its names module."""

    segments: tuple[str, ...]
    regions: tuple[str, ...]
    price_columns: dict[str, float]
    head: str
    admin: str
    first: tuple[str, ...]
    female: frozenset[str]
    last: tuple[str, ...]
    last_female: tuple[str, ...]
    positions: tuple[str, ...]
    names_by_segment: bool
    client_words: tuple[str, ...]
    client_names: tuple[tuple[str, ...], ...]
    sole_traders: tuple[str, ...]
    categories: tuple[str, ...]
    product_name: str
    product_items: tuple[tuple[str, ...], ...]
    brands: tuple[str, ...]
    return_reasons: tuple[str, ...]
    refusal_reasons: tuple[str, ...]
    competitors: tuple[str, ...]
    outcomes: tuple[str, ...]
    next_steps: tuple[str, ...]
    claim_kinds: dict[str, str]
    claim_description: str
    root_causes: tuple[str, ...]
    resolutions: tuple[str, ...]
    note_texts: dict[str, str]

    def person(self, first: int, last: int) -> str:
        """``first`` and ``last`` (positions in the lists) as a name, the surname agreeing."""
        given = self.first[first % len(self.first)]
        surnames = self.last_female if given in self.female else self.last
        return f"{given} {surnames[last % len(surnames)]}"


def vocabulary(language: str) -> Vocabulary:
    """The demo's words in ``language`` (``en`` or ``ru``); KeyError for any other."""
    module = LANGUAGES[language]
    return Vocabulary(**{f.name: getattr(module, f.name.upper()) for f in fields(Vocabulary)})
