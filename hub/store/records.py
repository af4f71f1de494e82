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
from hub.store.record_statements import RecordContent, record_statements


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0


def _is_older(incoming: datetime | None, stored: datetime | None) -> bool:
    return incoming is not None and stored is not None and incoming < stored


@dataclass(frozen=True, slots=True)
class PreparedRecord:
    """A record with everything storing it needs that no stored version decides: its content
    hash and columns, its identifiers with their keys and its activity rows.

    Preparing is most of a page's work outside the database; the sync engine does it while
    the page before is written (:mod:`hub.sync.read_ahead`), so the two overlap.
    """

    record: SourceRecord
    content: RecordContent
    identifiers: list[tuple[str, str, str | None]]
    """kind, raw value, normalised value: :data:`~hub.store.record_statements.IdentifierValues`
    without the record id."""
    activities: list[tuple[str, str, datetime | None, int | None, str | None, str]]
    """:data:`~hub.store.record_statements.ActivityValues` without the record id."""


def prepare_records(records: Iterable[SourceRecord]) -> list[PreparedRecord]:
    """The records of a page to store, one per key (its newest version), prepared."""
    return [_prepared(record) for record in _latest_per_key(records)]


def _prepared(record: SourceRecord) -> PreparedRecord:
    content = RecordContent(
        entity=record.entity,
        source_id=record.source_id,
        # The canonical text the hash was computed from, stored as it is: no second encoding.
        payload=record.canonical_payload_text,
        person=json_text(dict(record.person)),
        attributes=json_text(dict(record.attributes)),
        content_hash=record.content_hash(),
        updated_at=record.updated_at,
    )
    # National phone numbers are read in the record's own country, as identity resolution does.
    region = record.person.get("country")
    identifiers = [
        (
            identifier.kind.value,
            identifier.value,
            normalise_identifier(identifier.kind, identifier.value, region),
        )
        for identifier in dict.fromkeys(record.identifiers)  # drop repeats, keep order
    ]
    activities = [
        (
            activity.kind.value,
            activity.source_id,
            activity.occurred_at,
            activity.amount_minor,
            activity.currency,
            json_text(dict(activity.details)),
        )
        for activity in record.activities
    ]
    return PreparedRecord(record, content, identifiers, activities)


async def upsert_records(
    session: AsyncSession, connector: str, records: Sequence[SourceRecord]
) -> UpsertCounts:
    """Insert new records, update changed ones, touch unchanged ones; the caller commits."""
    return await upsert_prepared(session, connector, prepare_records(records))


async def upsert_prepared(
    session: AsyncSession, connector: str, prepared: Sequence[PreparedRecord]
) -> UpsertCounts:
    """:func:`upsert_records` of records prepared beforehand (:func:`prepare_records`).

    A page costs a few statements whatever its size (:mod:`hub.store.record_statements`): one
    read of the stored versions, then one write per table and kind of change. Identifiers and
    activities are written only for the records inserted or changed.
    """
    counts = UpsertCounts()
    if not prepared:
        return counts
    now = datetime.now(UTC)
    statements = record_statements(await session.connection())
    # The versions read decide what is written: no other writer may change them before this
    # transaction commits, or a sync page could write an older version over a webhook's newer
    # one. PostgreSQL locks the rows read; SQLite's one writer is taken before reading.
    stored = await statements.lock_stored(
        connector, [(p.content.entity, p.content.source_id) for p in prepared]
    )
    new: list[PreparedRecord] = []
    changed: list[tuple[int, PreparedRecord]] = []
    seen_only: list[int] = []
    for item in prepared:
        content = item.content
        existing = stored.get((content.entity, content.source_id))
        if existing is None:
            new.append(item)
            counts.inserted += 1
        elif existing.content_hash == content.content_hash:
            counts.unchanged += 1
            seen_only.append(existing.record_id)
        elif _is_older(content.updated_at, existing.updated_at):
            counts.stale += 1
            seen_only.append(existing.record_id)
        else:
            changed.append((existing.record_id, item))
            counts.updated += 1
    ids = await statements.insert(connector, [item.content for item in new], now)
    await statements.update([(record_id, item.content) for record_id, item in changed], now)
    await statements.touch(seen_only, now)
    # A record inserted by this page has no children yet (its id is new): only the changed
    # ones lose theirs before the new ones are written.
    await statements.delete_children([record_id for record_id, _ in changed])
    written = [(ids[(i.content.entity, i.content.source_id)], i) for i in new] + changed
    await statements.insert_identifiers(
        [(record_id, *values) for record_id, item in written for values in item.identifiers]
    )
    await statements.insert_activities(
        [(record_id, *values) for record_id, item in written for values in item.activities]
    )
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
