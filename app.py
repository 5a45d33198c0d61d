"""The frame and router: page config, who is looking, navigation."""

import streamlit as st

from kam.core.access import Capability
from kam.core.i18n import t
from kam.ui import frame, phone, welcome

st.set_page_config(page_title="KAM dashboard", page_icon=":material/handshake:", layout="wide")
ctx = frame.start()
phone.apply()
# A new company is greeted with its first steps: the start page until it has a team, in the
# menu until it also has an administrator and its first sales.
first_day = welcome.progress()
greeting = [
    st.Page(welcome.page, title=t("Getting started"), icon=":material/flag_circle:",
            url_path="welcome", default=not first_day.set_up),
] if not first_day.done else []  # fmt: skip

pages = greeting + [
    st.Page("pages/desk.py", title=t("My desk"), icon=":material/space_dashboard:", default=first_day.set_up),
    st.Page("pages/clients.py", title=t("Clients"), icon=":material/groups:", url_path="clients"),
    st.Page("pages/client.py", title=t("Client 360"), icon=":material/person:", url_path="client"),
    st.Page("pages/plan.py", title=t("Plan fulfilment"), icon=":material/flag:", url_path="plan"),
    st.Page("pages/week.py", title=t("Weekly plan"), icon=":material/event:", url_path="week"),
    st.Page("pages/plans_admin.py", title=t("Plans"), icon=":material/tune:", url_path="plans"),
    st.Page(
        "pages/receivables.py",
        title=t("Receivables"),
        icon=":material/payments:",
        url_path="receivables",
    ),  # fmt: skip
    st.Page(
        "pages/claims.py",
        title=t("Claims and returns"),
        icon=":material/report:",
        url_path="claims",
    ),
    st.Page(
        "pages/competitors.py",
        title=t("Competitors"),
        icon=":material/storefront:",
        url_path="competitors",
    ),
    st.Page(
        "pages/review.py", title=t("Weekly review"), icon=":material/slideshow:", url_path="review"
    ),
]
# Pages only some roles may use are not even in the others' menu (each page also refuses
# someone who types its address, and kam refuses the work itself).
restricted = [
    (Capability.IMPORT,
     st.Page("pages/import_data.py", title=t("Import"), icon=":material/upload:", url_path="import")),
    (Capability.SEE_USERS,
     st.Page("pages/users.py", title=t("Users"), icon=":material/manage_accounts:", url_path="users")),
    (Capability.SEE_AUDIT_TRAIL,
     st.Page("pages/audit.py", title=t("Audit trail"), icon=":material/history:", url_path="audit")),
]  # fmt: skip
pages += [page for capability, page in restricted if ctx.viewer.may(capability)]
st.navigation(pages, expanded=True).run()  # every page in view, no "View more"
