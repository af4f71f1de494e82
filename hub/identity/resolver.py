"""The walking skeleton's identity step: records sharing a normalised e-mail are one person.

Every record without a profile link is linked to the profile that already holds a record with
the same normalised e-mail, or to a new profile. Golden fields are then recomputed for every
profile whose records changed. The identity-resolution work replaces this module with blocking,
scoring, guarded clustering and survivorship rules; the store tables stay the same.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.identity.survivorship import golden_fields
from hub.records import IdentifierKind
from hub.store.errors import translate_errors
from hub.store.models import IdentifierRow, LinkRow, ProfileRow, SourceRecordRow

RULE_EXACT_EMAIL = "exact_email"
RULE_NEW_PROFILE = "new_profile"
DECIDED_BY_AUTO = "auto"


@dataclass
class ResolveCounts:
    records: int = 0
    linked_to_existing: int = 0
    profiles_created: int = 0
    profiles_refreshed: int = 0


async def _unlinked_records(session: AsyncSession) -> Sequence[SourceRecordRow]:
    result = await session.scalars(
        select(SourceRecordRow)
        .outerjoin(LinkRow, LinkRow.record_id == SourceRecordRow.id)
        .where(LinkRow.record_id.is_(None))
        .order_by(SourceRecordRow.id)
    )
    return result.all()


async def _emails_of(session: AsyncSession, record_ids: Sequence[int]) -> dict[int, list[str]]:
    rows = await session.execute(
        select(IdentifierRow.record_id, IdentifierRow.normalized_value)
        .where(
            IdentifierRow.record_id.in_(record_ids),
            IdentifierRow.kind == IdentifierKind.EMAIL.value,
            IdentifierRow.normalized_value.is_not(None),
        )
        .order_by(IdentifierRow.id)
    )
    emails: dict[int, list[str]] = {}
    for record_id, value in rows:
        if value is None:  # excluded by the query; keeps the type checker informed
            continue
        emails.setdefault(record_id, []).append(value)
    return emails


async def _profiles_by_email(session: AsyncSession, emails: set[str]) -> dict[str, str]:
    if not emails:
        return {}
    rows = await session.execute(
        select(IdentifierRow.normalized_value, LinkRow.profile_id)
        .join(LinkRow, LinkRow.record_id == IdentifierRow.record_id)
        .where(
            IdentifierRow.kind == IdentifierKind.EMAIL.value,
            IdentifierRow.normalized_value.in_(emails),
        )
        .order_by(LinkRow.linked_at, LinkRow.record_id)
    )
    found: dict[str, str] = {}
    for email, profile_id in rows:
        if email is None:
            continue
        found.setdefault(email, profile_id)
    return found


async def _link_pending(session: AsyncSession, counts: ResolveCounts) -> set[str]:
    """Link unlinked records; return the ids of the profiles that gained a record."""
    records = await _unlinked_records(session)
    counts.records = len(records)
    touched: set[str] = set()
    if not records:
        return touched
    emails = await _emails_of(session, [r.id for r in records])
    known = await _profiles_by_email(session, {e for values in emails.values() for e in values})
    now = datetime.now(UTC)
    new_profiles: list[ProfileRow] = []
    links: list[LinkRow] = []
    for record in records:
        record_emails = emails.get(record.id, [])
        match = next(((e, known[e]) for e in record_emails if e in known), None)
        evidence: dict[str, Any]
        if match is None:
            profile_id = str(uuid.uuid4())
            new_profiles.append(
                ProfileRow(id=profile_id, golden={}, created_at=now, updated_at=now)
            )
            rule, evidence = RULE_NEW_PROFILE, {"reason": "no record with the same e-mail"}
            counts.profiles_created += 1
        else:
            email, profile_id = match
            rule, evidence = RULE_EXACT_EMAIL, {"fields": {"email": {"value": email}}}
            counts.linked_to_existing += 1
        touched.add(profile_id)
        for email in record_emails:
            known.setdefault(email, profile_id)
        links.append(
            LinkRow(
                record_id=record.id,
                profile_id=profile_id,
                rule=rule,
                evidence=evidence,
                decided_by=DECIDED_BY_AUTO,
                linked_at=now,
            )
        )
    # Profiles first: links refer to them, and the ORM does not order unrelated inserts.
    session.add_all(new_profiles)
    await session.flush()
    session.add_all(links)
    await session.flush()
    return touched


async def _refresh_golden(session: AsyncSession, touched: set[str], counts: ResolveCounts) -> None:
    """Recompute golden fields of ``touched`` profiles and of those whose records changed."""
    changed = await session.scalars(
        select(ProfileRow.id)
        .join(LinkRow, LinkRow.profile_id == ProfileRow.id)
        .join(SourceRecordRow, SourceRecordRow.id == LinkRow.record_id)
        .where(ProfileRow.merged_into.is_(None))
        .where(SourceRecordRow.changed_at >= ProfileRow.updated_at)
        .distinct()
    )
    profile_ids = sorted(touched | set(changed.all()))
    now = datetime.now(UTC)
    for profile_id in profile_ids:
        profile = await session.get_one(ProfileRow, profile_id)
        records = await session.scalars(
            select(SourceRecordRow)
            .join(LinkRow, LinkRow.record_id == SourceRecordRow.id)
            .where(LinkRow.profile_id == profile.id)
        )
        profile.golden = golden_fields(records.all())
        profile.updated_at = now
        counts.profiles_refreshed += 1


async def resolve_pending(
    sessions: async_sessionmaker[AsyncSession],
    progress: Callable[[ResolveCounts], None] | None = None,
) -> ResolveCounts:
    """Link every unlinked record to a profile and refresh the golden fields that changed."""
    counts = ResolveCounts()
    with translate_errors("resolving identities"):
        async with sessions.begin() as session:
            touched = await _link_pending(session, counts)
            if progress:
                progress(counts)
            await _refresh_golden(session, touched, counts)
    if progress:
        progress(counts)
    return counts
