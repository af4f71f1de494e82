"""The source-record repository: upserts pages of records with their identifiers and activities.

A record is keyed by (connector instance, entity, source id). Its content hash makes an unchanged
record a no-op, and a version older than the stored one (by the source's own ``updated_at``) never
overwrites a newer one, whatever order pages or webhooks arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Executable,
    String,
    bindparam,
    delete,
    false,
    func,
    insert,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from hub.identity.normalise import normalise_identifier
from hub.records import SourceRecord
from hub.store.json_columns import SerialisedJson
from hub.store.models import ActivityRow, Base, IdentifierRow, SourceRecordRow

# Core tables for bulk inserts: per-row ORM bookkeeping is what a big import can't afford.
_RECORD_TABLE = Base.metadata.tables[SourceRecordRow.__tablename__]
_IDENTIFIER_TABLE = Base.metadata.tables[IdentifierRow.__tablename__]
_ACTIVITY_TABLE = Base.metadata.tables[ActivityRow.__tablename__]


# A write that changes nothing still makes SQLite take its write lock for the transaction.
_TAKE_SQLITE_WRITE_LOCK = update(SourceRecordRow).where(false()).values(connector="")


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0


def _is_older(incoming: datetime | None, stored: datetime | None) -> bool:
    return incoming is not None and stored is not None and incoming < stored


def _identifier_values(record: SourceRecord, record_id: int) -> list[dict[str, Any]]:
    # National phone numbers are read in the record's own country, as identity resolution does.
    region = record.person.get("country")
    return [
        {
            "record_id": record_id,
            "kind": identifier.kind.value,
            "raw_value": identifier.value,
            "normalized_value": normalise_identifier(identifier.kind, identifier.value, region),
        }
        for identifier in dict.fromkeys(record.identifiers)  # drop repeats, keep order
    ]


def _activity_values(record: SourceRecord, record_id: int) -> list[dict[str, Any]]:
    return [
        {
            "record_id": record_id,
            "kind": activity.kind.value,
            "source_id": activity.source_id,
            "occurred_at": activity.occurred_at,
            "amount_minor": activity.amount_minor,
            "currency": activity.currency,
            "details": dict(activity.details),
        }
        for activity in record.activities
    ]


def _content_values(record: SourceRecord, content_hash: str, now: datetime) -> dict[str, Any]:
    return {
        # The canonical text the hash was computed from, stored as it is: no second json.dumps.
        "payload": SerialisedJson(record.canonical_payload_text),
        "person": dict(record.person),
        "attributes": dict(record.attributes),
        "content_hash": content_hash,
        "source_updated_at": record.updated_at,
        "last_seen_at": now,
        "changed_at": now,
    }


async def upsert_records(
    session: AsyncSession, connector: str, records: Sequence[SourceRecord]
) -> UpsertCounts:
    """Insert new records, update changed ones, touch unchanged ones; the caller commits.

    Bulk statements (one per kind of change), not one ORM object per row: an import of a
    million rows must not build a million objects.
    """
    counts = UpsertCounts()
    if not records:
        return counts
    now = datetime.now(UTC)
    latest = _latest_per_key(records)
    keys = [(r.entity, r.source_id) for r in latest]
    # The versions read here decide what is written: no other writer may change them before
    # this transaction commits, or a sync page could write an older version over a webhook's
    # newer one. PostgreSQL locks the rows read; SQLite has one writer, taken before reading.
    dialect = session.get_bind().dialect.name
    if dialect != "postgresql":
        await session.execute(_TAKE_SQLITE_WRITE_LOCK)
    query = _stored_versions(connector, keys, dialect)
    stored = {
        (entity, source_id): (record_id, content_hash, updated_at)
        for record_id, entity, source_id, content_hash, updated_at in await session.execute(query)
    }
    new: list[tuple[SourceRecord, dict[str, Any]]] = []
    changed: list[tuple[int, SourceRecord, dict[str, Any]]] = []
    seen_only: list[dict[str, Any]] = []
    for record in latest:
        content_hash = record.content_hash()
        existing = stored.get((record.entity, record.source_id))
        if existing is None:
            new.append((record, _content_values(record, content_hash, now)))
            counts.inserted += 1
            continue
        record_id, stored_hash, stored_updated_at = existing
        if stored_hash == content_hash:
            counts.unchanged += 1
        elif _is_older(record.updated_at, stored_updated_at):
            counts.stale += 1
        else:
            changed.append((record_id, record, _content_values(record, content_hash, now)))
            counts.updated += 1
            continue
        seen_only.append({"id": record_id, "last_seen_at": now})
    inserted = await _insert_new(session, connector, new, now)
    if changed:
        await session.execute(
            update(SourceRecordRow), [{"id": rid, **values} for rid, _, values in changed]
        )
    if seen_only:
        await session.execute(update(SourceRecordRow), seen_only)
    replaced = [(rid, record) for rid, record, _ in changed]
    await _delete_children(session, [record_id for record_id, _ in replaced])
    await _insert_children(session, inserted + replaced)
    return counts


def _stored_versions(connector: str, keys: Sequence[tuple[str, str]], dialect: str) -> Executable:
    """Id, content hash and ``updated_at`` of the stored records among ``keys``.

    Each form probes the unique key (connector, entity, source id) once per key. A row-value
    IN list, ``(entity, source_id) IN (...)``, would not: SQLite uses only the connector part of
    the index and scans every record of the connector for each page (quadratic over a sync), and
    PostgreSQL takes ~20 ms per page to plan it.
    """
    columns = (
        SourceRecordRow.id,
        SourceRecordRow.entity,
        SourceRecordRow.source_id,
        SourceRecordRow.content_hash,
        SourceRecordRow.source_updated_at,
    )
    if dialect == "postgresql":
        return _stored_versions_postgresql(connector, keys, columns)
    by_entity: dict[str, list[str]] = {}
    for entity, source_id in keys:
        by_entity.setdefault(entity, []).append(source_id)
    # One IN list per entity (a page usually holds one), which SQLite searches in the index.
    per_entity = [
        select(*columns).where(
            SourceRecordRow.connector == connector,
            SourceRecordRow.entity == entity,
            SourceRecordRow.source_id.in_(source_ids),
        )
        for entity, source_ids in by_entity.items()
    ]
    return per_entity[0] if len(per_entity) == 1 else union_all(*per_entity)


def _stored_versions_postgresql(
    connector: str, keys: Sequence[tuple[str, str]], columns: tuple[Any, ...]
) -> Executable:
    """One unique-index probe per key, whatever the planner's statistics say.

    Statistics go stale while a first sync fills fresh tables; with a plain join or an IN list
    the planner then picks a scan of every record of the connector for each page. A LATERAL
    subquery with LIMIT 1 cannot be flattened into such a join.
    """
    wanted = (
        func.unnest(
            bindparam("entities", [entity for entity, _ in keys], type_=ARRAY(String)),
            bindparam("source_ids", [source_id for _, source_id in keys], type_=ARRAY(String)),
        )
        .table_valued("entity", "source_id")
        .render_derived()
    )
    stored = (
        select(*columns)
        .where(
            SourceRecordRow.connector == connector,
            SourceRecordRow.entity == wanted.c.entity,
            SourceRecordRow.source_id == wanted.c.source_id,
        )
        .limit(1)
        .with_for_update()
        .lateral("stored")
    )
    return select(*stored.c).select_from(wanted).join(stored, true())


async def _insert_new(
    session: AsyncSession,
    connector: str,
    new: Sequence[tuple[SourceRecord, dict[str, Any]]],
    now: datetime,
) -> list[tuple[int, SourceRecord]]:
    if not new:
        return []
    rows = [
        {
            "connector": connector,
            "entity": record.entity,
            "source_id": record.source_id,
            "first_seen_at": now,
            **values,
        }
        for record, values in new
    ]
    record_table = _RECORD_TABLE
    returned = await session.execute(
        insert(record_table).returning(
            record_table.c.id, record_table.c.entity, record_table.c.source_id
        ),
        rows,
    )
    ids = {(entity, source_id): record_id for record_id, entity, source_id in returned}
    return [(ids[(record.entity, record.source_id)], record) for record, _ in new]


def _latest_per_key(records: Iterable[SourceRecord]) -> list[SourceRecord]:
    """One record per key: when a page repeats a record, its newest version wins."""
    latest: dict[tuple[str, str], SourceRecord] = {}
    for record in records:
        key = (record.entity, record.source_id)
        previous = latest.get(key)
        if previous is None or not _is_older(record.updated_at, previous.updated_at):
            latest[key] = record
    return list(latest.values())


async def _delete_children(session: AsyncSession, record_ids: Sequence[int]) -> None:
    """Identifiers and activities of changed records, before their new ones are inserted.

    A record inserted by this page has none yet (its id is new), so it is not asked for.
    """
    if not record_ids:
        return
    await session.execute(delete(IdentifierRow).where(IdentifierRow.record_id.in_(record_ids)))
    await session.execute(delete(ActivityRow).where(ActivityRow.record_id.in_(record_ids)))


async def _insert_children(
    session: AsyncSession, written: Sequence[tuple[int, SourceRecord]]
) -> None:
    """Identifiers and activities of new and changed records, as a whole."""
    identifiers = [v for rid, record in written for v in _identifier_values(record, rid)]
    activities = [v for rid, record in written for v in _activity_values(record, rid)]
    if identifiers:
        await session.execute(insert(_IDENTIFIER_TABLE), identifiers)
    if activities:
        await session.execute(insert(_ACTIVITY_TABLE), activities)
