"""Client 360 (``?client=CODE``): everything known about one client on one page."""

import streamlit as st

from kam import receivables, sales
from kam.activities import competitor_feed
from kam.activities.claim_figures import claim_list
from kam.charts import sales as sales_charts
from kam.core import clock, labels, periods
from kam.core.access import Capability
from kam.core.i18n import t
from kam.portfolio import clients
from kam.ui import (
    claim_actions,
    client_card,
    client_search,
    contact_form,
    data,
    frame,
    memo,
    state,
    timeline,
    widgets,
)
from kam.ui.notes import feed_table
from kam.ui.tables import Col, show

ctx = frame.context()
today = clock.today()
code = state.get("client", "")
if not code:
    st.title(t("Client 360"))
    client_search.search_box()
    st.stop()
try:
    card = data.load(clients.client_card, viewer=ctx.viewer, code=code, as_of=today)
except clients.UnknownClient:
    st.error(
        t(
            "No client has the code {code}. Check the link or search on the Clients page.",
            code=widgets.inert(code),
        )
    )
    st.stop()
except clients.NotInPortfolio:
    st.error(t("This client is not in your portfolio."))
    st.stop()

client_card.header(card)
contact_form.saved_toast()
contact_form.action_buttons(card.code)
year = periods.Period(*periods.last_12_months(today), "year")
chart, mix = st.columns([3, 2])
with chart:
    st.subheader(t("Monthly sales against last year"))
    history = data.load(sales.sales_history, viewer=ctx.viewer, client_id=card.id, as_of=today)
    notes = data.load(competitor_feed.notes_feed, viewer=ctx.viewer, client_id=card.id)
    marks = sales_charts.notes_by_month(history, notes)
    memo.chart(sales_charts.monthly_with_last_year, history, marks)
    st.caption(sales_charts.legend_this_and_last_year(with_notes=not marks.empty))
with mix:
    st.subheader(t("Category mix, 12 months"))
    categories = data.load(sales.category_mix, viewer=ctx.viewer, client_id=card.id, period=year)
    if categories.empty:
        widgets.empty("No purchases in the last 12 months.")
    else:
        memo.chart(sales_charts.category_mix, categories)
    gaps = data.load(clients.assortment_gaps, viewer=ctx.viewer, client_id=card.id, as_of=today)
    if not gaps.empty:
        st.markdown(t("**Not bought, though most of its segment buys:**"))
        show(
            gaps,
            {
                "category": Col("Category"),
                "segment_share_pct": Col("Segment clients buying", "pct"),
            },
            key="gaps",
        )

tabs = st.tabs(
    [
        t("Invoices"),
        t("Visits and calls"),
        t("Claims"),
        t("Competitors"),
        t("Returns"),
        t("Contacts"),
    ]
)
with tabs[0]:
    invoices = data.load(
        receivables.open_invoices, viewer=ctx.viewer, as_of=today, client_id=card.id
    )
    if invoices.empty:
        widgets.empty("No open invoices: everything is paid.")
    else:
        show(invoices, {
            "invoice_no": Col("Invoice"), "invoice_date": Col("Date", "date"), "due_date": Col("Due", "date"),
            "amount": Col("Amount", "money2"), "unpaid": Col("Unpaid", "money2"),
            "days_past_due": Col("Days past due", "number", warn="positive"),
        }, key="invoices")  # fmt: skip
with tabs[1]:
    history = data.load(clients.contact_history, viewer=ctx.viewer, client_id=card.id)
    if history.empty:
        widgets.empty("No visits or calls logged with this client yet.")
    else:
        timeline.render(history)
with tabs[2]:
    claims = data.load(claim_list, viewer=ctx.viewer, as_of=today, client_id=card.id)
    if claims.empty:
        widgets.empty("No claims from this client.")
    else:
        st.caption(
            t("Select a claim to move it along: in progress, resolved, rejected or reopened.")
        )
        shown = claim_actions.readable(claims).assign(
            kind=claims["kind"].map(labels.claim_kind_label),
            status=claims["status"].map(labels.claim_status_label),
        )
        picked = show(shown, {
            "opened_on": Col("Opened", "date"), "kind": Col("Kind"), "status": Col("Status"),
            "document_ref": Col("Document"), "product_name": Col("Product"), "quantity": Col("Quantity"),
            "amount": Col("Amount", "money2"), "description": Col("What happened"),
            "justified": Col("Justified", "flag"), "root_cause": Col("Root cause"), "closed_on": Col("Closed", "date"),
            "age_days": Col("Days open / to resolve", "number"),
        }, key="claims", selectable=ctx.viewer.may(Capability.WRITE))  # fmt: skip
        if picked is not None and st.button(
            t("Move the selected claim…"), icon=":material/swap_horiz:"
        ):
            claim_actions.move_dialog(int(claims.at[picked, "claim_id"]))
with tabs[3]:
    if notes.empty:
        widgets.empty("No competitor notes about this client.")
    else:
        feed_table(notes, key="notes", with_client=False)
with tabs[4]:
    returns = data.load(sales.returns_by_reason, viewer=ctx.viewer, period=year, client_id=card.id)
    if returns.empty:
        widgets.empty("No returns or refusals in the last 12 months.")
    else:
        memo.chart(sales_charts.returns_by_reason, returns)
with tabs[5]:
    people = data.load(clients.contacts, viewer=ctx.viewer, client_id=card.id)
    if people.empty:
        widgets.empty("No contact persons on file.")
    else:
        client_card.contact_people(people)
