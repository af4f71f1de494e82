"""The customer search index: per-profile search terms kept beside the golden record.

One row per (profile, field, term). Candidates are retrieved by an indexed prefix match on
``term`` (a plain B-tree index, so SQLite and PostgreSQL answer alike, no trigram extension),
then re-ranked in Python. The terms themselves are made by :mod:`hub.identity.search_terms`
from the matching keys identity resolution uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import ForeignKey, Index, String, delete, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from hub.store.models import Base

TERM_LENGTH = 320
PERSONAL_SEARCH_FIELDS = frozenset({"email", "phone", "postcode"})
"""Search fields whose terms are personal data: searched only by viewers who may read them."""


class SearchTermRow(Base):
    """A term a profile is found by, and the golden field it comes from."""

    __tablename__ = "search_term"
    __table_args__ = (Index("ix_search_term_term", "term", "field"),)

    profile_id: Mapped[str] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[str] = mapped_column(String(16), primary_key=True)
    term: Mapped[str] = mapped_column(String(TERM_LENGTH), primary_key=True)


async def replace_terms(
    session: AsyncSession, profile_ids: Sequence[str], terms: Mapping[str, set[tuple[str, str]]]
) -> None:
    """Replace the search terms of ``profile_ids`` by ``terms`` (profile id → (field, term));
    a profile absent from ``terms`` (merged away, say) keeps none. Core rows, not ORM objects:
    a full resolution writes several terms for each of its profiles."""
    if not profile_ids:
        return
    await session.execute(delete(SearchTermRow).where(SearchTermRow.profile_id.in_(profile_ids)))
    rows = [
        {"profile_id": profile_id, "field": field, "term": term}
        for profile_id, pairs in terms.items()
        for field, term in {(field, term[:TERM_LENGTH]) for field, term in pairs}
    ]
    if rows:
        await session.execute(insert(SearchTermRow), rows)
