"""Records land where they belong (issue 16): a logged contact completes its plan, competitor
names match case and punctuation aside, notes keep product and category apart, claims name a
purchased product with its unit and a root cause from the head's list, kinds are preselected."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from kam.activities import (
    claim_figures,
    claims,
    competitor_feed,
    competitors,
    contact_defaults,
    record_choices,
    root_causes,
    visits,
    weekly_plan,
)
from kam.activities.claims import ClaimForm
from kam.activities.competitors import NoteForm, name_match, name_words
from kam.activities.visits import ContactForm, PlannedContact
from kam.core import db
from kam.core.models import Claim, ClaimRootCause, Competitor, Product, Visit
from kam.core.validation import ValidationError
from tests import factories as f
from tests.team import TODAY, audit_rows, count, data_version, team

D = dt.date
MONDAY = D(2026, 11, 16)  # TODAY is Wednesday 18 November 2026


@pytest.fixture
def t(engine):
    tm = team(engine)
    with db.writing(engine) as s:
        from kam.core.models import Client

        c1 = s.get(Client, tm.c1)
        milk = f.product(s, "P-1", name="Milk 3.2% 1 l", category="Dairy", unit="pcs")
        f.product(s, "P-2", name="Rye bread", category="Bakery", unit="pcs")
        cheese = f.product(s, "P-3", name="Gouda", category="Cheese", unit="kg")
        f.line(s, c1, "2026-10-02", "1000.00", doc_no="S-1", prod=milk)
        f.line(s, c1, "2026-11-02", "500.00", doc_no="S-2", prod=cheese)
        s.add(Competitor(name="Metro Cash&Carry"))
        s.add(Competitor(name="FoodLine"))
    return tm


def pid(engine, sku: str) -> int:
    with db.reading(engine) as s:
        return s.scalars(select(Product.id).where(Product.sku == sku)).one()


def plan(engine, t, client_id, day, kind="visit") -> int:
    with db.writing(engine) as s:
        [row] = visits.plan_contacts(
            s, viewer=t.k1_viewer, actor=t.k1_actor,
            contacts=[PlannedContact(client_id, day, kind)], today=MONDAY,
        )  # fmt: skip
        return row.id


def log(engine, t, form, viewer=None, actor=None):
    with db.writing(engine) as s:
        return visits.log_contact(
            s, viewer=viewer or t.k1_viewer, actor=actor or t.k1_actor, form=form, today=TODAY
        )


def problems(fn, *args, **kw):
    with pytest.raises(ValidationError) as err:
        fn(*args, **kw)
    return err.value.problems


# --- a logged contact completes the open plan ---------------------------------------------


def test_logging_for_a_client_with_a_plan_today_completes_it(engine, t):
    planned = plan(engine, t, t.c1, TODAY, "meeting")
    version = data_version(engine)
    row = log(engine, t, ContactForm(client_id=t.c1, kind="visit", outcome="Order agreed",
                                     idempotency_key="k-1"))  # fmt: skip
    assert row.id == planned
    assert count(engine, Visit) == 1  # no second record
    with db.reading(engine) as s:
        saved = s.get(Visit, planned)
        assert (saved.status, saved.kind, saved.done_at, saved.planned_for, saved.outcome) == (
            "done", "visit", TODAY, TODAY, "Order agreed",
        )  # fmt: skip
        assert saved.version == 2
        grid = weekly_plan.week_grid(s, viewer=t.k1_viewer, week_start=MONDAY, today=TODAY)
    # The Weekly plan shows the meeting once, as done.
    assert grid[["client_code", "status"]].values.tolist() == [["C001", "done"]]
    assert [a.action for a in audit_rows(engine, "visit")] == ["plan", "complete"]
    assert data_version(engine) == version + 1
    # The same form sent again saves nothing more.
    again = log(engine, t, ContactForm(client_id=t.c1, kind="visit", idempotency_key="k-1"))
    assert (again.id, count(engine, Visit)) == (planned, 1)


def test_an_overdue_plan_is_completed_the_latest_first_and_a_later_one_stays(engine, t):
    older = plan(engine, t, t.c1, MONDAY)
    newer = plan(engine, t, t.c1, D(2026, 11, 17), "call")
    later = plan(engine, t, t.c1, D(2026, 11, 19))
    row = log(engine, t, ContactForm(client_id=t.c1, kind="call"))
    assert row.id == newer  # Tuesday's is nearer to today than Monday's
    with db.reading(engine) as s:
        statuses = {v.id: v.status for v in s.scalars(select(Visit))}
    assert statuses == {older: "planned", newer: "done", later: "planned"}


def test_unticked_the_plan_stays_open_and_a_new_record_is_logged(engine, t):
    planned = plan(engine, t, t.c1, TODAY)
    row = log(engine, t, ContactForm(client_id=t.c1, kind="call", complete_plan=False))
    assert row.id != planned and count(engine, Visit) == 2
    with db.reading(engine) as s:
        assert s.get(Visit, planned).status == "planned"


def test_a_named_plan_of_another_client_is_refused(engine, t):
    planned = plan(engine, t, t.c2, TODAY)
    assert problems(log, engine, t, ContactForm(client_id=t.c1, kind="call", plan_id=planned)) == {
        "plan_id": f"There is no planned contact {planned} for this client."
    }


def test_the_kind_is_the_plans_else_the_most_common_else_a_visit(engine, t):
    with db.reading(engine) as s:
        assert contact_defaults.usual_kind(s, viewer=t.k1_viewer, client_id=t.c1, today=TODAY) == "visit"
    for kind in ("call", "call", "email"):
        log(engine, t, ContactForm(client_id=t.c2, kind=kind, done_on=D(2026, 11, 10)))
    plan(engine, t, t.c1, TODAY, "meeting")
    with db.reading(engine) as s:
        usual = contact_defaults.usual_kind
        assert usual(s, viewer=t.k1_viewer, client_id=t.c2, today=TODAY) == "call"  # 2 of 3
        assert usual(s, viewer=t.k1_viewer, client_id=t.c1, today=TODAY) == "meeting"  # planned
        assert usual(s, viewer=t.k2_viewer, client_id=None, today=TODAY) == "visit"  # none yet


# --- competitor names ------------------------------------------------------------------------


def test_competitor_names_match_case_and_punctuation_aside():
    assert name_words("METRO Cash & Carry") == ("metro", "cash", "carry")
    assert name_match("Metro Cash&Carry", "METRO Cash & Carry") == 0
    assert name_match("metro cashcarry", "Metro Cash&Carry") == 0  # letters run together
    assert name_match("Metro", "Metro Cash&Carry") == 1  # words begin the name
    assert name_match("Metro Group", "Metro Cash&Carry") is None
    assert name_match("Metropolis", "Metro") is None  # a word, not a prefix of letters
    assert name_match("—", "Metro") is None


def test_a_close_name_is_the_existing_competitor(engine, t):
    def add(name):
        with db.writing(engine) as s:
            return competitors.add_note(
                s, viewer=t.k1_viewer, actor=t.k1_actor,
                form=NoteForm(competitor_name=name, text="seen"), today=TODAY,
            )  # fmt: skip

    metro = [add(n).competitor_id for n in ("Metro", "METRO Cash & Carry", " metro cash&carry")]
    assert len(set(metro)) == 1
    with db.reading(engine) as s:
        assert s.get(Competitor, metro[0]).name == "Metro Cash&Carry"
        known = competitors.competitors(s)
    assert competitors.matching_competitors(known, "metro") == [(metro[0], "Metro Cash&Carry")]
    assert competitors.matching_competitors(known, "Food") == []  # "food" is not "foodline"
    add("Lenta")
    assert count(engine, Competitor) == 3  # Metro Cash&Carry, FoodLine, Lenta
    assert audit_rows(engine, "competitor")[-1].after["name"] == "Lenta"


def test_two_close_competitors_make_the_person_pick(engine, t):
    with db.writing(engine) as s:
        s.add(Competitor(name="Metro Group"))
    with db.writing(engine) as s, pytest.raises(ValidationError) as err:
        competitors.add_note(
            s, viewer=t.k1_viewer, actor=t.k1_actor,
            form=NoteForm(competitor_name="metro", text="seen"), today=TODAY,
        )  # fmt: skip
    assert err.value.problems == {
        "competitor_name": "“metro” could be Metro Cash&Carry, Metro Group; pick one of them."
    }


# --- competitor notes: product and category apart ---------------------------------------------


def note(engine, t, **kw):
    with db.writing(engine) as s:
        return competitors.add_note(
            s, viewer=t.k1_viewer, actor=t.k1_actor,
            form=NoteForm(competitor_name="FoodLine", text="cheaper", **kw), today=TODAY,
        )  # fmt: skip


def test_a_product_brings_its_category_and_typed_text_is_kept_as_typed(engine, t):
    by_product = note(engine, t, product_id=pid(engine, "P-1"), their_price="90", our_price="100")
    by_category = note(engine, t, category="dairy", their_price="80", our_price="100")
    typed = note(engine, t, product="Their own brand kefir", their_price="95", our_price="100")
    assert (by_product.category, by_product.product, by_product.product_id) == (
        "Dairy", None, pid(engine, "P-1"),
    )  # fmt: skip
    assert (by_category.category, by_category.product_id) == ("Dairy", None)  # catalogue's case
    assert (typed.category, typed.product, typed.product_id) == (
        None, "Their own brand kefir", None,
    )  # fmt: skip
    with db.reading(engine) as s:
        gaps = competitor_feed.price_gaps(s, viewer=t.head_viewer, category="Dairy")
        feed = competitor_feed.notes_feed(s, viewer=t.head_viewer)
    # Dairy: the product's note (−10 %) and the category's (−20 %): average −15 %.
    assert gaps[["competitor", "notes", "avg_gap_pct"]].values.tolist() == [["FoodLine", 2, -15.0]]
    # Newest first: the typed text (marked), the category's note, the catalogue's product.
    assert feed["product"].fillna("").tolist() == ["Their own brand kefir", "", "Milk 3.2% 1 l"]
    assert feed["product_typed"].tolist() == [True, False, False]


def test_a_category_outside_the_catalogue_and_a_product_twice_are_refused(engine, t):
    assert problems(note, engine, t, category="Toys") == {
        "category": "There is no category “Toys” in the catalogue; pick one, or type the "
        "product instead."
    }
    assert problems(note, engine, t, product_id=pid(engine, "P-1"), product="Milk") == {
        "product": "Pick a product of the catalogue or type one, not both."
    }


def test_the_catalogue_for_the_picker(engine, t):
    with db.reading(engine) as s:
        found = record_choices.catalogue(s)
    assert found.categories == ("Bakery", "Cheese", "Dairy")
    assert [p.sku for p in found.products] == ["P-3", "P-1", "P-2"]  # by name


# --- claims: product with unit, root cause from the list -------------------------------------


def open_(engine, t, **kw):
    with db.writing(engine) as s:
        return claims.open_claim(
            s, viewer=t.k1_viewer, actor=t.k1_actor, form=ClaimForm(**kw), today=TODAY
        )


def test_a_claim_names_a_product_the_client_bought_with_its_unit(engine, t):
    with db.reading(engine) as s:
        bought = record_choices.purchased_products(s, viewer=t.k1_viewer, client_id=t.c1)
        none_for_k2 = record_choices.purchased_products(s, viewer=t.k2_viewer, client_id=t.c1)
    assert [(p.sku, p.unit) for p in bought] == [("P-3", "kg"), ("P-1", "pcs")]  # latest first
    assert none_for_k2 == ()
    row = open_(engine, t, client_id=t.c1, kind="shortage", product_id=pid(engine, "P-3"),
                qty="2.5")  # fmt: skip
    assert (row.product_id, row.qty) == (pid(engine, "P-3"), Decimal("2.500"))
    with db.reading(engine) as s:
        listed = claim_figures.claim_list(s, viewer=t.k1_viewer, as_of=TODAY)
    assert listed[["product_sku", "product_name", "qty", "unit"]].values.tolist() == [
        ["P-3", "Gouda", Decimal("2.500"), "kg"]
    ]
    assert problems(open_, engine, t, client_id=t.c1, kind="shortage", qty="3") == {
        "product_id": "A quantity needs the product it counts; pick the product."
    }
    assert problems(
        open_, engine, t, client_id=t.c1, kind="shortage", product_id=pid(engine, "P-2")
    ) == {"product_id": "C001 has never bought P-2."}


def close(engine, t, claim_id, viewer=None, **kw):
    with db.writing(engine) as s:
        return claims.move_claim(
            s, viewer=viewer or t.k1_viewer, actor=t.k1_actor, claim_id=claim_id,
            expected_version=1, to_status="resolved", resolution="Credit note", justified=True,
            today=TODAY, **kw,
        )  # fmt: skip


def test_the_root_cause_is_from_the_list_and_free_text_only_as_other(engine, t):
    cid = open_(engine, t, client_id=t.c1, kind="damage").id
    assert problems(close, engine, t, cid, root_cause="Carrier dropped it") == {
        "root_cause": "There is no root cause Carrier dropped it to choose."
    }
    assert problems(close, engine, t, cid, root_cause="other") == {
        "root_cause_other": "Say what the other cause was."
    }
    assert problems(close, engine, t, cid, root_cause="transport_damage",
                    root_cause_other="dropped") == {  # fmt: skip
        "root_cause_other": "Describe the cause only when it is “Other”; clear the text."
    }
    row = close(engine, t, cid, root_cause="other", root_cause_other="Pallet fell in the yard")
    assert (row.root_cause_code, row.root_cause) == ("other", "Pallet fell in the yard")


def test_the_head_extends_the_list_and_retires_a_cause(engine, t):
    with db.writing(engine) as s:
        added = root_causes.add_root_cause(
            s, viewer=t.head_viewer, actor=t.head_actor, label="Pallet collapsed"
        )
        same = root_causes.add_root_cause(
            s, viewer=t.head_viewer, actor=t.head_actor, label="pallet COLLAPSED"
        )
        root_causes.set_active(
            s, viewer=t.head_viewer, actor=t.head_actor, code="expired_stock", active=False
        )
    assert (added.code, same.code) == ("pallet_collapsed", "pallet_collapsed")
    with db.reading(engine) as s:
        offered = [c for c, _, _ in root_causes.root_causes(s)]
        everything = root_causes.root_causes(s, active_only=False)
    # Seeded six plus the new one, minus the retired; "other" last.
    # By label: Documentation…, Pallet…, Price list…, Supplier…, Transport…, Warehouse picking….
    assert offered == ["documentation_error", "pallet_collapsed", "price_error",
                       "supplier_defect", "transport_damage", "picking_error", "other"]  # fmt: skip
    assert len(everything) == 8
    assert [a.action for a in audit_rows(engine, "claim_root_cause")] == ["create", "update"]
    cid = open_(engine, t, client_id=t.c1, kind="expiry").id
    assert problems(close, engine, t, cid, root_cause="expired_stock") == {
        "root_cause": "There is no root cause expired_stock to choose."
    }
    assert close(engine, t, cid, root_cause="pallet_collapsed").root_cause_code == (
        "pallet_collapsed"
    )
    with db.writing(engine) as s, pytest.raises(PermissionError):
        root_causes.add_root_cause(s, viewer=t.k1_viewer, actor=t.k1_actor, label="Mine")
    with db.reading(engine) as s:
        assert s.get(ClaimRootCause, "mine") is None


def test_the_pareto_by_root_cause_groups_by_code(engine, t):
    for cause, other in (("other", "Yard"), ("other", "Rain"), ("picking_error", None)):
        cid = open_(engine, t, client_id=t.c1, kind="damage", amount="100").id
        close(engine, t, cid, root_cause=cause, root_cause_other=other)
    with db.reading(engine) as s:
        got = claim_figures.claims_pareto(s, viewer=t.head_viewer, by="root_cause")
        assert s.scalars(select(Claim.root_cause).order_by(Claim.id)).all() == [
            "Yard", "Rain", None,
        ]  # fmt: skip
    assert got[["key", "claims", "share_pct"]].values.tolist() == [
        ["other", 2, 66.7], ["picking_error", 1, 33.3],
    ]  # fmt: skip


# --- the forms, through the real app (AppTest) ----------------------------------------------


def _app(monkeypatch, url, **kw):
    from tests.apptest import run_app

    monkeypatch.setenv("KAM_TODAY", TODAY.isoformat())
    return run_app(monkeypatch, url, **kw)


def _form_script() -> None:
    # The quick form alone, framed as app.py frames a page (the dialog around it is Streamlit's).
    import streamlit as st

    from kam.ui import contact_form, frame

    frame.start()
    form = {"contact": contact_form.log_contact, "claim": contact_form.open_claim}
    if form[st.query_params["form"]]("t", client_code="C001"):
        st.success("saved")


def _form(monkeypatch, url, which):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KAM_TODAY", TODAY.isoformat())
    monkeypatch.setenv("KAM_DATABASE_URL", url)
    at = AppTest.from_function(_form_script, default_timeout=60)
    at.query_params["as"] = "K1"
    at.query_params["form"] = which
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_the_contact_form_says_there_is_a_plan_and_completes_it(monkeypatch, sqlite_url):
    engine = db.engine(sqlite_url)
    t = team(engine)
    planned = plan(engine, t, t.c1, TODAY, "meeting")
    at = _form(monkeypatch, sqlite_url, "contact")
    [offer] = at.checkbox
    assert (offer.label, offer.value) == ("Complete the Meeting planned for 18 Nov 2026", True)
    kind = next(g for g in at.get("button_group") if g.label == "Kind")
    assert kind.value == "meeting"  # preselected from the plan: no "Kind is required"
    next(w for w in at.text_input if w.label == "Outcome").input("Order agreed")
    _button(at, "Save").click().run()
    assert not at.exception and [m.value for m in at.success] == ["saved"]
    with db.reading(engine) as s:
        rows = s.execute(select(Visit.id, Visit.status, Visit.kind, Visit.outcome)).all()
    assert [tuple(r) for r in rows] == [(planned, "done", "meeting", "Order agreed")]


def test_the_contact_form_unticked_logs_a_second_contact(monkeypatch, sqlite_url):
    engine = db.engine(sqlite_url)
    t = team(engine)
    planned = plan(engine, t, t.c1, TODAY, "meeting")
    at = _form(monkeypatch, sqlite_url, "contact")
    at.checkbox[0].uncheck().run()
    _button(at, "Save").click().run()
    with db.reading(engine) as s:
        rows = s.execute(select(Visit.id, Visit.status).order_by(Visit.id)).all()
    assert [tuple(r) for r in rows] == [(planned, "planned"), (planned + 1, "done")]


def test_the_claim_form_offers_the_clients_purchases_with_their_unit(monkeypatch, sqlite_url):
    engine = db.engine(sqlite_url)
    tm = team(engine)
    with db.writing(engine) as s:
        from kam.core.models import Client

        c1 = s.get(Client, tm.c1)
        cheese = f.product(s, "P-3", name="Gouda", category="Cheese", unit="kg")
        f.line(s, c1, "2026-11-02", "500.00", doc_no="S-2", prod=cheese)
        cheese_id = cheese.id
    at = _form(monkeypatch, sqlite_url, "claim")
    product = next(w for w in at.selectbox if w.label == "Product")
    assert product.options == ["Gouda · P-3 (kg)"]
    product.select_index(0).run()
    next(w for w in at.button_group if w.label == "Kind").set_value("shortage")
    next(w for w in at.text_input if w.label == "Quantity, kg").input("1.5")
    _button(at, "Open the claim").click().run()
    assert [m.value for m in at.markdown if ":red" in m.value] == []
    assert not at.exception and [m.value for m in at.success] == ["saved"]
    with db.reading(engine) as s:
        saved = s.execute(select(Claim.kind, Claim.product_id, Claim.qty)).one()
    assert tuple(saved) == ("shortage", cheese_id, Decimal("1.500"))


def test_the_head_adds_a_root_cause_on_the_claims_page(monkeypatch, sqlite_url):
    engine = db.engine(sqlite_url)
    team(engine)
    at = _app(monkeypatch, sqlite_url, page="pages/claims.py", viewer="H1")
    next(w for w in at.text_input if w.label == "New root cause").input("Pallet collapsed")
    _button(at, "Add to the list").click().run()
    assert not at.exception
    with db.reading(engine) as s:
        assert s.get(ClaimRootCause, "pallet_collapsed").label == "Pallet collapsed"
    kam = _app(monkeypatch, sqlite_url, page="pages/claims.py", viewer="K1")
    assert not [w for w in kam.text_input if w.label == "New root cause"]
