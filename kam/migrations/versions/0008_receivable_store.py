"""receivable store: the receivables allocation computed once per import, read by the pages

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=14, scale=2)
SUM = sa.Numeric(precision=18, scale=2)


def upgrade() -> None:
    # Created empty: the figures are read live until the next import, the demo load or
    # `python -m kam receivables-store` fills it.
    op.create_table(
        "receivable_day",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("invoices", sa.Integer(), nullable=False),
        sa.Column("invoice_max_id", sa.Integer(), nullable=False),
        sa.Column("invoice_total", SUM, nullable=False),
        sa.Column("payments", sa.Integer(), nullable=False),
        sa.Column("payment_max_id", sa.Integer(), nullable=False),
        sa.Column("payment_total", SUM, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("as_of", name=op.f("pk_receivable_day")),
    )
    op.create_table(
        "receivable_open",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("unpaid", MONEY, nullable=False),
        sa.PrimaryKeyConstraint("as_of", "invoice_id", name=op.f("pk_receivable_open")),
    )
    op.create_index("ix_receivable_open_as_of_client_id", "receivable_open", ["as_of", "client_id"])
    op.create_table(
        "receivable_balance",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("outstanding", MONEY, nullable=False),
        sa.Column("credit", MONEY, nullable=False),
        sa.PrimaryKeyConstraint("as_of", "client_id", name=op.f("pk_receivable_balance")),
    )
    op.create_table(
        "receivable_paid",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=False),
        sa.Column("paid", SUM, nullable=False),
        sa.Column("late_days", SUM, nullable=False),
        sa.PrimaryKeyConstraint(
            "as_of", "client_id", "payment_date", name=op.f("pk_receivable_paid")
        ),
    )


def downgrade() -> None:
    op.drop_table("receivable_paid")
    op.drop_table("receivable_balance")
    op.drop_index("ix_receivable_open_as_of_client_id", table_name="receivable_open")
    op.drop_table("receivable_open")
    op.drop_table("receivable_day")
