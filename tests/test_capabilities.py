"""Who may do what (kam.core.access): every role against every capability, asked of the kam
function that does the thing, with the expected answers written here by hand from the README's
"Sign-in" section; the import refused to a KAM on every path; the write right settled.
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kam import importer
from kam.activities import root_causes, visits
from kam.core import access, audit, audit_trail, db
from kam.core.access import Capability, Viewer
from kam.core.i18n import text_of
from kam.core.validation import ValidationError
from kam.plans import plan_setting
from kam.plans.plan_setting import PlanTarget
from kam.portfolio import clients, delegations, managers, moves
from tests.team import TODAY, Team, audit_rows, team
from tests.test_import_loading import MANAGERS, dump, write

Y, N = True, False
# README, "Sign-in": kam — own clients; head — everything, sets plans, moves clients,
# delegates; admin — reads everything, users, imports, the Users and Audit trail pages. The
# admin changes no client data, so neither owns clients nor stands in for a KAM; the head
# imports too ("everything"), and the command line may do everything.
# fmt: off
EXPECTED = {  #               kam  head admin system
    "see_all":               (N,   Y,   Y,    Y),
    "write":                 (Y,   Y,   N,    Y),
    "import":                (N,   Y,   Y,    Y),
    "set_plans":             (N,   Y,   N,    Y),
    "manage_portfolios":     (N,   Y,   Y,    Y),
    "manage_users":          (N,   N,   Y,    Y),
    "see_users":             (N,   Y,   Y,    Y),
    "see_audit_trail":       (N,   Y,   Y,    Y),
    "own_clients":           (Y,   Y,   N,    Y),
    "substitute":            (Y,   Y,   N,    Y),
    "manage_root_causes":    (N,   Y,   Y,    Y),
}
# fmt: on
ROLES = ("kam", "head", "admin", "system")
# What a manager of the role can be given, not something the viewer does: the command line is
# nobody's role in the managers table, so these are asked of the three manager roles only.
TARGET_CAPABILITIES = {"own_clients", "substitute"}


@pytest.fixture
def tm(engine: Engine) -> Team:
    return team(engine)


def viewer_of(tm: Team, role: str) -> Viewer:
    return {
        "kam": tm.k1_viewer,
        "head": tm.head_viewer,
        "admin": tm.admin_viewer,
        "system": access.SYSTEM,
    }[role]


def actor_of(viewer: Viewer) -> audit.Actor:
    return audit.Actor(name=viewer.name, id=viewer.manager_id)


@contextmanager
def trial(engine: Engine) -> Iterator[Session]:
    """A write transaction rolled back at the end: each probe starts from the same team."""
    session = Session(engine.execution_options(kam_write=True))
    try:
        session.begin()
        yield session
    finally:
        session.rollback()
        session.close()


# One probe per capability: does the kam function let ``role`` do it? A refusal is a
# PermissionError (for a viewer) or the ValidationError on the picked manager (for a target).
def _sees_all(s: Session, tm: Team, v: Viewer, tmp: Path) -> None:
    # C003 is K2's: seen only by those who see every portfolio.
    seen = set(clients.clients_of(s, viewer=v)["client_code"])
    if "C003" not in seen:
        raise PermissionError("sees only a portfolio")


def _writes(s: Session, tm: Team, v: Viewer, tmp: Path) -> None:
    form = visits.ContactForm(client_id=tm.c1, kind="call")  # K1's client
    visits.log_contact(s, viewer=v, actor=actor_of(v), form=form, today=TODAY)


def _imports(s: Session, tm: Team, v: Viewer, tmp: Path) -> None:
    [file] = importer.plan_files([write(tmp, "managers.csv", MANAGERS)])
    summary = importer.load_file(s, file, viewer=v, actor=actor_of(v))
    assert summary.loaded


def _sets_plans(s: Session, tm: Team, v: Viewer, tmp: Path) -> None:
    plan_setting.set_plans(
        s, viewer=v, actor=actor_of(v), month=dt.date(2026, 11, 1),
        targets=[PlanTarget(tm.k1, "revenue", 100)],
    )  # fmt: skip


def _manages_portfolios(s: Session, tm: Team, v: Viewer, tmp: Path) -> None:
    delegations.delegate(
        s, viewer=v, actor=actor_of(v), from_manager_id=tm.k2, to_manager_id=tm.k1,
        starts_on=TODAY, ends_on=TODAY, today=TODAY,
    )  # fmt: skip


def _manages_users(s: Session, tm: Team, v: Viewer, tmp: Path) -> None:
    managers.add_manager(s, viewer=v, actor=actor_of(v), code="K9", name="Olga", email=None)


def _sees_users(s: Session, tm: Team, v: Viewer, tmp: Path) -> None:
    managers.people(s, viewer=v)


def _sees_audit_trail(s: Session, tm: Team, v: Viewer, tmp: Path) -> None:
    audit_trail.audit_count(s, viewer=v)


def _manages_root_causes(s: Session, tm: Team, v: Viewer, tmp: Path) -> None:
    root_causes.add_root_cause(s, viewer=v, actor=actor_of(v), label="Pallet collapsed")


def _target(role: str, tm: Team) -> tuple[int, int]:
    """(whose clients or portfolio, the manager of ``role`` who is to take them)."""
    return {"kam": (tm.k2, tm.k1), "head": (tm.k2, tm.head), "admin": (tm.k2, tm.admin)}[role]


def _owns_clients(s: Session, tm: Team, role: str) -> None:
    source, taker = _target(role, tm)
    moves.reassign_clients(
        s, viewer=access.SYSTEM, actor=audit.SYSTEM, from_manager_id=source,
        to_manager_id=taker, today=TODAY,
    )  # fmt: skip


def _substitutes(s: Session, tm: Team, role: str) -> None:
    source, taker = _target(role, tm)
    delegations.delegate(
        s, viewer=access.SYSTEM, actor=audit.SYSTEM, from_manager_id=source,
        to_manager_id=taker, starts_on=TODAY, ends_on=TODAY, today=TODAY,
    )  # fmt: skip


VIEWER_PROBES: dict[str, Callable[[Session, Team, Viewer, Path], None]] = {
    "see_all": _sees_all,
    "write": _writes,
    "import": _imports,
    "set_plans": _sets_plans,
    "manage_portfolios": _manages_portfolios,
    "manage_users": _manages_users,
    "see_users": _sees_users,
    "see_audit_trail": _sees_audit_trail,
    "manage_root_causes": _manages_root_causes,
}
TARGET_PROBES: dict[str, Callable[[Session, Team, str], None]] = {
    "own_clients": _owns_clients,
    "substitute": _substitutes,
}


def test_every_capability_has_a_probe_and_an_expectation():
    names = {c.value for c in Capability}
    assert set(EXPECTED) == names
    assert set(VIEWER_PROBES) | set(TARGET_PROBES) == names


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_what_the_readme_says(engine, tm, tmp_path, role):
    column = ROLES.index(role)
    viewer = viewer_of(tm, role)
    wrong = []
    for capability, expected in EXPECTED.items():
        allowed = expected[column]
        # What the pages and the menu ask …
        if viewer.may(Capability(capability)) != allowed:
            wrong.append(f"Viewer.may({capability}) is {not allowed}")
        # … and what the kam function does.
        if capability in TARGET_CAPABILITIES:
            if role == "system":
                continue
            probe, args, refusal = TARGET_PROBES[capability], (tm, role), ValidationError
        else:
            probe, args, refusal = (
                VIEWER_PROBES[capability],
                (tm, viewer, tmp_path),
                PermissionError,
            )
        with trial(engine) as s:
            try:
                probe(s, *args)
                did = True
            except refusal as exc:
                if isinstance(exc, ValidationError):
                    assert set(exc.problems) == {"to_manager_id"}, exc.problems
                did = False
        if did != allowed:
            wrong.append(f"{capability}: {'allowed' if did else 'refused'}")
    assert not wrong, f"{role}: {wrong}"


def test_the_pickers_offer_the_roles_of_the_table():
    # Who can be given clients (move, plans) and who can be picked as a substitute.
    assert access.roles_with(Capability.OWN_CLIENTS) == ("kam", "head")
    assert access.roles_with(Capability.SUBSTITUTE) == ("kam", "head")
    assert access.roles_with(Capability.MANAGE_USERS) == ("admin",)


def test_an_unknown_role_may_do_nothing():
    guest = Viewer(name="Guest", role="guest")
    assert not any(guest.may(c) for c in Capability)
    assert not guest.sees_all


# --- write: the two former definitions disagreed on the command line ----------------------


def test_the_admin_only_reads_and_the_command_line_writes(engine, tm):
    """``Viewer.can_write`` (kam, head) said the command line may not write, WRITER_ROLES
    (kam, head, system) that it may. The command line may: it acts for the company (the demo,
    scripts) and may do everything. The admin only reads, as both said."""
    form = visits.ContactForm(client_id=tm.c3, kind="call", notes="Called about the order")
    with db.writing(engine) as s, pytest.raises(PermissionError) as refused:
        visits.log_contact(s, viewer=tm.admin_viewer, actor=actor_of(tm.admin_viewer), form=form,
                           today=TODAY)  # fmt: skip
    assert str(refused.value) == (
        "Anna signed in as administrator, which may look but not change data; ask the manager of "
        "the client or the head of sales."
    )
    message = text_of(refused.value)  # translatable: the id and the values travel apart
    assert message.msgid.startswith("{name} signed in as {role}, which may look")
    assert message.values["name"] == "Anna" and message.values["role"].msgid == "administrator"
    assert not tm.admin_viewer.may(Capability.WRITE)  # no "Log a contact" button either
    assert audit_rows(engine, "visit") == []

    with db.writing(engine) as s:
        visit = visits.log_contact(s, viewer=access.SYSTEM, actor=audit.SYSTEM, form=form,
                                   today=TODAY)  # fmt: skip
        assert visit.manager_id == tm.k2  # the client's manager
    assert access.SYSTEM.may(Capability.WRITE)
    [row] = audit_rows(engine, "visit")
    assert (row.actor, row.action) == ("system", "log")


# --- import: refused to a KAM on every path, nothing written -------------------------------


def test_a_kam_cannot_import_by_any_path_and_nothing_is_written(engine, tm, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    files = importer.plan_files([write(folder, "managers.csv", MANAGERS)])
    irina = tm.k1_viewer
    before = dump(engine)
    for options in ({}, {"dry_run": True}, {"skip_invalid": True, "rejected_dir": folder}):
        with pytest.raises(PermissionError) as refused:
            importer.load_files(engine, files, viewer=irina, actor=actor_of(irina), **options)
        assert str(refused.value) == (
            "Irina signed in as KAM; importing is for the head of sales and administrators."
        )
    with db.writing(engine) as s, pytest.raises(PermissionError):
        importer.load_file(s, files[0], viewer=irina, actor=actor_of(irina))
    assert dump(engine) == before
    assert [p.name for p in folder.iterdir()] == ["managers.csv"]  # no rejected rows either


def test_the_admin_imports(engine, tm, tmp_path):
    files = importer.plan_files([write(tmp_path, "managers.csv", MANAGERS)])
    admin = tm.admin_viewer
    [summary] = importer.load_files(engine, files, viewer=admin, actor=actor_of(admin))
    assert (summary.status, summary.inserted) == ("loaded", 2)
    [row] = audit_rows(engine, "managers")
    assert (row.action, row.actor, row.actor_id) == ("import", "Anna", tm.admin)
