"""Identity resolution over the store: profiles with evidence, incremental runs that equal a
full run, findings, golden fields, merged-away ids, and the identifier normaliser."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from hub.connector import ConnectorRuntime
from hub.identity.config import ResolutionConfig
from hub.identity.normalise import normalise_identifier
from hub.identity.pipeline import resolve
from hub.records import Identifier, IdentifierKind, SourceRecord
from hub.runtime import Hub
from hub.store.models import FindingRow, ProfileRow, SyncStateRow
from hub.store.profiles import find_profile_by_identifier, get_profile
from hub.store.records import upsert_records
from hub.sync.engine import sync_connector
from tests.identity.conftest import links_by_source


def replace_in_cp1252_file(path: Path, old: str, new: str) -> None:
    path.write_bytes(path.read_bytes().decode("cp1252").replace(old, new).encode("cp1252"))


async def profile_count(hub: Hub) -> int:
    async with hub.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(ProfileRow)) or 0)


async def golden_of(hub: Hub, profile_id: str) -> dict[str, Any]:
    async with hub.sessions() as session:
        profile = await session.get_one(ProfileRow, profile_id)
        return profile.golden


CONFIG = ResolutionConfig()


async def test_same_email_in_any_case_across_instances_is_one_profile(two_sources: Hub) -> None:
    counts = await resolve(two_sources.sessions, CONFIG)
    assert (counts.records, counts.profiles_created, counts.full) == (5, 4, True)
    links = await links_by_source(two_sources)
    assert links["loyalty:L1"].profile_id == links["crm:A1"].profile_id
    joined, first = sorted((links["loyalty:L1"], links["crm:A1"]), key=lambda link: link.rule)
    assert (joined.rule, first.rule) == ("email", "new_profile")
    fields = {f["field"]: f for f in joined.evidence["fields"]}
    assert fields["email"]["level"] == "same"
    assert fields["email"]["left"] == fields["email"]["right"] == "amelie.durand@example.fr"
    assert fields["first_name"]["level"] == "same"  # Amélie and Amelie, accents folded
    assert joined.decided_by == "auto"


async def test_records_without_email_get_their_own_profile(two_sources: Hub) -> None:
    await resolve(two_sources.sessions, CONFIG)
    links = await links_by_source(two_sources)
    assert links["crm:A3"].rule == links["loyalty:L2"].rule == "new_profile"
    profile_ids = [link.profile_id for link in links.values()]
    assert profile_ids.count(links["crm:A3"].profile_id) == 1
    assert profile_ids.count(links["loyalty:L2"].profile_id) == 1
    assert len(set(profile_ids)) == await profile_count(two_sources) == 4


async def test_resolving_again_changes_nothing(two_sources: Hub) -> None:
    await resolve(two_sources.sessions, CONFIG)
    links_before = {
        key: link.profile_id for key, link in (await links_by_source(two_sources)).items()
    }
    again = await resolve(two_sources.sessions, CONFIG)
    assert (again.records, again.linked, again.full) == (0, 0, False)
    full = await resolve(two_sources.sessions, CONFIG, full=True)
    assert (full.records, full.linked, full.profiles_created) == (5, 0, 0)
    assert await profile_count(two_sources) == 4
    links_after = {
        key: link.profile_id for key, link in (await links_by_source(two_sources)).items()
    }
    assert links_after == links_before


async def test_golden_fields_take_the_most_recent_value_with_record_and_alternatives(
    hub: Hub,
) -> None:
    """Recency is the source's own update time, not the order the hub stored the records in."""

    def person(source_id: str, updated_at: datetime, **fields: str) -> SourceRecord:
        email = Identifier(IdentifierKind.EMAIL, "catherine@example.fr")
        return SourceRecord("customer", source_id, dict(fields), updated_at, fields, (email,))

    async with hub.sessions.begin() as session:
        newer = person("S1", datetime(2024, 6, 1, tzinfo=UTC), first_name="Catherine", city="Lyon")
        older = person(
            "C1", datetime(2023, 1, 1, tzinfo=UTC), first_name="Cathy", phone="0612345678"
        )
        await upsert_records(session, "shop", [newer])  # stored first, but the newer version
        await upsert_records(session, "crm", [older])
    await resolve(hub.sessions, CONFIG)
    links = await links_by_source(hub)
    assert links["shop:S1"].profile_id == links["crm:C1"].profile_id
    newest, oldest = links["shop:S1"].record_id, links["crm:C1"].record_id
    golden = await golden_of(hub, links["shop:S1"].profile_id)
    assert golden["first_name"] == {
        "value": "Catherine",
        "record_id": newest,
        "source": "shop",
        "rule": "most_frequent",
        "alternatives": ["Cathy"],
    }
    assert golden["city"] == {
        "value": "Lyon",
        "record_id": newest,
        "source": "shop",
        "rule": "most_recent",
        "alternatives": [],
    }
    assert golden["phone"] == {
        "value": "0612345678",
        "record_id": oldest,
        "source": "crm",
        "rule": "most_recent",
        "alternatives": [],
    }
    assert "last_name" not in golden


async def test_a_changed_record_refreshes_the_golden_fields(hub: Hub, customers_csv: Path) -> None:
    async with ConnectorRuntime.open() as runtime:
        await sync_connector(hub.connectors["crm"], hub.sessions, runtime)
        await resolve(hub.sessions, CONFIG)
        link = (await links_by_source(hub))["crm:A1"]
        assert (await golden_of(hub, link.profile_id))["city"]["value"] == "Lyon"

        replace_in_cp1252_file(customers_csv, ";Lyon", ";Villeurbanne")
        await sync_connector(hub.connectors["crm"], hub.sessions, runtime)
    counts = await resolve(hub.sessions, CONFIG)
    assert (counts.records, counts.profiles_created, counts.profiles_refreshed) == (1, 0, 1)
    golden = await golden_of(hub, link.profile_id)
    assert golden["city"] == {
        "value": "Villeurbanne",
        "record_id": link.record_id,
        "source": "crm",
        "rule": "most_recent",
        "alternatives": [],
    }


async def test_a_new_record_is_resolved_against_the_profiles_already_there(
    two_sources: Hub,
) -> None:
    await resolve(two_sources.sessions, CONFIG)
    before = await links_by_source(two_sources)
    newcomer = SourceRecord(
        "customer",
        "W9",
        {"id": "W9"},
        datetime(2024, 9, 1, tzinfo=UTC),
        {"first_name": "Amélie", "last_name": "Durand", "country": "FR"},
        (Identifier(IdentifierKind.EMAIL, "amelie.durand+shop@example.fr"),),
    )
    async with two_sources.sessions.begin() as session:
        await upsert_records(session, "shop", [newcomer])
    counts = await resolve(two_sources.sessions, CONFIG)
    assert (counts.records, counts.full, counts.linked, counts.profiles_created) == (1, False, 1, 0)
    after = await links_by_source(two_sources)
    assert after["shop:W9"].profile_id == before["crm:A1"].profile_id
    assert after["shop:W9"].rule == "email"  # the +tag folded away
    assert {k: v.profile_id for k, v in after.items() if k != "shop:W9"} == {
        k: v.profile_id for k, v in before.items()
    }


async def test_unusable_values_become_findings_on_their_record(hub: Hub) -> None:
    record = SourceRecord(
        "customer",
        "Q1",
        {"id": "Q1"},
        datetime(2024, 1, 1, tzinfo=UTC),
        {"first_name": "Test", "last_name": "Durand", "birth_date": "31/02/1980"},
        (Identifier(IdentifierKind.EMAIL, "noemail@example.fr"),),
    )
    async with hub.sessions.begin() as session:
        await upsert_records(session, "crm", [record])
    counts = await resolve(hub.sessions, CONFIG)
    assert counts.findings >= 3
    async with hub.sessions() as session:
        findings = (await session.scalars(select(FindingRow))).all()
    by_field = {f.field: f for f in findings}
    assert by_field["birth_date"].kind == "invalid"
    assert by_field["birth_date"].value == "31/02/1980"
    assert by_field["first_name"].kind == "placeholder"
    assert {f.kind for f in findings if f.value == "noemail@example.fr"} == {"placeholder"}


async def test_get_profile_follows_merged_into_to_the_survivor(two_sources: Hub) -> None:
    await resolve(two_sources.sessions, CONFIG)
    links = await links_by_source(two_sources)
    survivor, middle, merged = (links[k].profile_id for k in ("crm:A1", "crm:A2", "crm:A3"))
    async with two_sources.sessions.begin() as session:
        (await session.get_one(ProfileRow, middle)).merged_into = survivor
        (await session.get_one(ProfileRow, merged)).merged_into = middle
    async with two_sources.sessions() as session:
        for profile_id in (survivor, middle, merged):
            found = await get_profile(session, profile_id)
            assert found is not None
            assert found.id == survivor
        by_email = await find_profile_by_identifier(session, "email", "helene.boeuf@example.fr")
        assert by_email is not None
        assert by_email.id == survivor
        assert await get_profile(session, "no-such-profile") is None


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (IdentifierKind.EMAIL, "  Amelie.Durand@Example.FR ", "amelie.durand@example.fr"),
        (IdentifierKind.EMAIL, "not-an-email", None),
        (IdentifierKind.EMAIL, "@example.fr", None),
        (IdentifierKind.EMAIL, "amelie@localhost", None),
        (IdentifierKind.EMAIL, "   ", None),
        (IdentifierKind.PHONE, "00 33 6 12 34 56 78", "+33612345678"),
        (IdentifierKind.PHONE, "+33 (6) 12-34-56-78", "+33612345678"),
        # A national number has no key without a country to read it in (the store passes the
        # record's; tests/identity/test_normalise.py covers that).
        (IdentifierKind.PHONE, "06.12.34.56.78", None),
        (IdentifierKind.PHONE, "12 34", None),
        (IdentifierKind.PHONE, "00 12 34", None),
        (IdentifierKind.LOYALTY_CARD, " FID-000123 ", "FID000123"),  # as printed or typed
    ],
)
def test_normalise_identifier(kind: IdentifierKind, raw: str, expected: str | None) -> None:
    assert normalise_identifier(kind, raw) == expected


async def test_a_process_that_resolves_again_reads_only_what_changed(
    two_sources: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hub.identity.pipeline as pipeline

    asked: list[object] = []
    real = pipeline.read_person_records

    def spy(session: Any, record_ids: Any = None) -> Any:
        asked.append(None if record_ids is None else sorted(record_ids))
        return real(session, record_ids)

    monkeypatch.setattr(pipeline, "read_person_records", spy)
    await resolve(two_sources.sessions, CONFIG)
    newcomer = SourceRecord(
        "customer",
        "W7",
        {"id": "W7"},
        datetime(2024, 9, 1, tzinfo=UTC),
        {"first_name": "Lucas", "last_name": "Bernard", "birth_date": "1990-01-02"},
        (),
    )
    async with two_sources.sessions.begin() as session:
        await upsert_records(session, "shop", [newcomer])
    counts = await resolve(two_sources.sessions, CONFIG)
    assert counts.records == 1
    assert asked[0] is None  # the first run reads everything
    assert asked[1] is not None and len(asked[1]) == 1  # the next one only the new record

    # Another process resolving meanwhile (a newer watermark) sends this one back to the store.
    async with two_sources.sessions.begin() as session:
        await upsert_records(session, "shop", [replace_record(newcomer, "W8")])
        state = await session.get_one(SyncStateRow, pipeline.WATERMARK)
        state.cursor = datetime.now(UTC).isoformat()
    await resolve(two_sources.sessions, CONFIG)
    assert asked[2] is None


def replace_record(record: SourceRecord, source_id: str) -> SourceRecord:
    return SourceRecord(
        record.entity, source_id, {"id": source_id}, record.updated_at, record.person, ()
    )
