"""Batched profile reads and profile pages over a store filled by a real sync and resolution."""

from __future__ import annotations

from rich.console import Console

from hub.commands import run_resolve, run_sync
from hub.runtime import Hub
from hub.store import profile_batches
from hub.store.profile_pages import ProfileFilter, profile_page


async def _resolved(hub: Hub) -> None:
    await run_sync(hub, (), full=False, console=Console(quiet=True))
    await run_resolve(hub, console=Console(quiet=True))


async def test_pages_filter_on_the_golden_brand_and_never_repeat(hub: Hub) -> None:
    await _resolved(hub)
    async with hub.sessions() as session:
        first = await profile_page(session, ProfileFilter(brand="maison"), 2, None)
        rest = await profile_page(session, ProfileFilter(brand="maison"), 2, first.profiles[-1].id)
        other = await profile_page(session, ProfileFilter(brand="elsewhere"), 2, None)
        by_source = await profile_page(session, ProfileFilter(source="crm"), 10, None)
    assert first.has_next and not rest.has_next
    ids = [p.id for p in first.profiles + rest.profiles]
    assert len(ids) == len(set(ids)) == 3
    assert ids == sorted(ids)
    assert other.profiles == []
    assert {p.id for p in by_source.profiles} == set(ids)
    assert {p.brand for p in first.profiles} == {"maison"}


async def test_batched_reads_group_rows_by_profile(hub: Hub) -> None:
    await _resolved(hub)
    async with hub.sessions() as session:
        page = await profile_page(session, ProfileFilter(), 10, None)
        ids = [p.id for p in page.profiles]
        records = await profile_batches.records_of(session, ids)
        identifiers = await profile_batches.identifiers_of(session, ids)
        found = await profile_batches.profiles_by_id(session, [*ids, "no-such-profile"])
    assert set(found) == set(ids)
    assert {r.source_id for rows in records.values() for r in rows} == {"A1", "A2", "A3"}
    emails = {
        i.normalized_value for rows in identifiers.values() for i in rows if i.kind == "email"
    }
    assert emails == {"amelie.durand@example.fr", "helene.boeuf@example.fr"}


async def test_each_batch_reads_only_the_profiles_asked_for(hub: Hub) -> None:
    await _resolved(hub)
    async with hub.sessions() as session:
        page = await profile_page(session, ProfileFilter(), 10, None)
        one = page.profiles[0].id
        readers = (
            profile_batches.records_of,
            profile_batches.identifiers_of,
            profile_batches.activities_of,
            profile_batches.last_activities_of,
            profile_batches.findings_of,
        )
        asked = [await read(session, [one]) for read in readers]
        async with hub.engine.connect() as connection:  # a plain connection reads the same
            through_connection = await profile_batches.records_of(connection, [one])
    assert len(page.profiles) > 1
    assert all(set(found) <= {one} for found in asked)
    assert asked[0][one] and asked[1][one]
    assert through_connection == asked[0]
