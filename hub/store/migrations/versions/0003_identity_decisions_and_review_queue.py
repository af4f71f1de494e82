"""identity decisions, review queue, findings, match model

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""

    op.create_table(
        "identity_decision",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        sa.Column("other_profile_id", sa.String(length=36), nullable=True),
        sa.Column("decided_by", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "snapshot",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("undoes_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["undoes_id"],
            ["identity_decision.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("identity_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_identity_decision_other_profile_id"), ["other_profile_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_identity_decision_profile_id"), ["profile_id"], unique=False
        )

    op.create_table(
        "match_model",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("estimated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column(
            "model",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "data_quality_finding",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["source_record.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("data_quality_finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_quality_finding_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_data_quality_finding_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "record_constraint",
        sa.Column(
            "left_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "right_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column(
            "decision_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(["decision_id"], ["identity_decision.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["left_record_id"], ["source_record.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["right_record_id"], ["source_record.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("left_record_id", "right_record_id", "kind"),
    )
    with op.batch_alter_table("record_constraint", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_constraint_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_record_constraint_right_record_id"), ["right_record_id"], unique=False
        )

    op.create_table(
        "review_item",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "left_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "right_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column(
            "evidence",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["left_record_id"], ["source_record.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["right_record_id"], ["source_record.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("left_record_id", "right_record_id", name="uq_review_pair"),
    )
    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.create_index("ix_review_item_open", ["status", "score"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_review_item_right_record_id"), ["right_record_id"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""

    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_item_right_record_id"))
        batch_op.drop_index("ix_review_item_open")

    op.drop_table("review_item")
    with op.batch_alter_table("record_constraint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_constraint_right_record_id"))
        batch_op.drop_index(batch_op.f("ix_record_constraint_decision_id"))

    op.drop_table("record_constraint")
    with op.batch_alter_table("data_quality_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_quality_finding_record_id"))
        batch_op.drop_index(batch_op.f("ix_data_quality_finding_kind"))

    op.drop_table("data_quality_finding")
    op.drop_table("match_model")
    with op.batch_alter_table("identity_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_decision_profile_id"))
        batch_op.drop_index(batch_op.f("ix_identity_decision_other_profile_id"))

    op.drop_table("identity_decision")
