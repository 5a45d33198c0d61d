"""A small sales team for the logging tests: a head, two KAMs, an admin and four clients."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from kam.core import db
from kam.core.access import Viewer
from kam.core.audit import Actor
from kam.core.models import AuditLog, DataVersion
from tests import factories as f

TODAY = dt.date(2026, 11, 18)  # a Wednesday


@dataclass(frozen=True)
class Team:
    head: int
    k1: int
    k2: int
    admin: int
    c1: int  # K1's, Cyrillic name
    c2: int  # K1's
    c3: int  # K2's
    c4: int  # K2's, lost

    @property
    def head_viewer(self) -> Viewer:
        return Viewer(name="Viktor", role="head", manager_id=self.head)

    @property
    def k1_viewer(self) -> Viewer:
        return Viewer(name="Irina", role="kam", manager_id=self.k1)

    @property
    def k2_viewer(self) -> Viewer:
        return Viewer(name="Dmitry", role="kam", manager_id=self.k2)

    @property
    def admin_viewer(self) -> Viewer:
        return Viewer(name="Anna", role="admin", manager_id=self.admin)

    @property
    def k1_actor(self) -> Actor:
        return Actor(name="Irina", id=self.k1)

    @property
    def k2_actor(self) -> Actor:
        return Actor(name="Dmitry", id=self.k2)

    @property
    def head_actor(self) -> Actor:
        return Actor(name="Viktor", id=self.head)


def team(engine: Engine) -> Team:
    """Build the team in its own committed transaction."""
    with db.writing(engine) as s:
        head = f.manager(s, "H1", role="head", name="Viktor")
        k1 = f.manager(s, "K1", name="Irina")
        k2 = f.manager(s, "K2", name="Dmitry")
        admin = f.manager(s, "A1", role="admin", name="Anna")
        c1 = f.client(s, "C001", k1, name="ООО «Ромашка»")
        c2 = f.client(s, "C002", k1, name="FoodMarket Plus")
        c3 = f.client(s, "C003", k2, name="Ромашка-Юг")
        c4 = f.client(s, "C004", k2, name="Old Shop", status="lost")
        return Team(head.id, k1.id, k2.id, admin.id, c1.id, c2.id, c3.id, c4.id)


def audit_rows(engine: Engine, entity: str) -> list[AuditLog]:
    """The audit rows of ``entity``, oldest first."""
    with db.reading(engine) as s:
        rows = s.scalars(
            select(AuditLog).where(AuditLog.entity == entity).order_by(AuditLog.id)
        ).all()
        s.expunge_all()
        return list(rows)


def data_version(engine: Engine) -> int:
    """Both data-version counters added up: every write bumps exactly one of them by one."""
    with db.reading(engine) as s:
        return sum(s.execute(select(DataVersion.version)).scalars())


def count(engine: Engine, model: type) -> int:
    with db.reading(engine) as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()
