"""Cells a spreadsheet would run as formulas: the guard every file the project writes puts
before them, and the reading of that guard when such a file comes back as an import."""

from __future__ import annotations

# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and carriage
# return, strips them and then may read what follows as one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"  # a spreadsheet's own mark for "text as typed"; it is not part of the value


def _runs(text: str) -> bool:
    # After any guards already there: a text typed as '=1 keeps its own apostrophe, so a guard
    # is added before it too, and reading takes exactly one off.
    return text.lstrip(GUARD).startswith(FORMULA_STARTS)


def defused(value: object) -> object:
    """A text cell a spreadsheet would run, with the guard before it so it stays text; any other
    value as it is (OWASP's advice on CSV injection)."""
    if isinstance(value, str) and _runs(value):
        return GUARD + value
    return value


def undefused(text: str) -> str:
    """The value a guarded cell stands for (``'=1+2`` → ``=1+2``); any other text as it is."""
    if text.startswith(GUARD) and _runs(text):
        return text[1:]
    return text
