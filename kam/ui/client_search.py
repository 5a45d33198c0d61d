"""Finding a client on Client 360 when no client is named: a search box by code or name."""

from __future__ import annotations

import streamlit as st

from kam.core.i18n import t
from kam.portfolio import search
from kam.ui import data, frame, state, widgets
from kam.ui.plain import inert

CLIENT_PAGE = "pages/client.py"


def search_box() -> None:
    """A search box (kept in the URL as ``?find=``) and a link to each client found."""
    viewer = frame.context().viewer
    wanted = state.text(t("Find a client by code or name"), param="find",
                        placeholder=t("e.g. C0001 or Ромашка"))  # fmt: skip
    if not wanted:
        widgets.empty("Type part of a client's code or name, or choose a client on the Clients page.")
        return
    found = data.load(search.find_clients, viewer=viewer, text=wanted)
    if found.empty:
        st.info(t("No client of yours matches “{text}”.", text=inert(wanted)), icon=":material/search_off:")
        return
    for row in found.itertuples():
        st.page_link(
            CLIENT_PAGE, label=inert(f"{row.name} · {row.client_code}"), icon=":material/person:",
            query_params=state.link_params(client=row.client_code),
        )  # fmt: skip
