"""A constant Streamlit page — a title, four metric tiles, a 60-row table and a bar chart, no data
access: what any page costs on this machine, served and drawn. bench/bench_browser.py opens it
by link beside the app's pages."""

import pandas as pd
import streamlit as st

st.set_page_config(page_title="Constant page", layout="wide")
st.title("Constant page")
for tile, (label, value) in zip(
    st.columns(4),
    (("Revenue", "12.4M"), ("Active clients", "318"), ("New clients", "12"), ("Overdue", "1.1M")),
    strict=True,
):
    tile.metric(label, value, border=True)
rows = pd.DataFrame(
    {
        "client": [f"C{i:04}" for i in range(1, 61)],
        "name": [f"Client {i}" for i in range(1, 61)],
        "revenue": [1000.0 * ((i * 37) % 101) for i in range(1, 61)],
        "change_pct": [((i * 13) % 41) - 20.0 for i in range(1, 61)],
    }
)
st.dataframe(rows, hide_index=True, height=460)
st.bar_chart(rows.head(12), x="client", y="revenue")
