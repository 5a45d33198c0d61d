"""Names in Russian alphabetical order: one sort key for every list sorted by name in Python.

Neither PyICU (a C++ build against libicu) nor pyuca is in our lock, so this is the Russian
alphabet's order for the letters names are written in: case aside, digits before letters,
"ё" a letter of its own between "е" and "ж", "й" one after "и", accents on Latin letters aside.
Latin names come before Cyrillic ones, as in Unicode's own order: the key must not depend on
the reader's language, because sorted lists are cached for every session alike.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

import pandas as pd

# Each character's place is its code point doubled, which leaves an odd place free right
# after "е" for "ё" (U+0451, past "я" in Unicode).
_YO = chr(2 * ord("е") + 1)
_SEP = "\x00"  # below every character: a name that is a prefix of another sorts first


def _place(char: str) -> str:
    if char == "ё":
        return _YO
    if char == "й":  # NFD would make it "и" + breve: in Russian it is a letter of its own
        return chr(2 * ord(char))
    places = []
    for c in unicodedata.normalize("NFD", char):
        if unicodedata.combining(c):
            continue  # é sorts with e; the accent only breaks ties
        places.append(chr(min(2 * ord(c), 0x10FFFF)))
    return "".join(places)


def name_key(name: str | None) -> str:
    """The sort key of a name: ``sorted(names, key=name_key)`` gives Russian order."""
    text = " ".join(str(name or "").split())
    folded = text.casefold()
    primary = "".join(_place(c) for c in folded)
    # Ties: accents (e before é), then lower case before upper.
    return _SEP.join((primary, folded, text.swapcase()))


def sort_by_name(
    frame: pd.DataFrame, column: str = "name", *, first: Mapping[str, bool] | None = None
) -> pd.DataFrame:
    """``frame`` ordered by ``column`` in Russian order, after the ``first`` columns (each
    ascending or not), with a fresh index."""
    before = dict(first or {})
    return frame.sort_values(
        [*before, column],
        ascending=[*before.values(), True],
        key=lambda values: values.map(name_key) if values.name == column else values,
        kind="stable",
    ).reset_index(drop=True)
