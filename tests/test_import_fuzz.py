"""Property-based tests (Hypothesis, issue 14): the one number parser (kam.core.money), the cell
parsers of the importer, and valid CSV files mutated at random and loaded through the real
importer. Nothing but the documented errors may come out, a number reads as the Decimal its text
says, and a mutated file is loaded or rejected with ``file:line: column: message``.

Each test is bounded (examples and no deadline) so that the suite stays fast.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kam import importer
from kam.core import audit
from kam.core.access import SYSTEM
from kam.core.money import NumberError, parse_number
from kam.importer import parsing
from kam.importer.entities import ENTITIES, Column
from kam.importer.parsing import CellError
from tests.test_import_loading import base_data

FAST = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is a bug, not luck
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
ACTOR = audit.Actor(name="fuzz")

# --- numbers ---------------------------------------------------------------------------------

# Text made of what numbers are made of, and of anything at all.
NUMBERISH = st.text(alphabet="0123456789 .,'-+\u2212\u00a0eE٣１", max_size=16)
ANY_TEXT = st.text(max_size=24)


@FAST
@given(st.one_of(NUMBERISH, ANY_TEXT))
def test_parse_number_returns_a_finite_decimal_or_a_number_error(text):
    try:
        number = parse_number(text)
    except NumberError:
        return
    assert isinstance(number, Decimal) and number.is_finite()
    assert re.fullmatch(r"[0-9 \u00a0\u202f\u2009'’.,+\-\u2212]+", text.strip())


@st.composite
def written_numbers(draw):
    """(text, the Decimal it means, whether it is the ambiguous 1,234): a number written the
    ways exports and people write it, its value worked out from its digits, not its text."""
    sign = draw(st.sampled_from(["", "-"]))
    whole = draw(st.integers(min_value=0, max_value=10**12))
    frac = draw(st.one_of(st.just(""), st.text(alphabet="0123456789", min_size=1, max_size=3)))
    style = draw(st.sampled_from(["plain", "comma", "space", "nbsp", "apostrophe", "english"]))
    digits = str(whole)
    groups = f"{whole:,}"  # 1,234,567
    if style == "plain":
        text = digits + (f".{frac}" if frac else "")
    elif style == "comma":
        text = digits + (f",{frac}" if frac else "")
    elif style in ("space", "nbsp", "apostrophe"):
        mark = {"space": " ", "nbsp": "\u00a0", "apostrophe": "'"}[style]
        text = groups.replace(",", mark) + (f",{frac}" if frac else "")
    else:
        text = groups + (f".{frac}" if frac else "")
    text = sign + text
    value = Decimal(f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}")
    # 1,234 and -123,456: one comma before exactly three digits, 1 to 3 digits before it not
    # led by 0, nothing else grouping or marking decimals (the rule of kam.core.money)
    ambiguous = re.fullmatch(r"-?[1-9]\d{0,2},\d{3}", text)
    return text, value, bool(ambiguous)


@FAST
@given(written_numbers(), st.sampled_from(["", " ", "  "]))
def test_a_number_reads_as_the_decimal_its_text_says(written, padding):
    text, value, ambiguous = written
    if ambiguous:
        with pytest.raises(NumberError) as exc:
            parse_number(padding + text + padding)
        assert exc.value.ambiguous
        return
    number = parse_number(padding + text + padding)
    assert number == value
    assert number.as_tuple().exponent == value.as_tuple().exponent  # 2.50 stays 2.50


def test_the_oracle_by_hand():
    # What written_numbers relies on, written out.
    assert parse_number("1,234.56") == Decimal("1234.56")
    assert parse_number("1 234,5") == Decimal("1234.5")
    assert parse_number("1'234'567") == Decimal("1234567")
    assert parse_number("-0") == Decimal("0")
    assert parse_number("0,125") == Decimal("0.125")
    for text in ("1,234", "-1,234", "1.234,56", "1e309", "NaN", "٣", "１２", "--1", "1,23,4"):
        with pytest.raises(NumberError):
            parse_number(text)


def _columns():
    seen: dict[tuple, Column] = {}
    for entity in ENTITIES.values():
        for column in entity.columns:
            seen.setdefault((column.kind, column.max_length, column.maximum), column)
    return list(seen.values())


XLSX_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(),
)


@FAST
@given(st.sampled_from(_columns()), st.one_of(NUMBERISH, ANY_TEXT, XLSX_VALUES))
def test_every_column_of_every_entity_raises_only_cell_errors(column, raw):
    try:
        column.parse(raw)
    except CellError as exc:
        assert str(exc)


# --- dates -----------------------------------------------------------------------------------

IN_RANGE = st.dates(min_value=parsing.EARLIEST_DATE, max_value=parsing.LATEST_DATE)


@FAST
@given(
    st.one_of(IN_RANGE, st.dates()),
    st.sampled_from(["iso", "dotted", "dotted-short"]),
    st.sampled_from(["", " 14:30", "T09:15:00", " 23:59:59.5", " 8:05"]),
)
def test_a_date_reads_as_the_day_its_text_says(day, style, time):
    if style == "iso":
        text = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    elif style == "dotted":
        text = f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
    else:
        text = f"{day.day}.{day.month}.{day.year:04d}"
    text += time
    if parsing.EARLIEST_DATE <= day <= parsing.LATEST_DATE:
        assert parsing.parse_date(text) == day
    else:
        with pytest.raises(CellError, match="outside the years"):
            parsing.parse_date(text)


@FAST
@given(st.one_of(ANY_TEXT, st.text(alphabet="0123456789-.: T٣１", max_size=20)))
def test_parse_date_and_period_raise_only_cell_errors(text):
    for parse in (parsing.parse_date, parsing.parse_period):
        try:
            day = parse(text)
        except CellError:
            continue
        assert day is None or parsing.EARLIEST_DATE <= day <= parsing.LATEST_DATE


# --- mutated files through the importer ------------------------------------------------------

VALID = {
    "clients.csv": (
        "code;name;manager_code;segment;credit_limit;payment_terms_days;contract_start\n"
        "C3;ООО «Ромашка»;M1;HoReCa;1 500 000,00;30;01.01.2024\n"
        'C4;"Beta; Foods";M2;Retail;;14;2024-02-01\n'
    ),
    "sales.csv": (
        "doc_no,doc_date,client_code,sku,qty,amount,kind\n"
        'S1,05.03.2024,C1,P1,10,"1,000.50",\n'
        "S1,05.03.2024,C1,P2,5,250,\n"
        "R1,2024-03-07 14:30,C2,P1,-1,-100.05,return\n"
    ),
}
INSERTS = st.one_of(
    st.sampled_from(['"', ",", ";", "\t", "\n", "\r", "\x00", "\x1b", "\ufeff", "\u00a0", "="]),
    st.text(min_size=1, max_size=3),
)


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(VALID)))
    data = bytearray(VALID[name].encode())
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "cp1251"]))
        at = draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif kind == "insert":
            data[at:at] = draw(INSERTS).encode()
        elif kind == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=8))]
        elif kind == "truncate":
            del data[at:]
        elif kind == "cp1251":  # one line in the other encoding
            text = bytes(data).decode("utf-8", "replace")
            lines = text.split("\n")
            index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[index] = lines[index].encode("cp1251", "replace").decode("latin-1")
            data = bytearray("\n".join(lines).encode("latin-1", "replace"))
    return name, bytes(data)


def test_mutated_files_load_or_are_rejected_with_their_place(sqlite_engine, tmp_path):
    base_data(sqlite_engine, tmp_path)
    folder = tmp_path / "fuzz"
    folder.mkdir()

    @settings(FAST, max_examples=60)  # each example is a whole (dry-run) load: 0.2 s
    @given(mutated())
    def check(case):
        name, data = case
        path = folder / name
        path.write_bytes(data)
        files = importer.plan_files([path], None)
        [summary] = importer.load_files(
            sqlite_engine, files, viewer=SYSTEM, actor=ACTOR, dry_run=True
        )
        problems = [str(p) for p in summary.problems]
        assert summary.status in ("loaded", "rejected", "empty"), problems
        for problem in problems:
            assert "something went wrong" not in problem, problem
            assert re.match(rf"^{re.escape(name)}:\d+: [^:]+: .+", problem, re.DOTALL), problem
        if summary.status == "rejected":
            assert problems
        elif summary.status == "loaded":
            # never more rows than the file has lines below its header
            assert 0 < summary.rows <= data.count(b"\n") + data.count(b"\r")

    check()


def test_the_valid_files_load(sqlite_engine, tmp_path):
    base_data(sqlite_engine, tmp_path)
    for name, text in VALID.items():
        path = Path(tmp_path / name)
        path.write_text(text, encoding="utf-8")
        [summary] = importer.load_files(
            sqlite_engine, importer.plan_files([path], None), viewer=SYSTEM, actor=ACTOR
        )
        assert (summary.status, summary.rows, summary.problems) == (
            "loaded",
            text.count("\n") - 1,
            [],
        )
