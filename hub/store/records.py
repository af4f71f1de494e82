"""The source-record repository: upserts pages of records with their identifiers and activities.

A record is keyed by (connector instance, entity, source id). Its content hash makes an unchanged
record a no-op, and a version older than the stored one (by the source's own ``updated_at``) never
overwrites a newer one, whatever order pages or webhooks arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hub.identity.normalise import normalise_identifier
from hub.records import SourceRecord
from hub.store.json_columns import json_text
from hub.store.record_statements import (
    ActivityValues,
    IdentifierValues,
    RecordContent,
    record_statements,
)


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0


def _is_older(incoming: datetime | None, stored: datetime | None) -> bool:
    return incoming is not None and stored is not None and incoming < stored


def _content(record: SourceRecord, content_hash: str) -> RecordContent:
    return RecordContent(
        entity=record.entity,
        source_id=record.source_id,
        # The canonical text the hash was computed from, stored as it is: no second encoding.
        payload=record.canonical_payload_text,
        person=json_text(dict(record.person)),
        attributes=json_text(dict(record.attributes)),
        content_hash=content_hash,
        updated_at=record.updated_at,
    )


def _identifier_values(record: SourceRecord, record_id: int) -> list[IdentifierValues]:
    # National phone numbers are read in the record's own country, as identity resolution does.
    region = record.person.get("country")
    return [
        (
            record_id,
            identifier.kind.value,
            identifier.value,
            normalise_identifier(identifier.kind, identifier.value, region),
        )
        for identifier in dict.fromkeys(record.identifiers)  # drop repeats, keep order
    ]


def _activity_values(record: SourceRecord, record_id: int) -> list[ActivityValues]:
    return [
        (
            record_id,
            activity.kind.value,
            activity.source_id,
            activity.occurred_at,
            activity.amount_minor,
            activity.currency,
            json_text(dict(activity.details)),
        )
        for activity in record.activities
    ]


async def upsert_records(
    session: AsyncSession, connector: str, records: Sequence[SourceRecord]
) -> UpsertCounts:
    """Insert new records, update changed ones, touch unchanged ones; the caller commits.

    A page costs a few statements whatever its size (:mod:`hub.store.record_statements`): one
    read of the stored versions, then one write per table and kind of change. Identifiers and
    activities are written only for the records inserted or changed.
    """
    counts = UpsertCounts()
    if not records:
        return counts
    now = datetime.now(UTC)
    latest = _latest_per_key(records)
    statements = record_statements(await session.connection())
    # The versions read decide what is written: no other writer may change them before this
    # transaction commits, or a sync page could write an older version over a webhook's newer
    # one. PostgreSQL locks the rows read; SQLite's one writer is taken before reading.
    stored = await statements.lock_stored(connector, [(r.entity, r.source_id) for r in latest])
    new: list[tuple[SourceRecord, RecordContent]] = []
    changed: list[tuple[int, SourceRecord, RecordContent]] = []
    seen_only: list[int] = []
    for record in latest:
        content_hash = record.content_hash()
        existing = stored.get((record.entity, record.source_id))
        if existing is None:
            new.append((record, _content(record, content_hash)))
            counts.inserted += 1
        elif existing.content_hash == content_hash:
            counts.unchanged += 1
            seen_only.append(existing.record_id)
        elif _is_older(record.updated_at, existing.updated_at):
            counts.stale += 1
            seen_only.append(existing.record_id)
        else:
            changed.append((existing.record_id, record, _content(record, content_hash)))
            counts.updated += 1
    ids = await statements.insert(connector, [content for _, content in new], now)
    await statements.update([(record_id, content) for record_id, _, content in changed], now)
    await statements.touch(seen_only, now)
    # A record inserted by this page has no children yet (its id is new): only the changed
    # ones lose theirs before the new ones are written.
    await statements.delete_children([record_id for record_id, _, _ in changed])
    written = [(ids[(r.entity, r.source_id)], r) for r, _ in new]
    written += [(record_id, record) for record_id, record, _ in changed]
    await statements.insert_identifiers(
        [v for rid, r in written for v in _identifier_values(r, rid)]
    )
    await statements.insert_activities([v for rid, r in written for v in _activity_values(r, rid)])
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
