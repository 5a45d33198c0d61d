"""activity version: a second data-version counter for visits, claims and competitor notes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 08:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("INSERT INTO data_version (id, version) VALUES (2, 0)")


def downgrade() -> None:
    op.execute("DELETE FROM data_version WHERE id = 2")
