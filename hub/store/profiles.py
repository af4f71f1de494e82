"""Reading profiles: by id (a merged-away id resolves to the survivor), by identifier, with their
source records, identifiers and links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from hub.store.errors import translate_errors
from hub.store.models import IdentifierRow, LinkRow, ProfileRow, SourceRecordRow

_MAX_MERGE_HOPS = 64  # a merge chain longer than this means a cycle, not history


@dataclass(frozen=True)
class LinkedRecord:
    record: SourceRecordRow
    link: LinkRow


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


async def linked_records(session: AsyncSession, profile_id: str) -> Sequence[LinkedRecord]:
    """The profile's source records with identifiers loaded, oldest first."""
    with translate_errors(f"reading the records of profile {profile_id}"):
        rows = await session.execute(
            select(SourceRecordRow, LinkRow)
            .join(LinkRow, LinkRow.record_id == SourceRecordRow.id)
            .where(LinkRow.profile_id == profile_id)
            .options(selectinload(SourceRecordRow.identifiers))
            .order_by(SourceRecordRow.id)
        )
        return [LinkedRecord(record, link) for record, link in rows]
