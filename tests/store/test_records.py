"""upsert_records: new, unchanged, updated and stale records; raw and normalised identifiers;
activities in minor units. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import String, cast, func, select

from hub.records import Activity, ActivityKind, Identifier, IdentifierKind, SourceRecord
from hub.runtime import Hub
from hub.store.errors import ConflictError, StoreError, translate_errors
from hub.store.models import ActivityRow, IdentifierRow, SourceRecordRow
from hub.store.record_statements import (
    PostgresqlRecordStatements,
    RecordStatements,
    SqliteRecordStatements,
    record_statements,
)
from hub.store.records import UpsertCounts, upsert_records

OLD = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)
NEW = datetime(2024, 3, 5, 17, 30, tzinfo=UTC)


def customer(
    source_id: str = "A1",
    *,
    city: str = "Lyon",
    email: str = " Amelie.Durand@Example.FR ",
    updated_at: datetime | None = None,
) -> SourceRecord:
    return SourceRecord(
        entity="customer",
        source_id=source_id,
        payload={"id": source_id, "city": city, "email": email},
        updated_at=updated_at,
        person={"city": city, "email": email, "country": "FR"},
        identifiers=(
            Identifier(IdentifierKind.EMAIL, email),
            Identifier(IdentifierKind.PHONE, "06 12 34 56 78"),
            Identifier(IdentifierKind.EMAIL, email),  # a repeat is stored once
        ),
    )


async def upsert(hub: Hub, records: Sequence[SourceRecord]) -> UpsertCounts:
    async with hub.sessions.begin() as session:
        return await upsert_records(session, "crm", records)


async def stored(hub: Hub, source_id: str = "A1") -> SourceRecordRow:
    async with hub.sessions() as session:
        result = await session.scalars(
            select(SourceRecordRow).where(SourceRecordRow.source_id == source_id)
        )
        return result.one()


async def identifiers(hub: Hub, record_id: int) -> list[tuple[str, str, str | None]]:
    async with hub.sessions() as session:
        rows = await session.execute(
            select(IdentifierRow.kind, IdentifierRow.raw_value, IdentifierRow.normalized_value)
            .where(IdentifierRow.record_id == record_id)
            .order_by(IdentifierRow.id)
        )
        return [(kind, raw, normalised) for kind, raw, normalised in rows]


async def record_count(hub: Hub) -> int:
    async with hub.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(SourceRecordRow)) or 0)


async def test_new_records_are_inserted(hub: Hub) -> None:
    counts = await upsert(hub, [customer("A1"), customer("A2", email="helene@example.fr")])
    assert counts == UpsertCounts(inserted=2)
    row = await stored(hub, "A2")
    assert (row.connector, row.entity, row.payload["email"]) == (
        "crm",
        "customer",
        "helene@example.fr",
    )
    assert row.content_hash == customer("A2", email="helene@example.fr").content_hash()
    assert row.first_seen_at == row.last_seen_at == row.changed_at
    assert row.first_seen_at.tzinfo is not None


async def test_identifiers_are_stored_raw_with_the_normalised_value_beside(hub: Hub) -> None:
    await upsert(hub, [customer("A1")])
    row = await stored(hub)
    assert await identifiers(hub, row.id) == [
        ("email", " Amelie.Durand@Example.FR ", "amelie.durand@example.fr"),
        ("phone", "06 12 34 56 78", "+33612345678"),
    ]
    assert row.person["email"] == " Amelie.Durand@Example.FR "  # person fields stay raw too


@pytest.mark.parametrize(
    ("country", "phone", "expected"),
    [
        ("Deutschland", "0170 1234567", "+491701234567"),  # read in the record's country
        (None, "0170 1234567", None),  # national, and no country to read it in
        (None, "+49 170 1234567", "+491701234567"),  # international needs none
    ],
)
async def test_phones_are_normalised_in_the_records_country(
    hub: Hub, country: str | None, phone: str, expected: str | None
) -> None:
    person = {"country": country} if country else {}
    record = SourceRecord(
        entity="customer",
        source_id="D1",
        payload={"id": "D1", **person},
        person=person,
        identifiers=(Identifier(IdentifierKind.PHONE, phone),),
    )
    await upsert(hub, [record])
    row = await stored(hub, "D1")
    assert await identifiers(hub, row.id) == [("phone", phone, expected)]


async def test_same_payload_again_is_unchanged(hub: Hub) -> None:
    await upsert(hub, [customer("A1")])
    before = await stored(hub)
    counts = await upsert(hub, [customer("A1")])
    assert counts == UpsertCounts(unchanged=1)
    after = await stored(hub)
    assert await record_count(hub) == 1
    assert after.id == before.id
    assert after.content_hash == before.content_hash
    assert after.changed_at == before.changed_at
    assert after.last_seen_at > before.last_seen_at
    assert len(await identifiers(hub, after.id)) == 2


async def test_changed_payload_updates_and_replaces_identifiers(hub: Hub) -> None:
    await upsert(hub, [customer("A1")])
    before = await stored(hub)
    counts = await upsert(hub, [customer("A1", city="Paris", email="amelie@new.example")])
    assert counts == UpsertCounts(updated=1)
    after = await stored(hub)
    assert after.id == before.id
    assert after.first_seen_at == before.first_seen_at
    assert after.changed_at > before.changed_at
    assert after.content_hash != before.content_hash
    assert after.payload["city"] == after.person["city"] == "Paris"
    assert await identifiers(hub, after.id) == [
        ("email", "amelie@new.example", "amelie@new.example"),
        ("phone", "06 12 34 56 78", "+33612345678"),
    ]


@pytest.mark.parametrize(
    ("arrival", "second_counts"),
    [
        pytest.param((NEW, OLD), UpsertCounts(stale=1), id="newer-first"),
        pytest.param((OLD, NEW), UpsertCounts(updated=1), id="older-first"),
    ],
)
async def test_an_older_version_never_overwrites_a_newer_one(
    hub: Hub, arrival: tuple[datetime, datetime], second_counts: UpsertCounts
) -> None:
    versions = {
        OLD: customer("A1", city="Lyon", updated_at=OLD),
        NEW: customer("A1", city="Paris", updated_at=NEW),
    }
    first, second = arrival
    assert await upsert(hub, [versions[first]]) == UpsertCounts(inserted=1)
    assert await upsert(hub, [versions[second]]) == second_counts
    row = await stored(hub)
    assert row.payload["city"] == "Paris"
    assert row.source_updated_at == NEW
    assert row.content_hash == versions[NEW].content_hash()


async def test_a_stale_version_leaves_identifiers_alone(hub: Hub) -> None:
    await upsert(hub, [customer("A1", email="new@example.fr", updated_at=NEW)])
    await upsert(hub, [customer("A1", email="old@example.fr", updated_at=OLD)])
    row = await stored(hub)
    emails = [raw for kind, raw, _ in await identifiers(hub, row.id) if kind == "email"]
    assert emails == ["new@example.fr"]


@pytest.mark.parametrize("newest_last", [True, False], ids=["newest-last", "newest-first"])
async def test_a_page_repeating_a_source_id_keeps_the_newest(hub: Hub, newest_last: bool) -> None:
    page = [
        customer("A1", city="Lyon", updated_at=OLD),
        customer("A1", city="Paris", updated_at=NEW),
    ]
    if not newest_last:
        page.reverse()
    counts = await upsert(hub, [*page, customer("A2", email="helene@example.fr")])
    assert counts == UpsertCounts(inserted=2)
    assert await record_count(hub) == 2
    assert (await stored(hub)).payload["city"] == "Paris"


async def test_one_page_counts_each_outcome(hub: Hub) -> None:
    await upsert(hub, [customer("A1"), customer("A2", updated_at=NEW), customer("A3")])
    counts = await upsert(
        hub,
        [
            customer("A1"),  # unchanged
            customer("A2", city="Nice", updated_at=OLD),  # stale
            customer("A3", city="Nantes"),  # updated
            customer("A4"),  # inserted
        ],
    )
    assert counts == UpsertCounts(inserted=1, updated=1, unchanged=1, stale=1)


async def test_activities_are_stored_with_amounts_in_minor_units(hub: Hub) -> None:
    ordered_at = datetime(2024, 2, 1, 12, 0, tzinfo=UTC)
    order = Activity(
        ActivityKind.ORDER,
        "O-77",
        ordered_at,
        amount_minor=1999,
        currency="EUR",
        details={"items": 2},
    )
    record = SourceRecord("customer", "A1", {"id": "A1", "orders": ["O-77"]}, activities=(order,))
    await upsert(hub, [record])
    row = await stored(hub)
    async with hub.sessions() as session:
        [activity] = (await session.scalars(select(ActivityRow))).all()
    assert activity.record_id == row.id
    assert (activity.kind, activity.source_id) == ("order", "O-77")
    assert activity.amount_minor == 1999
    assert isinstance(activity.amount_minor, int)
    assert activity.currency == "EUR"
    assert activity.occurred_at == ordered_at
    assert activity.details == {"items": 2}

    refund = Activity(ActivityKind.ORDER, "O-78", ordered_at, amount_minor=-500, currency="EUR")
    changed = SourceRecord("customer", "A1", {"id": "A1", "orders": ["O-78"]}, activities=(refund,))
    await upsert(hub, [changed])
    async with hub.sessions() as session:
        rows = (
            await session.execute(select(ActivityRow.source_id, ActivityRow.amount_minor))
        ).all()
    assert [tuple(r) for r in rows] == [("O-78", -500)]


async def test_a_newer_version_written_meanwhile_is_not_overwritten_by_an_older_one(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync page read the stored versions; before it writes, a webhook brings a newer
    version. Whatever the interleaving, the newer version is what stays stored."""
    statements: type[RecordStatements] = {
        "sqlite": SqliteRecordStatements,
        "postgresql": PostgresqlRecordStatements,
    }[hub.engine.dialect.name]

    def version(value: str, hour: int) -> SourceRecord:
        return SourceRecord("customer", "C1", {"v": value}, datetime(2024, 1, 1, hour, tzinfo=UTC))

    async with hub.sessions.begin() as session:
        await upsert_records(session, "shop", [version("first", 1)])
    older_has_read = asyncio.Event()
    lock_stored = statements.lock_stored

    async def pause_after_the_first_read(self: RecordStatements, *args: Any) -> Any:
        stored = await lock_stored(self, *args)
        if not older_has_read.is_set():
            older_has_read.set()
            await asyncio.sleep(0.3)  # the webhook arrives now
        return stored

    monkeypatch.setattr(statements, "lock_stored", pause_after_the_first_read)

    async def older_page() -> UpsertCounts:
        async with hub.sessions.begin() as session:
            return await upsert_records(session, "shop", [version("older", 2)])

    async def newer_webhook() -> UpsertCounts:
        await older_has_read.wait()
        async with hub.sessions.begin() as session:
            return await upsert_records(session, "shop", [version("newer", 3)])

    older, newer = await asyncio.gather(older_page(), newer_webhook())

    async with hub.sessions() as session:
        stored = (await session.scalars(select(SourceRecordRow))).one()
    assert stored.payload == {"v": "newer"}
    assert (older.updated, newer.updated) == (1, 1)  # the older page wrote first, then lost


async def test_a_page_of_two_entities_finds_the_stored_versions_of_both(hub: Hub) -> None:
    order = SourceRecord("order", "A1", {"id": "A1", "total": "9.90"})  # same id, other entity
    assert await upsert(hub, [customer("A1"), order]) == UpsertCounts(inserted=2)
    changed = SourceRecord("order", "A1", {"id": "A1", "total": "19.90"})
    assert await upsert(hub, [customer("A1"), changed, customer("A2")]) == UpsertCounts(
        inserted=1, updated=1, unchanged=1
    )
    assert await record_count(hub) == 3


async def test_the_payload_is_stored_as_the_canonical_json_its_hash_was_computed_from(
    hub: Hub,
) -> None:
    record = customer("A1", city="Orléans")
    await upsert(hub, [record])
    async with hub.sessions() as session:
        as_json = await session.scalar(
            select(cast(SourceRecordRow.payload, String)).where(SourceRecordRow.source_id == "A1")
        )
    assert json.loads(as_json or "") == record.payload  # a JSON object, not a JSON string
    row = await stored(hub)
    assert row.payload == {"id": "A1", "city": "Orléans", "email": " Amelie.Durand@Example.FR "}
    assert row.content_hash == record.content_hash()


async def identifier_ids(hub: Hub) -> list[int]:
    async with hub.sessions() as session:
        return list(await session.scalars(select(IdentifierRow.id).order_by(IdentifierRow.id)))


async def test_a_page_of_only_unchanged_records_rewrites_no_identifier(hub: Hub) -> None:
    page = [customer(f"A{n}", email=f"client{n}@example.fr") for n in range(5)]
    await upsert(hub, page)
    before, identifiers_before = await stored(hub, "A3"), await identifier_ids(hub)
    assert await upsert(hub, page) == UpsertCounts(unchanged=5)
    after = await stored(hub, "A3")
    assert await identifier_ids(hub) == identifiers_before  # not deleted and inserted again
    assert (after.changed_at, after.content_hash) == (before.changed_at, before.content_hash)
    assert after.last_seen_at > before.last_seen_at


async def test_a_page_repeating_a_stored_source_id_updates_it_once_to_the_newest(hub: Hub) -> None:
    await upsert(hub, [customer("A1", city="Lyon", updated_at=OLD)])
    page = [
        customer("A1", city="Paris", updated_at=NEW),
        customer("A1", city="Nice", updated_at=OLD),
    ]
    assert await upsert(hub, page) == UpsertCounts(updated=1)
    row = await stored(hub)
    assert (row.payload["city"], row.source_updated_at) == ("Paris", NEW)
    assert len(await identifiers(hub, row.id)) == 2


async def test_a_page_larger_than_one_statement_holds_is_stored_whole(hub: Hub) -> None:
    """SQLite takes at most so many values a statement: a big page is written in parts."""
    size = 1_201
    await upsert(hub, [customer(f"B{n}", email=f"b{n}@example.fr") for n in range(size)])
    again = [
        customer(f"B{n}", email=f"b{n}@example.fr", city="Paris" if n % 3 == 0 else "Lyon")
        for n in range(size + 2)
    ]
    assert await upsert(hub, again) == UpsertCounts(inserted=2, updated=401, unchanged=800)
    assert await record_count(hub) == size + 2
    assert len(await identifier_ids(hub)) == 2 * (size + 2)
    assert (await stored(hub, "B1200")).payload["city"] == "Paris"


async def test_a_value_json_cannot_hold_is_refused_as_a_store_error(hub: Hub) -> None:
    odd = Activity(ActivityKind.EVENT, "E1", details={"tags": {"a", "b"}})
    record = SourceRecord("customer", "A1", {"id": "A1"}, activities=(odd,))
    with (
        pytest.raises(StoreError, match="saving: a value JSON cannot hold"),
        translate_errors("saving"),
    ):
        await upsert(hub, [record])
    assert await record_count(hub) == 0


async def test_a_statement_the_database_refuses_is_a_store_error_on_both_paths(hub: Hub) -> None:
    """SQLite's statements go to aiosqlite itself, PostgreSQL's through SQLAlchemy: a refusal
    reads the same either way (here, identifiers of a record that does not exist)."""
    with pytest.raises(ConflictError, match="saving: "), translate_errors("saving"):
        async with hub.sessions.begin() as session:
            statements = record_statements(await session.connection())
            await statements.insert_identifiers([(999, "email", "a@example.fr", "a@example.fr")])
