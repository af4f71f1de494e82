"""Pages of live profiles for the customer lists: filters on indexed columns, keyset by id.

Profiles are ordered by id and a page starts after the last id of the previous one. Ids never
change and a merged-away profile only leaves the list, so a client walking the pages while
syncs insert profiles never sees one twice and never misses one that existed when it started
(a new profile shows up in a later page or not at all, depending on where its id falls).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.store.errors import translate_errors
from hub.store.models import LinkRow, ProfileRow, SourceRecordRow
from hub.store.profile_batches import ProfileFacts, profile_facts, profile_select


@dataclass(frozen=True)
class ProfileFilter:
    brand: str | None = None
    country: str | None = None
    """An alpha-2 code, as :func:`hub.identity.golden.list_columns` keeps it."""
    source: str | None = None
    """A connector instance: profiles with at least one record from it."""
    updated_since: datetime | None = None
    visible_brands: frozenset[str] | None = None
    """A viewer's brand scope: profiles with a record of one of these brands or of no brand
    (the rule of ``schema.access.sees_any_brand``); None for every profile."""


@dataclass(frozen=True)
class ProfilePage:
    profiles: list[ProfileFacts]
    has_next: bool


async def profile_page(
    session: AsyncSession, wanted: ProfileFilter, first: int, after: str | None
) -> ProfilePage:
    """Up to ``first`` live profiles matching ``wanted`` whose id sorts after ``after``."""
    statement = profile_select().where(ProfileRow.merged_into.is_(None))
    if wanted.brand is not None:
        statement = statement.where(ProfileRow.brand == wanted.brand)
    if wanted.country is not None:
        statement = statement.where(ProfileRow.country == wanted.country)
    if wanted.updated_since is not None:
        statement = statement.where(ProfileRow.updated_at >= wanted.updated_since)
    if wanted.source is not None:
        statement = statement.where(
            exists(
                select(LinkRow.record_id)
                .join(SourceRecordRow, SourceRecordRow.id == LinkRow.record_id)
                .where(LinkRow.profile_id == ProfileRow.id)
                .where(SourceRecordRow.connector == wanted.source)
            )
        )
    if wanted.visible_brands is not None:
        brand = SourceRecordRow.person["brand"].as_string()
        statement = statement.where(
            exists(
                select(LinkRow.record_id)
                .join(SourceRecordRow, SourceRecordRow.id == LinkRow.record_id)
                .where(LinkRow.profile_id == ProfileRow.id)
                .where(or_(brand.is_(None), brand.in_(sorted(wanted.visible_brands))))
            )
        )
    if after is not None:
        statement = statement.where(ProfileRow.id > after)
    # One row more than asked tells whether a next page exists, without a count.
    statement = statement.order_by(ProfileRow.id).limit(first + 1)
    with translate_errors("listing profiles"):
        rows = (await session.execute(statement)).all()
    profiles = [profile_facts(row) for row in rows[:first]]
    return ProfilePage(profiles, has_next=len(rows) > first)
