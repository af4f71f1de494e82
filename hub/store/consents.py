"""Consents recorded through the hub's API, kept as activities of a hub-owned source record.

Each profile that receives such a consent gets one source record of the connector ``hub``
(entity ``consent``, source id = the profile's id), linked to the profile by the hub, never by
matching. Every recorded consent is a new ``consent`` activity of that record, so the history
stays (a later "denied" does not erase an earlier "granted") and the consent shows among the
profile's activities and in its timeline like a consent synced from any source.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.records import ActivityKind
from hub.store.models import ActivityRow, LinkRow, SourceRecordRow

HUB_CONNECTOR = "hub"
CONSENT_ENTITY = "consent"
CONSENT_STATES = ("granted", "denied", "pending", "unknown")
"""The canonical states connectors map vendor states to."""


@dataclass(frozen=True)
class ConsentEntry:
    channel: str
    purpose: str
    state: str
    source: str
    """Where the person gave it: ``web-form``, ``store-tablet``, ``call-centre``…"""
    recorded_by: str
    reason: str


async def _hub_record(session: AsyncSession, profile_id: str, now: datetime) -> SourceRecordRow:
    record = await session.scalar(
        select(SourceRecordRow).where(
            SourceRecordRow.connector == HUB_CONNECTOR,
            SourceRecordRow.entity == CONSENT_ENTITY,
            SourceRecordRow.source_id == profile_id,
        )
    )
    if record is not None:
        return record
    payload = {"profile_id": profile_id}
    record = SourceRecordRow(
        connector=HUB_CONNECTOR,
        entity=CONSENT_ENTITY,
        source_id=profile_id,
        payload=payload,
        person={},
        attributes={},
        content_hash=hashlib.sha256(profile_id.encode()).hexdigest(),
        source_updated_at=None,
        first_seen_at=now,
        last_seen_at=now,
        changed_at=now,
    )
    session.add(record)
    await session.flush()
    session.add(
        LinkRow(
            record_id=record.id,
            profile_id=profile_id,
            rule="hub_record",
            evidence={"owner": "hub", "of": "consents recorded through the API"},
            decided_by=HUB_CONNECTOR,
            linked_at=now,
        )
    )
    await session.flush()
    return record


async def add_consent(session: AsyncSession, profile_id: str, entry: ConsentEntry) -> ActivityRow:
    """Store one consent of a live profile; the caller checked the profile and commits."""
    if entry.state not in CONSENT_STATES:
        raise ValueError(f"consent state {entry.state!r}: expected {', '.join(CONSENT_STATES)}")
    now = datetime.now(UTC)
    record = await _hub_record(session, profile_id, now)
    record.last_seen_at = now
    activity = ActivityRow(
        record_id=record.id,
        kind=ActivityKind.CONSENT.value,
        source_id=f"{entry.channel}_{entry.purpose}@{now.isoformat()}",
        occurred_at=now,
        amount_minor=None,
        currency=None,
        details={
            "channel": entry.channel,
            "purpose": entry.purpose,
            "state": entry.state,
            "source": entry.source,
            "recorded_by": entry.recorded_by,
            "reason": entry.reason,
        },
    )
    session.add(activity)
    await session.flush()
    return activity
