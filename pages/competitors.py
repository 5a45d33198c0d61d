"""Competitors: the feed of notes, newest first; their prices against ours; notes per month."""

import streamlit as st

from kam.activities import competitor_feed
from kam.charts import competitors as charts
from kam.core.i18n import N_, t, tn
from kam.ui import data, frame, memo, state, widgets
from kam.ui.notes import feed_table
from kam.ui.tables import Col, export_buttons, show

ctx = frame.context()


st.title(t("Competitors"))
choices = data.load(competitor_feed.feed_choices, viewer=ctx.viewer)
if not choices.competitors:
    widgets.empty(
        "No competitor notes yet.",
        N_("KAMs add them when they log a visit or call: what a competitor offers, at what price."),
    )
    st.stop()

everyone = t("All")
rival_names = {name: cid for cid, name in choices.competitors}
client_ids = {code: cid for cid, code, _ in choices.clients}
client_names = {code: name for _, code, name in choices.clients}
authors = {code: (mid, name) for mid, code, name in choices.authors}
rival, client, category, author, start, end = st.columns([2, 2, 2, 2, 1.5, 1.5])
rival = state.select(t("Competitor"), [""] + list(rival_names), param="competitor", default="",
                     format_func=lambda n: n or everyone, where=rival)  # fmt: skip
client = state.select(t("Client"), [""] + list(client_ids), param="client", default="",
                      format_func=lambda c: f"{c} {client_names[c]}" if c else everyone,
                      where=client)  # fmt: skip
category = state.select(t("Category"), [""] + list(choices.categories), param="category",
                        default="", format_func=lambda c: c or everyone, where=category)  # fmt: skip
author = state.select(t("Author"), [""] + list(authors), param="author", default="",
                      format_func=lambda c: authors[c][1] if c else everyone, where=author)  # fmt: skip
dates = {
    "date_from": state.day_input(t("From"), param="from", where=start),
    "date_to": state.day_input(t("To"), param="to", where=end),
}

gaps_col, months_col = st.columns([2, 3])
with gaps_col:
    st.subheader(t("Their price against ours"))
    gaps = data.load(
        competitor_feed.price_gaps, viewer=ctx.viewer, category=category or None, **dates
    )
    if gaps.empty:
        widgets.empty("No note gives both prices in these dates.",
                      N_("A price note needs their price and ours for the same product or category."))  # fmt: skip
    else:
        show(gaps, {
            "competitor": Col("Competitor"), "notes": Col("Notes", "number"),
            "avg_gap_pct": Col("Average gap", "pct", warn="negative"),
            "min_gap_pct": Col("Lowest", "pct", warn="negative"),
            "max_gap_pct": Col("Highest", "pct", warn="negative"),
        }, key="price_gaps")  # fmt: skip
        st.caption(t("Gap = (their price − ours) / ours; red: they are cheaper than we are."))
with months_col:
    st.subheader(t("Notes per competitor per month"))
    months = data.load(competitor_feed.notes_per_month, viewer=ctx.viewer, **dates)
    memo.chart(charts.notes_per_month, months)

feed = data.load(
    competitor_feed.notes_feed, viewer=ctx.viewer, competitor_id=rival_names.get(rival or ""),
    client_id=client_ids.get(client or ""), category=category or None,
    author_id=authors[author][0] if author else None, **dates,
)  # fmt: skip
st.subheader(t("Notes, newest first"))
if feed.empty:
    widgets.empty("No notes match these filters.", N_("Clear a filter above to see more notes."))
    st.stop()
st.caption(
    tn(
        "{n} note (the newest 500 at most)",
        "{n} notes (the newest 500 at most)",
        len(feed),
        n=len(feed),
    )
)
feed_table(feed, key="notes_feed", height=480)
with st.sidebar:
    st.caption(t("Export the filtered notes"))
    export_buttons(
        feed.drop(columns=["note_id", "competitor_id", "client_id", "author_id", "visit_id"]),
        "competitor_notes",
    )
