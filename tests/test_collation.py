"""Names in Russian alphabetical order (kam.core.collation), by hand-made lists."""

from __future__ import annotations

import pandas as pd

from kam.core.collation import name_key, sort_by_name


def test_russian_letters_in_the_alphabets_order():
    names = ["Жуков", "ёлкин", "Елтышев", "Яковлев", "Егоров", "Ёжиков", "Иванов", "Йошкин"]
    assert sorted(names, key=name_key) == [
        "Егоров", "Елтышев", "Ёжиков", "ёлкин", "Жуков", "Иванов", "Йошкин", "Яковлев",
    ]  # fmt: skip


def test_case_and_spacing_aside_then_lower_case_first():
    names = ["ромашка", "Ромашка-Юг", "РОМАШКА", "Ромашка", "ООО  «Альфа»"]
    assert sorted(names, key=name_key) == [
        "ООО  «Альфа»", "ромашка", "Ромашка", "РОМАШКА", "Ромашка-Юг",
    ]  # fmt: skip


def test_digits_first_latin_accents_aside():
    names = ["Ezra", "Émile", "Abc", "Школа № 5", "5 элемент", "Zeta", "abd"]
    assert sorted(names, key=name_key) == [
        "5 элемент", "Abc", "abd", "Émile", "Ezra", "Zeta", "Школа № 5",
    ]  # fmt: skip


def test_a_frame_by_name_after_other_columns():
    frame = pd.DataFrame(
        {"name": ["Ёжиков", "Жуков", "Егоров", "Яшин"], "active": [True, True, False, True]}
    )
    ordered = sort_by_name(frame, first={"active": False})
    assert list(ordered["name"]) == ["Ёжиков", "Жуков", "Яшин", "Егоров"]
    assert list(ordered.index) == [0, 1, 2, 3]
    assert list(sort_by_name(frame)["name"]) == ["Егоров", "Ёжиков", "Жуков", "Яшин"]
