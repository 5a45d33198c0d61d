"""Tables and charts drawn once per content: the same rows reuse what was drawn, any change redraws."""

from __future__ import annotations

import io
import json

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from kam.core.cache import VersionedCache


def _table() -> None:
    import pandas as pd
    import streamlit as st

    from kam.core.i18n import set_language
    from kam.ui import state, tables
    from kam.ui.tables import Col

    set_language(st.session_state.get("lang", "en"))
    state.remember_person("K1")
    frame = pd.DataFrame(
        {
            "client_code": ["C 1", "К2", None],
            "amount": [1234.6, -5.0, None],
            "note": ["a", None, "c"],
        }
    )
    frame.loc[1, "amount"] = st.session_state.get("amount", -5.0)
    columns = {
        "client_code": Col("Code", "client"),
        "amount": Col("Amount", "money", warn="negative"),
        "note": Col("Name"),
    }
    tables.show(frame, columns, key="t")
    st.text(str(tables._draw.calls))  # type: ignore[attr-defined]


def _shown(at: AppTest) -> list[list[str]]:
    """The texts the grid shows, row by row (the Styler's display values)."""
    proto = at.dataframe[0].proto
    table = pa.ipc.open_stream(io.BytesIO(proto.arrow_data.styler.display_values)).read_all()
    frame = table.to_pandas()
    return frame[["client_code", "amount", "note"]].astype(str).values.tolist()


def _counting(monkeypatch) -> None:
    from kam.ui import tables

    draw = tables._draw

    def counted(view, columns):
        counted.calls += 1
        return draw(view, columns)

    counted.calls = 0
    monkeypatch.setattr(tables, "_draw", counted)
    monkeypatch.setattr(tables, "_DRAWN", VersionedCache(max_entries=32))


def test_the_same_rows_are_drawn_once_and_a_change_is_shown(monkeypatch):
    _counting(monkeypatch)
    at = AppTest.from_function(_table).run()
    first = _shown(at)
    assert first == [
        ["client?as=K1&lang=en&client=C%201", "RUB\u00a01,235", "a"],
        ["client?as=K1&lang=en&client=%D0%9A2", "-RUB\u00a05", "—"],
        ["", "—", "c"],
    ]
    assert at.text[0].value == "1"
    at.run()
    assert _shown(at) == first and at.text[0].value == "1"  # reused, not drawn again
    css = at.dataframe[0].proto.arrow_data.styler.styles
    assert "row1_col1" in css and "row0_col1" not in css  # only the negative amount is painted

    at.session_state["amount"] = 7.0
    at.run()
    assert _shown(at)[1][1] == "RUB\u00a07" and at.text[0].value == "2"
    assert "row1_col1" not in at.dataframe[0].proto.arrow_data.styler.styles

    at.session_state["lang"] = "ru"
    at.run()
    assert _shown(at)[0][:2] == ["client?as=K1&lang=ru&client=C%201", "1\u00a0235\u00a0₽"]
    assert at.text[0].value == "3"


def test_links_built_in_one_go_equal_those_built_one_by_one():
    def script() -> None:
        import pandas as pd
        import streamlit as st

        from kam.ui import tables

        codes = pd.Series(["C 1", "К2", "a&b=c?", None])
        st.text(repr(tables.client_urls(codes)))
        st.text(repr([tables.client_url(c) for c in codes[:3]] + [""]))

    at = AppTest.from_function(script).run()
    assert at.text[0].value == at.text[1].value


def _charts() -> None:
    import altair as alt
    import pandas as pd
    import streamlit as st

    from kam.core.i18n import set_language, t
    from kam.ui import memo

    set_language(st.session_state.get("lang", "en"))

    def bars(frame: pd.DataFrame, *, title: str) -> alt.Chart:
        st.session_state["built"] = st.session_state.get("built", 0) + 1
        return alt.Chart(frame, title=t(title)).mark_bar().encode(x="month:O", y="amount:Q")

    frame = pd.DataFrame(
        {"month": ["2026-10", "2026-11"], "amount": [10, st.session_state.get("nov", 20)]}
    )
    st.altair_chart(bars(frame, title="Clients"), width="stretch")
    memo.chart(bars, frame, title="Clients")


def test_a_chart_is_built_once_per_content_and_drawn_as_st_altair_chart_draws_it(monkeypatch):
    from kam.ui import memo

    monkeypatch.setattr(memo, "_SPECS", VersionedCache(max_entries=8))
    at = AppTest.from_function(_charts).run()
    direct, kept = (c.proto for c in at.get("vega_lite_chart"))
    assert kept.spec == direct.spec and json.loads(kept.spec)["title"] == "Clients"
    assert [d.data.data for d in kept.datasets] == [d.data.data for d in direct.datasets]
    assert at.session_state["built"] == 2  # once for st.altair_chart, once for the kept spec

    at.run()
    assert at.session_state["built"] == 3  # st.altair_chart builds again; the kept one does not
    at.session_state["nov"] = 25
    at.run()
    direct, kept = (c.proto for c in at.get("vega_lite_chart"))
    assert at.session_state["built"] == 5
    assert [d.data.data for d in kept.datasets] == [d.data.data for d in direct.datasets]
    at.session_state["lang"] = "ru"
    at.run()
    assert at.session_state["built"] == 7
    assert json.loads(at.get("vega_lite_chart")[1].proto.spec)["title"] == "Клиенты"
