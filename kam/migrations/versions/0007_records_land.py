"""records land: claim root causes from a list, products on claims and competitor notes, units

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The list a new company starts with; the head adds more (kam.activities.root_causes).
SEEDED = (
    ("picking_error", "Warehouse picking error"),
    ("transport_damage", "Transport damage"),
    ("supplier_defect", "Supplier defect"),
    ("expired_stock", "Expired stock"),
    ("documentation_error", "Documentation error"),
    ("price_error", "Price list error"),
    ("other", "Other"),
)


def _fk_column(name: str, target: str, fk_name: str, type_: sa.types.TypeEngine) -> sa.Column:
    return sa.Column(name, type_, sa.ForeignKey(target, name=fk_name), nullable=True)


def upgrade() -> None:
    causes = op.create_table(
        "claim_root_causes",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_claim_root_causes"),
        sa.UniqueConstraint("label", name="uq_claim_root_causes_label"),
    )
    op.bulk_insert(causes, [{"code": c, "label": lbl, "active": True} for c, lbl in SEEDED])
    op.add_column("products", sa.Column("unit", sa.String(16), nullable=True))
    # Inline REFERENCES: SQLite adds a column with a foreign key only that way.
    op.add_column(
        "claims",
        _fk_column("product_id", "products.id", "fk_claims_product_id_products", sa.Integer()),
        inline_references=True,
    )
    op.add_column(
        "claims",
        _fk_column(
            "root_cause_code",
            "claim_root_causes.code",
            "fk_claims_root_cause_code_claim_root_causes",
            sa.String(32),
        ),
        inline_references=True,
    )
    op.add_column(
        "competitor_notes",
        _fk_column(
            "product_id", "products.id", "fk_competitor_notes_product_id_products", sa.Integer()
        ),
        inline_references=True,
    )
    # A cause written before the list: the entry of the same wording, else "other" with the
    # text kept, so the Pareto by root cause still counts every closed claim.
    bind = op.get_bind()
    claims = sa.table(
        "claims",
        sa.column("id", sa.Integer),
        sa.column("root_cause", sa.String),
        sa.column("root_cause_code", sa.String),
    )
    by_label = {lbl.casefold(): code for code, lbl in SEEDED}
    rows = bind.execute(
        sa.select(claims.c.id, claims.c.root_cause).where(claims.c.root_cause.is_not(None))
    ).all()
    for claim_id, text in rows:
        code = by_label.get(" ".join(text.split()).casefold(), "other")
        bind.execute(
            claims.update()
            .where(claims.c.id == claim_id)
            .values(root_cause_code=code, root_cause=text if code == "other" else None)
        )


def downgrade() -> None:
    with op.batch_alter_table("competitor_notes") as batch:
        batch.drop_column("product_id")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("root_cause_code")
        batch.drop_column("product_id")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("unit")
    op.drop_table("claim_root_causes")
