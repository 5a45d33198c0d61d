"""manager language: the UI language a signed-in manager chose, remembered across sessions

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty for everyone: until a person picks one, the link, the browser or the deployment
    # decides.
    op.add_column("managers", sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("managers") as batch:
        batch.drop_column("language")
