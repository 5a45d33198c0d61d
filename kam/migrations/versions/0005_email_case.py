"""email case: a manager's e-mail is unique in any case, as sign-in matches it

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 20:30:00
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_managers = sa.table(
    "managers",
    sa.column("id", sa.Integer),
    sa.column("email", sa.String),
    sa.column("active", sa.Boolean),
    sa.column("version", sa.Integer),
)
_audit = sa.table(
    "audit_log",
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.String),
    sa.column("action", sa.String),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
)


def upgrade() -> None:
    bind = op.get_bind()
    # E-mails that differ only in case, stored before this rule, locked both people out of
    # sign-in. The active manager (the earliest, if several) keeps it; the others lose it, each
    # with an audit row, so an administrator can see whom to give a new one.
    rows = bind.execute(
        sa.select(_managers.c.id, _managers.c.email)
        .where(_managers.c.email.is_not(None))
        .order_by(_managers.c.active.desc(), _managers.c.id)
    ).all()
    seen: set[str] = set()
    for manager_id, email in rows:
        key = bind.execute(sa.select(sa.func.lower(email))).scalar_one()
        if key not in seen:
            seen.add(key)
            continue
        bind.execute(
            _managers.update()
            .where(_managers.c.id == manager_id)
            .values(email=None, version=_managers.c.version + 1)
        )
        bind.execute(
            _audit.insert().values(
                at=dt.datetime.now(dt.UTC),
                actor="migration 0005",
                entity="manager",
                entity_id=str(manager_id),
                action="update",
                before={"email": email},
                after={"email": None},
            )
        )
    op.create_index("uq_managers_email_lower", "managers", [sa.text("lower(email)")], unique=True)


def downgrade() -> None:
    op.drop_index("uq_managers_email_lower", table_name="managers")
