"""Text typed by people, made inert for the elements that read Markdown."""

from __future__ import annotations

import re
import string

# Markdown lets a backslash escape any ASCII punctuation and then drops the backslash: escaping
# all of it stops Markdown, LaTeX ($), colour directives and emoji shortcodes (:) and HTML (<).
_MARKDOWN = str.maketrans({c: "\\" + c for c in string.punctuation})
# Web addresses and e-mails in text become links after the escapes are read; an invisible
# word joiner inside "://", "www." and after "@" keeps them text.
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(\\:)(\\/\\/)|(www)(\\\.)|(\\@)()", re.IGNORECASE)


def inert(text: object) -> str:
    """Text typed by people, for any element that reads Markdown (markdown, captions, titles,
    labels, radio and tab options): shown exactly as typed, never as markup or a link."""
    escaped = str(text).translate(_MARKDOWN)
    return _AUTOLINK.sub(lambda m: _JOINER.join(g for g in m.groups() if g is not None), escaped)
