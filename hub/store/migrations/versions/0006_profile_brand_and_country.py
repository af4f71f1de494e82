"""profile brand and country columns, indexes for the customer lists

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema, then fill the new columns from the profiles' golden fields."""
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("brand", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("country", sa.String(length=2), nullable=True))
        batch_op.create_index("ix_profile_brand", ["brand", "id"], unique=False)
        batch_op.create_index("ix_profile_country", ["country", "id"], unique=False)
        batch_op.create_index("ix_profile_updated_at", ["updated_at", "id"], unique=False)
    # Imported here: a migration that reads the hub's code at import time breaks when that code
    # moves; at run time the hub is installed and its normaliser is the one the hub uses.
    from hub.identity.golden import list_columns

    bind = op.get_bind()
    profile = sa.table(
        "profile",
        sa.column("id", sa.String()),
        sa.column("golden", sa.JSON()),
        sa.column("brand", sa.String()),
        sa.column("country", sa.String()),
    )
    rows = bind.execute(sa.select(profile.c.id, profile.c.golden)).all()
    updates = [{"key": pid, **list_columns(golden or {})} for pid, golden in rows]
    if updates:
        bind.execute(
            profile.update()
            .where(profile.c.id == sa.bindparam("key"))
            .values(brand=sa.bindparam("brand"), country=sa.bindparam("country")),
            updates,
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.drop_index("ix_profile_updated_at")
        batch_op.drop_index("ix_profile_country")
        batch_op.drop_index("ix_profile_brand")
        batch_op.drop_column("country")
        batch_op.drop_column("brand")
