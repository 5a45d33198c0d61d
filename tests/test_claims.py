"""Claims: opening with its checks, every workflow move legal and illegal, reopening with a
reason, idempotency and version conflicts (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import select

from kam.activities import claim_figures, claims
from kam.activities.claims import ClaimForm
from kam.core import db
from kam.core.models import Claim, Product
from kam.core.validation import ConflictError, ValidationError
from tests import factories as f
from tests.team import TODAY, audit_rows, count, data_version, team

D = dt.date


@pytest.fixture
def t(engine):
    tm = team(engine)
    with db.writing(engine) as s:
        from kam.core.models import Client

        c1, c3 = s.get(Client, tm.c1), s.get(Client, tm.c3)
        yoghurt = f.product(s, "P-1", name="Yoghurt 0.5 l", unit="box")
        f.line(s, c1, "2026-11-02", "1500.00", doc_no="SHIP-1", prod=yoghurt)
        f.line(s, c1, "2026-11-05", "-200.00", doc_no="RET-1", kind="return")
        f.line(s, c3, "2026-11-06", "900.00", doc_no="SHIP-3")
    return tm


def open_(engine, t, form, viewer=None, actor=None, today=TODAY):
    with db.writing(engine) as s:
        return claims.open_claim(
            s, viewer=viewer or t.k1_viewer, actor=actor or t.k1_actor, form=form, today=today
        )


def move(engine, t, claim_id, version, to_status, viewer=None, actor=None, **kw):
    kw.setdefault("today", TODAY)
    with db.writing(engine) as s:
        return claims.move_claim(
            s,
            viewer=viewer or t.k1_viewer,
            actor=actor or t.k1_actor,
            claim_id=claim_id,
            expected_version=version,
            to_status=to_status,
            **kw,
        )


def problems(fn, *args, **kw):
    with pytest.raises(ValidationError) as err:
        fn(*args, **kw)
    return err.value.problems


def product_id(engine, sku: str = "P-1") -> int:
    with db.reading(engine) as s:
        return s.scalars(select(Product.id).where(Product.sku == sku)).one()


CLOSE = {
    "root_cause": "picking_error",
    "resolution": "Credit note 4 crates",
    "justified": True,
}


def test_open_claim_saves_what_was_typed(engine, t):
    version = data_version(engine)
    form = ClaimForm(
        client_id=t.c1,
        kind="return",
        opened_on=D(2026, 11, 6),
        document_ref="ТН-0042/11",
        sales_doc_no=" RET-1 ",
        product_id=product_id(engine),
        qty="4",
        amount="1 200,50",
        description="Йогурт «Снежок» 🥛 <b>damaged</b>; DELETE FROM claims;",
    )
    row = open_(engine, t, form)
    with db.reading(engine) as s:
        saved = s.get(Claim, row.id)
        assert (saved.client_id, saved.manager_id, saved.kind, saved.status, saved.opened_on) == (
            t.c1,
            t.k1,
            "return",
            "open",
            D(2026, 11, 6),
        )
        assert (saved.document_ref, saved.sales_doc_no, saved.qty, saved.amount) == (
            "ТН-0042/11",
            "RET-1",
            Decimal("4.000"),
            Decimal("1200.50"),
        )
        assert saved.description == "Йогурт «Снежок» 🥛 <b>damaged</b>; DELETE FROM claims;"
        assert (saved.closed_on, saved.justified, saved.version) == (None, None, 1)
        assert saved.product_id == product_id(engine)
    [entry] = audit_rows(engine, "claim")
    assert (entry.action, entry.after["amount"], entry.after["status"]) == (
        "open",
        "1200.50",
        "open",
    )
    assert data_version(engine) == version + 1


def test_open_claim_only_client_and_kind_required(engine, t):
    row = open_(engine, t, ClaimForm(client_id=t.c2, kind="late_delivery"))
    assert (row.opened_on, row.amount, row.description) == (TODAY, None, None)


def test_open_claim_reports_every_problem(engine, t):
    form = ClaimForm(
        kind="broken",
        opened_on=D(2023, 1, 1),
        amount="-10",
        qty="1.2345",
        document_ref="x" * 70,
        description=" ",
    )
    assert problems(open_, engine, t, form) == {
        "client_id": "Client is required.",
        "kind": "Kind must be one of shortage, mis_grade, damage, quality, expiry, price, late_delivery, return, refusal (got 'broken').",
        "opened_on": "Date 2023-01-01 is more than 2 years ago; 2024-11-18 is the earliest allowed.",
        "document_ref": "Document is 70 characters long; at most 64 fit.",
        "qty": "Quantity has more than 3 decimal places (got 1.2345).",
        "amount": "Amount cannot be negative (got -10).",
    }
    assert problems(
        open_, engine, t, ClaimForm(client_id=t.c1, kind="damage", opened_on=D(2026, 12, 1))
    ) == {"opened_on": "Date 2026-12-01 is in the future; 2026-11-18 is the latest allowed."}
    assert count(engine, Claim) == 0


def test_sales_document_link(engine, t):
    assert problems(
        open_, engine, t, ClaimForm(client_id=t.c1, kind="shortage", sales_doc_no="SHIP-1")
    ) == {
        "sales_doc_no": "Only a return or refusal claim links a sales document; clear the field or change the kind."
    }
    assert problems(
        open_, engine, t, ClaimForm(client_id=t.c1, kind="refusal", sales_doc_no="NOPE-9")
    ) == {"sales_doc_no": "There is no sales document NOPE-9."}
    assert problems(
        open_, engine, t, ClaimForm(client_id=t.c1, kind="refusal", sales_doc_no="SHIP-3")
    ) == {"sales_doc_no": "Sales document SHIP-3 was not issued to C001."}
    assert (
        open_(
            engine, t, ClaimForm(client_id=t.c1, kind="refusal", sales_doc_no="SHIP-1")
        ).sales_doc_no
        == "SHIP-1"
    )


def test_same_key_twice_opens_one_claim(engine, t):
    form = ClaimForm(client_id=t.c1, kind="quality", idempotency_key="claim-form-7")
    assert open_(engine, t, form).id == open_(engine, t, form).id
    assert count(engine, Claim) == 1 and len(audit_rows(engine, "claim")) == 1


def test_permissions(engine, t):
    with pytest.raises(PermissionError, match="C003 is in another manager's portfolio"):
        open_(engine, t, ClaimForm(client_id=t.c3, kind="quality"))
    with pytest.raises(PermissionError, match="admin"):
        open_(engine, t, ClaimForm(client_id=t.c1, kind="quality"), viewer=t.admin_viewer)
    row = open_(
        engine,
        t,
        ClaimForm(client_id=t.c3, kind="quality"),
        viewer=t.head_viewer,
        actor=t.head_actor,
    )
    assert row.manager_id == t.k2
    with pytest.raises(PermissionError):
        move(engine, t, row.id, 1, "in_progress")  # K1 on K2's client


def test_full_workflow_with_reopening(engine, t):
    cid = open_(
        engine, t, ClaimForm(client_id=t.c1, kind="mis_grade", opened_on=D(2026, 11, 10))
    ).id
    row = move(
        engine, t, cid, 1, "in_progress", root_cause="other",
        root_cause_other="Checking with the warehouse",
    )  # fmt: skip
    assert (row.status, row.version, row.root_cause_code, row.root_cause, row.closed_on) == (
        "in_progress",
        2,
        "other",
        "Checking with the warehouse",
        None,
    )
    row = move(engine, t, cid, 2, "resolved", **CLOSE)
    assert (row.status, row.version, row.closed_on, row.justified) == ("resolved", 3, TODAY, True)
    # A cause from the list leaves no free text behind.
    assert (row.root_cause_code, row.root_cause, row.resolution) == (
        "picking_error", None, CLOSE["resolution"],
    )  # fmt: skip

    assert problems(move, engine, t, cid, 3, "in_progress") == {
        "reason": "Say why the resolved claim is reopened."
    }
    row = move(engine, t, cid, 3, "in_progress", reason="The client found 2 more wrong crates")
    assert (row.status, row.closed_on, row.version, row.root_cause_code) == (
        "in_progress",
        None,
        4,
        CLOSE["root_cause"],
    )
    entry = audit_rows(engine, "claim")[-1]
    assert entry.action == "reopen"
    assert (entry.before["status"], entry.before["closed_on"]) == ("resolved", "2026-11-18")
    assert (entry.after["status"], entry.after["closed_on"], entry.after["reason"]) == (
        "in_progress",
        None,
        "The client found 2 more wrong crates",
    )

    row = move(
        engine,
        t,
        cid,
        4,
        "rejected",
        root_cause="other",
        root_cause_other="Client error",
        resolution="Explained",
        justified=False,
        closed_on=D(2026, 11, 12),
    )
    assert (row.status, row.closed_on, row.justified) == ("rejected", D(2026, 11, 12), False)
    assert [a.action for a in audit_rows(engine, "claim")] == [
        "open",
        "move",
        "move",
        "reopen",
        "move",
    ]


def test_open_claim_closes_directly(engine, t):
    a = open_(engine, t, ClaimForm(client_id=t.c1, kind="damage")).id
    b = open_(engine, t, ClaimForm(client_id=t.c1, kind="damage")).id
    assert move(engine, t, a, 1, "resolved", **CLOSE).status == "resolved"
    assert move(engine, t, b, 1, "rejected", **(CLOSE | {"justified": False})).status == "rejected"


def test_closing_needs_root_cause_resolution_and_justified(engine, t):
    cid = open_(engine, t, ClaimForm(client_id=t.c1, kind="damage", opened_on=D(2026, 11, 10))).id
    assert problems(move, engine, t, cid, 1, "resolved", root_cause="  ") == {
        "root_cause": "Root cause is required to close a claim.",
        "resolution": "Resolution is required to close a claim.",
        "justified": "Say whether the claim was justified (yes or no).",
    }
    assert problems(move, engine, t, cid, 1, "rejected", **CLOSE, closed_on=D(2026, 11, 9)) == {
        "closed_on": "Closing date 2026-11-09 is before the claim's opening date 2026-11-10."
    }
    assert problems(move, engine, t, cid, 1, "resolved", **CLOSE, closed_on=D(2026, 11, 19)) == {
        "closed_on": "Closing date 2026-11-19 is in the future; 2026-11-18 is the latest allowed."
    }
    assert problems(
        move, engine, t, cid, 1, "resolved", **CLOSE, root_cause_other="r" * 501
    ) == {"root_cause_other": "Other cause is 501 characters long; at most 500 fit."}
    with db.reading(engine) as s:
        assert (s.get(Claim, cid).status, s.get(Claim, cid).version) == ("open", 1)


def test_illegal_moves(engine, t):
    cid = open_(engine, t, ClaimForm(client_id=t.c1, kind="price")).id
    assert problems(move, engine, t, cid, 1, "open") == {"to_status": "The claim is already open."}
    assert problems(move, engine, t, cid, 1, "closed") == {
        "to_status": "Status must be one of open, in_progress, resolved, rejected (got 'closed')."
    }
    move(engine, t, cid, 1, "in_progress")
    assert problems(move, engine, t, cid, 2, "open") == {
        "to_status": "A claim cannot go back to open; it stays in progress until resolved or rejected."
    }
    move(engine, t, cid, 2, "rejected", **(CLOSE | {"justified": False}))
    assert problems(move, engine, t, cid, 3, "resolved", **CLOSE) == {
        "to_status": "A rejected claim cannot be resolved directly; reopen it (move it back to in progress) first."
    }
    assert problems(move, engine, t, cid, 3, "in_progress") == {
        "reason": "Say why the rejected claim is reopened."
    }
    assert problems(move, engine, t, cid, 3, "open", reason="again") == {
        "to_status": "A claim cannot go back to open; reopen it by moving it back to in progress."
    }
    assert problems(move, engine, t, 9999, 1, "in_progress") == {
        "claim_id": "There is no claim with id 9999."
    }
    assert claims.allowed_moves("rejected") == ("in_progress",)
    assert claims.allowed_moves("open") == ("in_progress", "resolved", "rejected")


def test_two_people_close_the_same_claim(engine, t):
    cid = open_(engine, t, ClaimForm(client_id=t.c1, kind="shortage")).id
    with db.reading(engine) as s:  # both forms were loaded at version 1
        assert claims.claim_for_edit(s, viewer=t.k1_viewer, claim_id=cid)["version"] == 1
        assert claims.claim_for_edit(s, viewer=t.head_viewer, claim_id=cid)["client_code"] == "C001"
    move(engine, t, cid, 1, "resolved", viewer=t.head_viewer, actor=t.head_actor, **CLOSE)
    with pytest.raises(ConflictError) as err:
        move(
            engine,
            t,
            cid,
            1,
            "rejected",
            root_cause="other",
            root_cause_other="Not our fault",
            resolution="Refused",
            justified=False,
        )
    current = err.value.current
    assert (current["status"], current["root_cause_code"], current["justified"], current["version"]) == (
        "resolved",
        CLOSE["root_cause"],
        True,
        2,
    )
    assert err.value.changed_by == "Viktor"
    assert "changed by Viktor" in str(
        err.value
    ) and "you had version 1, it is now version 2" in str(err.value)
    # The same close sent twice (a double click) is not a conflict.
    assert (
        move(
            engine, t, cid, 1, "resolved", viewer=t.head_viewer, actor=t.head_actor, **CLOSE
        ).version
        == 2
    )
    assert len(audit_rows(engine, "claim")) == 2


def test_two_people_close_at_the_same_moment(engine, t):
    cid = open_(engine, t, ClaimForm(client_id=t.c1, kind="shortage")).id
    start = threading.Barrier(2)

    def close(who: int) -> str:
        viewer, actor = (t.k1_viewer, t.k1_actor) if who == 0 else (t.head_viewer, t.head_actor)
        start.wait()
        try:
            move(
                engine,
                t,
                cid,
                1,
                "resolved",
                viewer=viewer,
                actor=actor,
                **(CLOSE | {"resolution": f"by {who}"}),
            )
        except ConflictError:
            return "conflict"
        return "saved"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(close, range(2)))
    assert outcomes == ["conflict", "saved"]
    with db.reading(engine) as s:
        assert s.get(Claim, cid).version == 2
    assert len(audit_rows(engine, "claim")) == 2


def test_claim_list_after_the_workflow(engine, t):
    a = open_(engine, t, ClaimForm(client_id=t.c1, kind="damage", opened_on=D(2026, 11, 2))).id
    open_(
        engine,
        t,
        ClaimForm(client_id=t.c3, kind="expiry", opened_on=D(2026, 11, 4)),
        viewer=t.head_viewer,
        actor=t.head_actor,
    )
    move(engine, t, a, 1, "resolved", **CLOSE, closed_on=D(2026, 11, 9))
    with db.reading(engine) as s:
        mine = claim_figures.claim_list(s, viewer=t.k1_viewer, as_of=TODAY)
        everyone = claim_figures.claim_list(s, viewer=t.head_viewer, as_of=TODAY)
        closed = claim_figures.claim_list(
            s, viewer=t.head_viewer, as_of=TODAY, statuses=["resolved"]
        )
        with pytest.raises(LookupError):
            claims.claim_for_edit(s, viewer=t.k2_viewer, claim_id=a)
    # Closed: 2 to 9 November is 7 days to resolve; the move made it version 2.
    assert mine[["client_code", "status", "age_days", "version"]].values.tolist() == [
        ["C001", "resolved", 7, 2]
    ]
    assert everyone["client_code"].tolist() == ["C003", "C001"]
    assert everyone["age_days"].tolist() == [14, 7]  # C003 still open: 4 to 18 November
    assert closed["claim_id"].tolist() == [a]
