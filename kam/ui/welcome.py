"""The greeting of a new company: the steps from an empty database to the first figures,
each done or still to do, with the form that creates the first administrator."""

from __future__ import annotations

import streamlit as st

from kam.core.access import Capability
from kam.core.i18n import t
from kam.portfolio import first_day
from kam.ui import data, forms, frame, state
from kam.ui.plain import inert

FORM = "first_admin"
USERS, IMPORT = "pages/users.py", "pages/import_data.py"


def progress() -> first_day.FirstDay:
    """How far the company has come (cached until the next write)."""
    return data.load(first_day.first_day)


def _step(number: int, title: str, done: bool) -> None:
    badge = (
        f":green-badge[:material/check: {t('Done')}]"
        if done
        else f":orange-badge[:material/schedule: {t('To do')}]"
    )
    st.markdown(f"**{number}. {title}** {badge}")


def page() -> None:
    """The greeting, shown instead of My desk until every step is done."""
    viewer = frame.context().viewer
    steps = progress()
    st.title(t("Welcome to the KAM dashboard"))
    st.write(t("Three steps take a new company from an empty database to its first figures."))
    with st.container(border=True, key="step_admin"):
        _step(1, t("Create the first administrator"), steps.administrator)
        if steps.administrator:
            st.caption(t("The administrator adds people and imports the data."))
        else:
            st.caption(t("The administrator keeps the people and the data. This step is open "
                         "only while the company has no administrator."))  # fmt: skip
            _first_admin_form()
    with st.container(border=True, key="step_people"):
        _step(2, t("Add the people: the head of sales and the key account managers"), steps.people)
        st.caption(t("On the Users page one by one, or all at once with a managers file on the "
                     "Import page."))  # fmt: skip
        if viewer.may(Capability.SEE_USERS):
            st.page_link(USERS, label=t("Open the Users page"), icon=":material/manage_accounts:",
                         query_params=state.link_params())  # fmt: skip
    with st.container(border=True, key="step_import"):
        _step(3, t("Import the clients and their sales"), steps.sales)
        st.caption(t("Exports of the accounting system as CSV or Excel; the Import page has a "
                     "template for every file."))  # fmt: skip
        if viewer.may(Capability.IMPORT):
            st.page_link(IMPORT, label=t("Open the Import page"), icon=":material/upload:",
                         query_params=state.link_params())  # fmt: skip


def first_admin_for(email: str) -> None:
    """For a person signed in with the company account while no administrator exists: the
    form that makes him or her the first one (else nobody could ever get in)."""
    st.info(
        t("The company has no administrator yet. You can be the first: you will sign in as "
          "{email} and add the people.", email=inert(email)),
        icon=":material/shield_person:",
    )  # fmt: skip
    _first_admin_form(email=email)


def _first_admin_form(email: str | None = None) -> None:
    with st.form(forms.key(FORM, "form"), border=False):
        code_col, name_col = st.columns([1, 3])
        code = code_col.text_input(t("Code"), key=forms.key(FORM, "code"), placeholder="A01")
        name = name_col.text_input(t("Name"), key=forms.key(FORM, "name"))
        forms.field_problem(FORM, "code", "name")
        if email is None:
            email = st.text_input(t("E-mail (the company sign-in)"), key=forms.key(FORM, "email"))
        forms.field_problem(FORM, "email")
        submitted = st.form_submit_button(
            t("Create the administrator"), type="primary", icon=":material/shield_person:"
        )
        forms.message(FORM)
    if submitted:
        saved = forms.save(FORM, first_day.add_first_administrator, code=code, name=name,
                           email=email)  # fmt: skip
        if saved is not None:
            # Open mode: the person who set the company up goes on as its administrator.
            if not frame.sign_in_configured():
                state.remember_person(saved.code)
            st.rerun()
