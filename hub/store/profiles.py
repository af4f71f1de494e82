"""Reading profiles: by id (a merged-away id resolves to the survivor), by identifier, with their
source records, identifiers and links."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
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


async def find_profile_by_identifier(
    session: AsyncSession, kind: str, normalized_value: str
) -> ProfileRow | None:
    """The profile holding a record with this identifier (the oldest link wins on a tie)."""
    with translate_errors(f"looking up a {kind} identifier"):
        profile_id = await session.scalar(
            select(LinkRow.profile_id)
            .join(IdentifierRow, IdentifierRow.record_id == LinkRow.record_id)
            .where(IdentifierRow.kind == kind, IdentifierRow.normalized_value == normalized_value)
            .order_by(LinkRow.linked_at, LinkRow.record_id)
            .limit(1)
        )
    return None if profile_id is None else await get_profile(session, profile_id)


async def linked_records(session: AsyncSession, profile_id: str) -> Sequence[LinkedRecord]:
    """The profile's source records with identifiers loaded, oldest first."""
    return await _linked(
        session, LinkRow.profile_id == profile_id, f"reading the records of profile {profile_id}"
    )


async def linked_records_by_id(
    session: AsyncSession, record_ids: Collection[int]
) -> dict[int, LinkedRecord]:
    """The linked source records of ``record_ids`` (a page's worth), with identifiers loaded."""
    if not record_ids:
        return {}
    found = await _linked(
        session, SourceRecordRow.id.in_(sorted(record_ids)), "reading source records"
    )
    return {linked.record.id: linked for linked in found}


async def _linked(
    session: AsyncSession, condition: ColumnElement[bool], what: str
) -> list[LinkedRecord]:
    with translate_errors(what):
        rows = await session.execute(
            select(SourceRecordRow, LinkRow)
            .join(LinkRow, LinkRow.record_id == SourceRecordRow.id)
            .where(condition)
            .options(selectinload(SourceRecordRow.identifiers))
            .order_by(SourceRecordRow.id)
        )
        return [LinkedRecord(record, link) for record, link in rows]
