"""The quick forms: log a contact (with an optional competitor note), a competitor note, a claim.

Built for a phone between meetings: one column, the client pre-filled where the page knows it,
only client and kind required, Enter saves.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from kam.activities import claims, competitors, contact_defaults, record_choices, visits
from kam.core import clock
from kam.core import formatting as fmt
from kam.core.access import Capability
from kam.core.i18n import t
from kam.core.labels import claim_kind_label, contact_kind_label, note_kind_label
from kam.core.models import CLAIM_KINDS, NOTE_KINDS, VISIT_KINDS
from kam.portfolio import clients
from kam.ui import data, forms, frame
from kam.ui.state import DAY_FORMAT

KIND_ICONS = {"visit": ":material/directions_walk:", "call": ":material/call:",
              "meeting": ":material/groups:", "email": ":material/mail:"}  # fmt: skip


def kind_with_icon(kind: str) -> str:
    """A contact kind as a pill or card shows it: its icon, then its label."""
    return f"{KIND_ICONS.get(kind, '')} {contact_kind_label(kind)}"


def client_picker(name: str, client_code: str | None) -> int | None:
    """A searchable client select, own clients first; pre-set to ``client_code`` when given."""
    mine = data.load(clients.clients_of, viewer=frame.context().viewer)
    codes = list(mine["client_code"])
    names = dict(zip(mine["client_code"], mine["name"], strict=True))
    ids = dict(zip(mine["client_code"], mine["client_id"], strict=True))
    code = st.selectbox(
        t("Client"), codes, index=codes.index(client_code) if client_code in codes else None,
        format_func=lambda c: f"{names[c]} · {c}", placeholder=t("Type a name or code"),
        key=forms.key(name, "client"),
    )  # fmt: skip
    forms.field_problem(name, "client_id")
    return int(ids[code]) if code else None


def _catalogue_option(option: str, catalogue: record_choices.Catalogue) -> str:
    kind, _, value = option.partition(":")
    if kind == "c":
        return t("Category: {name}", name=value)
    found = next(p for p in catalogue.products if str(p.id) == value)
    return f"{found.name} · {found.sku}"


def _catalogue_pick(
    picked: str | None, options: list[str]
) -> tuple[str | None, int | None, str | None]:
    # (category, product id, typed product): a typed name not on the list is kept as typed.
    if not picked:
        return None, None, None
    if picked not in options:
        return None, None, picked
    kind, _, value = picked.partition(":")
    return (value, None, None) if kind == "c" else (None, int(value), None)


def note_fields(name: str, prefix: str = "") -> competitors.NoteForm | None:
    """The fields of a competitor note; None when nothing was typed (the note is optional)."""
    known = data.load(competitors.competitors)
    names = [n for _, n in known]
    ids = {n: i for i, n in known}
    picked = st.selectbox(
        t("Competitor"), names, index=None, accept_new_options=True,
        placeholder=t("Pick one or type a new name"), key=forms.key(name, prefix + "competitor"),
    )  # fmt: skip
    # The most noted competitors take one tap; what was picked or typed in the list wins.
    frequent = [n for _, n in data.load(competitors.most_noted)]
    tapped = st.pills(
        t("Often noted"), frequent, key=forms.key(name, prefix + "competitor_pill"),
        label_visibility="collapsed",
    ) if frequent else None  # fmt: skip
    picked = picked or tapped
    st.caption(t("A typed name close to one on the list (“Metro” for “Metro Cash&Carry”) is "
                 "saved as that one."))  # fmt: skip
    forms.field_problem(name, prefix + "competitor_id", prefix + "competitor_name")
    kind = st.pills(
        t("What"),
        NOTE_KINDS,
        format_func=note_kind_label,
        default="price",
        key=forms.key(name, prefix + "kind"),
    )
    forms.field_problem(name, prefix + "kind")
    catalogue = data.load(record_choices.catalogue)
    options = [f"c:{c}" for c in catalogue.categories] + [f"p:{p.id}" for p in catalogue.products]
    about = st.selectbox(
        t("Category or product"), options, index=None, accept_new_options=True,
        format_func=lambda o: _catalogue_option(o, catalogue) if o in options else o,
        placeholder=t("Pick from the catalogue, or type what they sell"),
        key=forms.key(name, prefix + "product"),
    )  # fmt: skip
    category, product_id, typed = _catalogue_pick(about, options)
    forms.field_problem(name, prefix + "category", prefix + "product_id", prefix + "product")
    theirs, ours = st.columns(2)
    their_price = theirs.text_input(t("Their price"), key=forms.key(name, prefix + "their_price"))
    our_price = ours.text_input(t("Our price"), key=forms.key(name, prefix + "our_price"))
    forms.field_problem(name, prefix + "their_price", prefix + "our_price")
    text = st.text_area(t("What you saw or heard"), height=80, key=forms.key(name, prefix + "text"))
    forms.field_problem(name, prefix + "text")
    if not (picked or text.strip() or their_price.strip() or our_price.strip()):
        return None
    return competitors.NoteForm(
        text=text, competitor_id=ids.get(picked), competitor_name=None if picked in ids else picked,
        category=category, product_id=product_id, product=typed,
        their_price=their_price or None, our_price=our_price or None, kind=kind,
    )  # fmt: skip


def _plan_offer(name: str, client_id: int | None) -> tuple[contact_defaults.OpenPlan | None, bool]:
    # The client's open planned contact, said and offered (ticked) before anything is typed.
    if client_id is None:
        return None, False
    plans = data.load(contact_defaults.open_plans, client_id=client_id, on=clock.today())
    if not plans:
        return None, False
    plan = plans[0]
    complete = st.checkbox(
        t("Complete the {kind} planned for {day}", kind=contact_kind_label(plan.kind),
          day=fmt.date(plan.planned_for)),
        value=True, key=forms.key(name, f"complete_{plan.visit_id}"),
        help=t("Untick to log a separate contact and leave the plan open."),
    )  # fmt: skip
    forms.field_problem(name, "plan_id")
    return plan, complete


def log_contact(name: str, *, client_code: str | None = None) -> bool:
    """The log-a-contact form; True once saved. A client with an open planned contact: the form
    says so and completes that plan (ticked by default) instead of logging a second record."""
    # Outside the form, so picking a client redraws the plan offer and the kind at once.
    client_id = client_picker(name, client_code)
    plan, complete = _plan_offer(name, client_id)
    usual = plan.kind if plan else data.load(
        contact_defaults.usual_kind, viewer=frame.context().viewer, client_id=client_id,
        today=clock.today(),
    )  # fmt: skip
    with st.form(forms.key(name, "form"), border=False, enter_to_submit=True):
        kind = st.pills(
            t("Kind"), VISIT_KINDS, format_func=kind_with_icon, default=usual,
            key=forms.key(name, f"kind_{client_id}"),
        ) or usual  # a tap on the chosen kind unselects it; the preselected one still holds
        forms.field_problem(name, "kind")
        done_on = st.date_input(
            t("Date"), value=clock.today(), format=DAY_FORMAT, key=forms.key(name, "date")
        )
        forms.field_problem(name, "done_on")
        outcome = st.text_input(t("Outcome"), key=forms.key(name, "outcome"))
        forms.field_problem(name, "outcome")
        notes = st.text_area(t("Notes"), height=80, key=forms.key(name, "notes"))
        forms.field_problem(name, "notes")
        step, step_date = st.columns([3, 2])
        next_step = step.text_input(t("Next step"), key=forms.key(name, "next_step"))
        next_date = step_date.date_input(
            t("By"), value=None, format=DAY_FORMAT, key=forms.key(name, "next_date")
        )
        forms.field_problem(name, "next_step", "next_step_date")
        with st.expander(t("Competitor seen? Add a note"), icon=":material/storefront:"):
            note = note_fields(name, "competitor_note.")
        submitted = st.form_submit_button(
            t("Save"), type="primary", icon=":material/check:", width="stretch"
        )
        forms.message(name)
    if not submitted:
        return False
    form = visits.ContactForm(
        client_id=client_id, kind=kind, done_on=done_on, outcome=outcome, notes=notes,
        next_step=next_step, next_step_date=next_date, idempotency_key=forms.idempotency_key(name),
        competitor_note=None if note is None else replace(note, client_id=client_id),
        complete_plan=complete if plan else True, plan_id=plan.visit_id if plan and complete else None,
    )  # fmt: skip
    return forms.save(name, visits.log_contact, form=form) is not None


def competitor_note(name: str, *, client_code: str | None = None) -> bool:
    """The competitor-note form on its own; True once saved."""
    with st.form(forms.key(name, "form"), border=False):
        client_id = client_picker(name, client_code)
        note = note_fields(name)
        submitted = st.form_submit_button(
            t("Save"), type="primary", icon=":material/check:", width="stretch"
        )
        forms.message(name)
    if not submitted:
        return False
    form = replace(
        note or competitors.NoteForm(),
        client_id=client_id,
        idempotency_key=forms.idempotency_key(name),
    )
    return forms.save(name, competitors.add_note, form=form) is not None


def open_claim(name: str, *, client_code: str | None = None) -> bool:
    """The open-a-claim form; True once saved."""
    # Client and product outside the form: the product list is the client's purchases, and the
    # quantity's label names the product's unit.
    client_id = client_picker(name, client_code)
    product = _product_picker(name, client_id)
    with st.form(forms.key(name, "form"), border=False):
        # Pills, not a list: one tap on a phone instead of two.
        kind = st.pills(
            t("Kind"), CLAIM_KINDS, format_func=claim_kind_label, key=forms.key(name, "kind")
        )
        forms.field_problem(name, "kind")
        doc, sales_doc = st.columns(2)
        document_ref = doc.text_input(
            t("Document (delivery note, act)"), key=forms.key(name, "document_ref")
        )
        forms.field_problem(name, "document_ref")
        sales_doc_no = sales_doc.text_input(
            t("Sales document, for returns"), key=forms.key(name, "sales_doc")
        )
        forms.field_problem(name, "sales_doc_no")
        qty_col, amount_col = st.columns(2)
        qty = qty_col.text_input(
            t("Quantity, {unit}", unit=product.unit) if product and product.unit else t("Quantity"),
            key=forms.key(name, "qty"),
        )
        amount = amount_col.text_input(t("Amount"), key=forms.key(name, "amount"))
        forms.field_problem(name, "qty", "amount")
        description = st.text_area(
            t("What happened"), height=100, key=forms.key(name, "description")
        )
        forms.field_problem(name, "description", "opened_on")
        submitted = st.form_submit_button(t("Open the claim"), type="primary", width="stretch")
        forms.message(name)
    if not submitted:
        return False
    form = claims.ClaimForm(
        client_id=client_id, kind=kind, document_ref=document_ref or None, sales_doc_no=sales_doc_no or None,
        qty=qty or None, amount=amount or None, description=description or None,
        idempotency_key=forms.idempotency_key(name), product_id=product.id if product else None,
    )  # fmt: skip
    return forms.save(name, claims.open_claim, form=form) is not None


def _product_picker(name: str, client_id: int | None) -> record_choices.ProductChoice | None:
    # The client's purchases, the most recent first; the unit shows beside each name.
    bought = () if client_id is None else data.load(
        record_choices.purchased_products, viewer=frame.context().viewer, client_id=client_id
    )  # fmt: skip
    by_id = {p.id: p for p in bought}
    picked = st.selectbox(
        t("Product"), list(by_id), index=None,
        format_func=lambda i: f"{by_id[i].name} · {by_id[i].sku}"
        + (f" ({by_id[i].unit})" if by_id[i].unit else ""),
        placeholder=t("From the client's purchases") if bought else t("Pick the client first"),
        key=forms.key(name, f"product_{client_id}"),
    )  # fmt: skip
    forms.field_problem(name, "product_id")
    return by_id.get(picked) if picked is not None else None


@st.dialog(t("Log a contact"))
def log_contact_dialog(client_code: str | None = None) -> None:
    """Log a contact in a dialog; closes and refreshes the page once saved."""
    if log_contact("dialog_contact", client_code=client_code):
        st.session_state["_toast"] = t("Contact saved.")
        st.rerun()


@st.dialog(t("Add a competitor note"))
def competitor_note_dialog(client_code: str | None = None) -> None:
    """Add a competitor note in a dialog."""
    if competitor_note("dialog_note", client_code=client_code):
        st.session_state["_toast"] = t("Note saved.")
        st.rerun()


@st.dialog(t("Open a claim"))
def open_claim_dialog(client_code: str | None = None) -> None:
    """Open a claim in a dialog."""
    if open_claim("dialog_claim", client_code=client_code):
        st.session_state["_toast"] = t("Claim opened.")
        st.rerun()


def action_buttons(client_code: str | None, *, where=st) -> None:  # noqa: ANN001
    """ "Log a contact", "Open a claim" and "Add a competitor note", opening the dialogs."""
    if not frame.context().viewer.may(Capability.WRITE):
        return
    one, two, three = where.columns(3)
    if one.button(t("Log a contact"), icon=":material/edit_note:", type="primary", width="stretch"):
        log_contact_dialog(client_code)
    if two.button(t("Open a claim"), icon=":material/report:", width="stretch"):
        open_claim_dialog(client_code)
    if three.button(t("Competitor note"), icon=":material/storefront:", width="stretch"):
        competitor_note_dialog(client_code)


def saved_toast() -> None:
    """Show the confirmation a dialog left before it closed."""
    message = st.session_state.pop("_toast", None)
    if message:
        st.toast(message, icon=":material/check_circle:")
