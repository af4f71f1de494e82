"""The source-record repository: upserts pages of records with their identifiers and activities.

A record is keyed by (connector instance, entity, source id). Its content hash makes an unchanged
record a no-op, and a version older than the stored one (by the source's own ``updated_at``) never
overwrites a newer one, whatever order pages or webhooks arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from hub.identity.normalise import normalise_identifier
from hub.records import SourceRecord
from hub.store.models import ActivityRow, IdentifierRow, SourceRecordRow


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0


def _is_older(incoming: datetime | None, stored: datetime | None) -> bool:
    return incoming is not None and stored is not None and incoming < stored


def _identifier_rows(record: SourceRecord) -> list[IdentifierRow]:
    rows = []
    for identifier in dict.fromkeys(record.identifiers):  # drop repeats, keep order
        rows.append(
            IdentifierRow(
                kind=identifier.kind.value,
                raw_value=identifier.value,
                normalized_value=normalise_identifier(identifier.kind, identifier.value),
            )
        )
    return rows


def _activity_rows(record: SourceRecord, record_id: int) -> list[ActivityRow]:
    return [
        ActivityRow(
            record_id=record_id,
            kind=activity.kind.value,
            source_id=activity.source_id,
            occurred_at=activity.occurred_at,
            amount_minor=activity.amount_minor,
            currency=activity.currency,
            details=dict(activity.details),
        )
        for activity in record.activities
    ]


def _apply(row: SourceRecordRow, record: SourceRecord, content_hash: str, now: datetime) -> None:
    row.payload = dict(record.payload)
    row.person = dict(record.person)
    row.content_hash = content_hash
    row.source_updated_at = record.updated_at
    row.last_seen_at = now
    row.changed_at = now


async def upsert_records(
    session: AsyncSession, connector: str, records: Sequence[SourceRecord]
) -> UpsertCounts:
    """Insert new records, update changed ones, touch unchanged ones; the caller commits."""
    counts = UpsertCounts()
    if not records:
        return counts
    now = datetime.now(UTC)
    keys = {(r.entity, r.source_id) for r in records}
    existing = {
        (row.entity, row.source_id): row
        for row in (
            await session.scalars(
                select(SourceRecordRow).where(
                    SourceRecordRow.connector == connector,
                    tuple_(SourceRecordRow.entity, SourceRecordRow.source_id).in_(keys),
                )
            )
        )
    }
    changed: list[tuple[SourceRecordRow, SourceRecord]] = []
    for record in _latest_per_key(records):
        content_hash = record.content_hash()
        row = existing.get((record.entity, record.source_id))
        if row is None:
            row = SourceRecordRow(
                connector=connector,
                entity=record.entity,
                source_id=record.source_id,
                first_seen_at=now,
            )
            _apply(row, record, content_hash, now)
            session.add(row)
            changed.append((row, record))
            counts.inserted += 1
        elif row.content_hash == content_hash:
            row.last_seen_at = now
            counts.unchanged += 1
        elif _is_older(record.updated_at, row.source_updated_at):
            row.last_seen_at = now
            counts.stale += 1
        else:
            _apply(row, record, content_hash, now)
            changed.append((row, record))
            counts.updated += 1
    await session.flush()
    await _replace_children(session, changed)
    return counts


def _latest_per_key(records: Iterable[SourceRecord]) -> list[SourceRecord]:
    """One record per key: when a page repeats a record, its newest version wins."""
    latest: dict[tuple[str, str], SourceRecord] = {}
    for record in records:
        key = (record.entity, record.source_id)
        previous = latest.get(key)
        if previous is None or not _is_older(record.updated_at, previous.updated_at):
            latest[key] = record
    return list(latest.values())


async def _replace_children(
    session: AsyncSession, changed: Sequence[tuple[SourceRecordRow, SourceRecord]]
) -> None:
    if not changed:
        return
    ids = [row.id for row, _ in changed]
    await session.execute(delete(IdentifierRow).where(IdentifierRow.record_id.in_(ids)))
    await session.execute(delete(ActivityRow).where(ActivityRow.record_id.in_(ids)))
    for row, record in changed:
        for identifier in _identifier_rows(record):
            identifier.record_id = row.id
            session.add(identifier)
        session.add_all(_activity_rows(record, row.id))
    await session.flush()
