"""Property tests: any text a person may type survives an export and its import unchanged (the
formula guard included), in CSV and XLSX; and any value in any page's URL leaves the page
working (docs/IMPORT.md; kam.core.cells)."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from kam import importer
from kam.core import audit, db
from kam.core.access import SYSTEM
from kam.core.cells import FORMULA_STARTS, defused, undefused
from kam.core.models import Client
from kam.reports import export
from tests import factories as f
from tests.apptest import ROOT, _no_pages_folder_routing
from tests.test_url_params import PAGES

SETTINGS = settings(
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is a bug, not luck
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# What a person can type into a name: any character but control ones (refused on import) and
# surrogates; spaces around it are dropped on import, as docs/IMPORT.md says.
TYPED = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff"
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
FORMULA_LIKE = st.builds(
    lambda start, rest: (start + rest).strip() or start.strip() or "=",
    st.sampled_from([s for s in FORMULA_STARTS if s.strip()]),
    TYPED,
)


@SETTINGS
@given(st.one_of(TYPED, FORMULA_LIKE, FORMULA_LIKE.map(lambda t: "'" + t)))
@example("'=1+2")  # typed with its own apostrophe: kept
@example("''-5")
@example("'plain")
def test_the_guard_is_undone_exactly(text):
    guarded = defused(text)
    assert isinstance(guarded, str)
    assert undefused(guarded) == text
    if text.lstrip("'").startswith(FORMULA_STARTS):
        assert guarded == "'" + text  # never left for a spreadsheet to run
    else:
        assert guarded == text


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_exported_clients_import_back_as_they_were(sqlite_url, tmp_path, kind):
    engine = db.engine(sqlite_url)
    with db.writing(engine) as s:
        f.manager(s, "K1")
    codes = (f"R{i:05d}" for i in itertools.count())

    @settings(SETTINGS, max_examples=25)  # each example is a whole import: about 0.1 s
    @given(
        st.lists(
            st.tuples(st.one_of(TYPED, FORMULA_LIKE, FORMULA_LIKE.map(lambda t: "'" + t)), TYPED),
            min_size=1,
            max_size=5,
        )
    )
    def check(rows):
        frame = pd.DataFrame(
            [(next(codes), name, "K1", segment) for name, segment in rows],
            columns=["code", "name", "manager_code", "segment"],
        )
        path = tmp_path / f"clients.{kind}"
        path.write_bytes(export.to_csv(frame) if kind == "csv" else export.to_xlsx(frame))
        [summary] = importer.load_files(
            engine, importer.plan_files([path], None), viewer=SYSTEM, actor=audit.SYSTEM
        )
        assert summary.status == "loaded", [str(p) for p in summary.problems]
        with db.reading(engine) as s:
            stored = dict(
                s.execute(
                    select(Client.code, Client.name).where(Client.code.in_(list(frame["code"])))
                ).all()
            )
        assert stored == dict(zip(frame["code"], frame["name"], strict=True))

    check()


ANY_VALUE = st.text(max_size=300)


@pytest.mark.parametrize("page", [p for p, params in PAGES.items() if params])
def test_any_value_in_a_pages_url_leaves_it_working(monkeypatch, demo_database, page):
    monkeypatch.setenv("KAM_DATABASE_URL", demo_database)
    _no_pages_folder_routing(monkeypatch)

    @settings(SETTINGS, max_examples=4)  # each example is a whole page run: about 1 s
    @given(st.fixed_dictionaries({name: ANY_VALUE for name in PAGES[page]}))
    def check(values):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        for name, value in values.items():
            at.query_params[name] = value
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]

    check()
