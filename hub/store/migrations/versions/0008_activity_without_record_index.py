"""activity without its record_id index, which the unique key already covers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Every activity row kept up three B-trees: the table, ``uq_activity`` (record_id, kind,
source_id) and ``ix_activity_record_id`` (record_id). The unique key starts with record_id, so
it serves every read and delete by record (and the cascade from ``source_record``) on both
backends; the second index only cost writes.
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_record_id")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index("ix_activity_record_id", ["record_id"], unique=False)
