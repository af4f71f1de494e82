"""search index: per-profile search terms for customer search

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema, then index the live profiles' golden fields."""
    op.create_table(
        "search_term",
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("term", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("profile_id", "field", "term"),
    )
    op.create_index("ix_search_term_term", "search_term", ["term", "field"], unique=False)
    # Imported here, as in 0006: at run time the hub's own term rules are the ones to apply.
    from hub.identity.search_terms import search_terms

    bind = op.get_bind()
    profile = sa.table(
        "profile",
        sa.column("id", sa.String()),
        sa.column("golden", sa.JSON()),
        sa.column("merged_into", sa.String()),
    )
    term = sa.table("search_term", sa.column("profile_id"), sa.column("field"), sa.column("term"))
    rows = bind.execute(
        sa.select(profile.c.id, profile.c.golden).where(profile.c.merged_into.is_(None))
    ).all()
    values = [
        {"profile_id": pid, "field": field, "term": text}
        for pid, golden in rows
        for field, text in {(f, t[:320]) for f, t in search_terms(golden or {})}
    ]
    if values:
        bind.execute(term.insert(), values)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_search_term_term", table_name="search_term")
    op.drop_table("search_term")
