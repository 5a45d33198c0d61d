"""Which encoding a CSV file is in, decided from its bytes: UTF-8 when all of it is, else
Windows-1251 when every line that is not plain ASCII reads as it. A file whose lines disagree,
or whose text reads as Western European (Latin-1) rather than Russian, is refused with the
first line that does not fit."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from kam.core.i18n import Msg
from kam.importer.summaries import ReadError

_BLOCK = 1 << 20
# A byte that is not UTF-8, decoded with surrogateescape; and a character beyond ASCII that is.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
_BEYOND_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
# Windows-1251 bytes by kind: L a Latin letter, C a Cyrillic one (А-я, Ё, ё), space anything
# else. Latin-1 read as Windows-1251 puts one C inside a Latin word ("Müller" reads "Mьller");
# Russian text has runs of three C and more.
_LETTER_KINDS = bytes(
    ord("L") if chr(b).isascii() and chr(b).isalpha() else
    ord("C") if b >= 0xC0 or b in (0xA8, 0xB8) else ord(" ")
    for b in range(256)
)  # fmt: skip


def detect_encoding(path: Path) -> str:
    """The Python codec for a CSV file, ``utf-8-sig`` or ``cp1251``; ReadError when the file
    is in neither, or mixes them."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadError(
            1,
            "file",
            Msg("is saved as UTF-16; expected UTF-8 or Windows-1251 (in Excel: CSV UTF-8)"),
        )
    if _is_utf8(path):
        return "utf-8-sig"
    _check_single_byte(path)
    return "cp1251"


def _is_utf8(path: Path) -> bool:
    # Whole blocks at C speed: nearly every file is UTF-8 and never reaches the line scan.
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        while True:
            block = fh.read(_BLOCK)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError:
                return False
            if not block:
                return True


def _check_single_byte(path: Path) -> None:
    """Raise ReadError at the first line that does not read as Windows-1251 like the others."""
    seen = _Seen()
    line = 1  # the number of the first line of ``data``
    carry = b""
    with path.open("rb") as fh:
        while True:
            block = fh.read(_BLOCK)
            data, carry = carry + block, b""
            if block:  # whole lines only: the rest waits for the next block
                cut = data.rfind(b"\n") + 1
                data, carry = data[:cut], data[cut:]
            if data:
                _check_lines(data, line, seen)
                line += data.count(b"\n")
            if not block:
                return


class _Seen:
    """The first line so far that is UTF-8 (and not plain ASCII), and the first that is not."""

    utf8: int | None = None
    other: int | None = None


def _check_lines(data: bytes, line: int, seen: _Seen) -> None:
    # Whole blocks at C speed, a line at a time only where something is found: bytes that are
    # not UTF-8 become lone surrogates, so a line reads as UTF-8 when it has none.
    text = data.decode("utf-8", "surrogateescape")
    found = _NOT_UTF8.search(text)
    other = None if found is None else line + text.count("\n", 0, found.start())
    utf8 = _first_utf8_line(text, line)
    seen.utf8 = seen.utf8 or utf8
    seen.other = seen.other or other
    if seen.utf8 is not None and seen.other is not None:
        if seen.utf8 < seen.other:
            raise ReadError(
                seen.other,
                "file",
                Msg(
                    "this line is not UTF-8, but line {first} is; expected the whole file in one "
                    "encoding, UTF-8 or Windows-1251",
                    first=seen.utf8,
                ),
            )
        raise ReadError(
            seen.utf8,
            "file",
            Msg(
                "this line is UTF-8, but line {first} is Windows-1251; expected the whole file "
                "in one encoding, UTF-8 or Windows-1251",
                first=seen.other,
            ),
        )
    if other is not None:
        _check_cyrillic(data, line)


def _first_utf8_line(text: str, line: int) -> int | None:
    """The number of the first line with text beyond ASCII and no byte that is not UTF-8."""
    at = 0
    while (found := _BEYOND_ASCII.search(text, at)) is not None:
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.start())
        end = len(text) if end < 0 else end
        if _NOT_UTF8.search(text, start, end) is None:
            return line + text.count("\n", 0, start)
        at = end  # a few Windows-1251 letters that happen to form UTF-8: not a UTF-8 line
    return None


def _check_cyrillic(data: bytes, line: int) -> None:
    undefined = data.find(b"\x98")  # the one byte Windows-1251 leaves undefined
    if undefined >= 0:
        raise ReadError(
            line + data.count(b"\n", 0, undefined),
            "file",
            Msg(
                "byte {byte} is neither UTF-8 nor Windows-1251; expected a CSV file saved as "
                "UTF-8 or Windows-1251",
                byte="0x98",
            ),
        )
    # Each byte as the kind of letter it is, then plain searches: at C speed, where a regular
    # expression over a large file takes seconds.
    kinds = data.translate(_LETTER_KINDS)
    at = 0
    while (mixed := _first(kinds.find(b"LC", at), kinds.find(b"CL", at))) >= 0:
        start = data.rfind(b"\n", 0, mixed) + 1
        end = data.find(b"\n", mixed)
        end = len(data) if end < 0 else end
        if kinds.find(b"CCC", start, end) < 0:
            first, last = mixed, mixed + 2
            while first > start and kinds[first - 1] in b"LC":
                first -= 1
            while last < end and kinds[last] in b"LC":
                last += 1
            raise ReadError(
                line + data.count(b"\n", 0, start),
                "file",
                Msg(
                    "'{word}' looks like Western European text (Latin-1), which would be "
                    "misread as Windows-1251; expected UTF-8 or Windows-1251 (in Excel: CSV "
                    "UTF-8)",
                    word=data[first:last].decode("cp1252", errors="replace"),
                ),
            )
        at = end  # Russian text with a Latin letter typed by mistake: the line is fine


def _first(*positions: int) -> int:
    found = [p for p in positions if p >= 0]
    return min(found) if found else -1
