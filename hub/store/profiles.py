"""Reading profiles: by id (a merged-away id resolves to the survivor) and by identifier. What
hangs off them (records, identifiers, activities) is read in batches by
:mod:`hub.store.profile_batches`."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.store.errors import translate_errors
from hub.store.models import IdentifierRow, LinkRow, ProfileRow
from hub.store.profile_batches import (
    ProfileFacts,
    Reader,
    profile_facts,
    profile_select,
    profiles_by_id,
)

_MAX_MERGE_HOPS = 64  # a merge chain longer than this means a cycle, not history


async def get_profile(session: AsyncSession, profile_id: str) -> ProfileRow | None:
    """The live profile for ``profile_id``, following merges to the surviving profile."""
    with translate_errors(f"reading profile {profile_id}"):
        profile = await session.get(ProfileRow, profile_id)
        hops = 0
        while profile is not None and profile.merged_into is not None and hops < _MAX_MERGE_HOPS:
            profile = await session.get(ProfileRow, profile.merged_into)
            hops += 1
        return profile


async def profile_id_by_identifier(
    session: AsyncSession, kind: str, normalized_value: str
) -> str | None:
    """The id of the profile holding a record with this identifier (the oldest link wins on a
    tie); it may be merged away since: read it with a function that follows merges."""
    with translate_errors(f"looking up a {kind} identifier"):
        return await session.scalar(
            select(LinkRow.profile_id)
            .join(IdentifierRow, IdentifierRow.record_id == LinkRow.record_id)
            .where(IdentifierRow.kind == kind, IdentifierRow.normalized_value == normalized_value)
            .order_by(LinkRow.linked_at, LinkRow.record_id)
            .limit(1)
        )


async def find_profile_by_identifier(
    session: AsyncSession, kind: str, normalized_value: str
) -> ProfileRow | None:
    """The live profile holding a record with this identifier (the oldest link wins on a tie)."""
    profile_id = await profile_id_by_identifier(session, kind, normalized_value)
    return None if profile_id is None else await get_profile(session, profile_id)


_PROFILE_BY_IDENTIFIER = (
    profile_select()
    .join(LinkRow, LinkRow.profile_id == ProfileRow.id)
    .join(IdentifierRow, IdentifierRow.record_id == LinkRow.record_id)
    .where(
        IdentifierRow.kind == bindparam("kind"),
        IdentifierRow.normalized_value == bindparam("value"),
    )
    .order_by(LinkRow.linked_at, LinkRow.record_id)
    .limit(1)
)
"""Built once: a customer lookup is the hottest read there is (see :mod:`.profile_batches`)."""


async def profile_facts_by_identifier(
    session: Reader, kind: str, normalized_value: str
) -> ProfileFacts | None:
    """The live profile holding a record with this identifier (the oldest link wins on a tie),
    read with its link in one statement; a profile merged away since takes more, to follow it."""
    with translate_errors(f"looking up a {kind} identifier"):
        rows = await session.execute(
            _PROFILE_BY_IDENTIFIER, {"kind": kind, "value": normalized_value}
        )
        row = rows.first()
    if row is None:
        return None
    found = profile_facts(row)
    if found.merged_into is None:
        return found
    return (await profiles_by_id(session, [found.id])).get(found.id)
