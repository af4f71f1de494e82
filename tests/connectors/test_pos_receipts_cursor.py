"""POS receipts cursor: re-runs read nothing, new exports are picked up, receipts cut by a file
boundary stay whole, and a killed run resumes to exactly the rows of an uninterrupted one."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

import connectors.pos_receipts
from connectors.pos_receipts.sandbox import PosReceiptsSandbox
from hub.runtime import Hub
from hub.sandbox import Population
from hub.store import sync_state
from hub.store.models import ActivityRow, SourceRecordRow
from hub.sync.engine import RunCounts
from tests.conftest import WriteConfig
from tests.connectors.pos_receipts_support import (
    GUEST,
    activities,
    records,
    row,
    sync,
    tills_hub,
    tills_table,
    write_export,
)


async def saved_cursor(hub: Hub, instance: str = "tills") -> dict[str, Any]:
    async with hub.sessions() as session:
        text = await sync_state.load_cursor(session, instance, "receipts")
    assert text is not None
    loaded: dict[str, Any] = json.loads(text)
    return loaded


async def test_a_rerun_reads_nothing(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    write_export(tmp_path / "exports", "a.csv", [row("1"), row("2"), row("2", 2)])
    async with tills_hub(db_url, write_config) as hub:
        first = await sync(hub)
        again = await sync(hub)
        cursor = await saved_cursor(hub)
    assert first.counts == RunCounts(fetched=2, inserted=2)
    assert (again.status, again.counts) == ("succeeded", RunCounts())
    assert cursor["batch"] == [] and len(cursor["done"]) == 1


async def test_a_new_export_is_picked_up_and_stored_ones_are_not_read_again(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    write_export(folder, "PAR01_20261123.csv", [row("1"), row("2")])
    write_export(folder, "notes.txt", ["not an export"], header="x")  # outside the pattern
    async with tills_hub(db_url, write_config) as hub:
        await sync(hub)
        write_export(folder, "PAR01_20261124.csv", [row("3", date="24/11/2026")])
        second = await sync(hub)
        third = await sync(hub)
        assert set(await records(hub)) == {
            "PAR01:2026-11-23:1",
            "PAR01:2026-11-23:2",
            "PAR01:2026-11-24:3",
        }
        assert len((await saved_cursor(hub))["done"]) == 2
    assert second.counts == RunCounts(fetched=1, inserted=1)
    assert third.counts == RunCounts()


async def test_a_receipt_cut_by_a_file_boundary_or_a_page_boundary_stays_whole(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    write_export(folder, "PAR01_20261123_01.csv", [row("1"), row("2", 1, receipt_total="39,80")])
    write_export(folder, "PAR01_20261123_02.csv", [row("2", 2, receipt_total="39,80"), row("3")])
    async with tills_hub(db_url, write_config, page_size=1) as hub:
        result = await sync(hub)
        found = await activities(hub)
    assert result.counts == RunCounts(fetched=3, inserted=3)
    assert found["PAR01:2026-11-23:2"].amount_minor == 3980
    assert len(found["PAR01:2026-11-23:2"].details["lines"]) == 2


async def test_a_receipt_completed_by_a_later_export_is_updated_whole(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    write_export(folder, "PAR01_20261123_01.csv", [row("1"), row("2", 1)])
    async with tills_hub(db_url, write_config) as hub:
        await sync(hub)
        assert (await activities(hub))["PAR01:2026-11-23:2"].amount_minor == 1990
        write_export(folder, "PAR01_20261123_02.csv", [row("2", 2, unit="5,00", total="5,00")])
        result = await sync(hub)
        found = await activities(hub)
        stored = await records(hub)
    assert result.counts == RunCounts(fetched=1, updated=1)
    assert found["PAR01:2026-11-23:2"].amount_minor == 2490
    assert [r["N° ligne"] for r in stored["PAR01:2026-11-23:2"].payload["rows"]] == ["1", "2"]


async def test_an_export_repeated_with_overlap_changes_nothing_it_already_stored(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    write_export(folder, "PAR01_1.csv", [row("1"), row("2"), row("2", 2)])
    async with tills_hub(db_url, write_config) as hub:
        await sync(hub)
        write_export(folder, "PAR01_2.csv", [row("2"), row("2", 2), row("3")])
        result = await sync(hub)
        found = await activities(hub)
    assert result.counts == RunCounts(fetched=2, inserted=1, unchanged=1)
    assert len(found["PAR01:2026-11-23:2"].details["lines"]) == 2


async def test_a_changed_export_is_read_again_and_only_changed_receipts_update(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    write_export(folder, "a.csv", [row("1"), row("2")])
    async with tills_hub(db_url, write_config) as hub:
        await sync(hub)
        write_export(folder, "a.csv", [row("1"), row("2", payment="Espèces")])
        write_export(folder, "copy-of-a.csv", [row("1"), row("2", payment="Espèces")])
        result = await sync(hub)
        found = await activities(hub)
        cursor = await saved_cursor(hub)
    assert result.counts == RunCounts(fetched=2, updated=1, unchanged=1)  # the copy: read once
    assert found["PAR01:2026-11-23:2"].details["payment"] == "Espèces"
    assert len(cursor["done"]) == 1  # the replaced version is forgotten


async def test_a_cursor_this_connector_cannot_read_starts_over_without_duplicates(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    write_export(tmp_path / "exports", "a.csv", [row("1"), row("2")])
    async with tills_hub(db_url, write_config) as hub:
        await sync(hub)
        async with hub.sessions.begin() as session:
            await sync_state.save_cursor(session, "tills", "receipts", "0123abcd:12")
        result = await sync(hub)
    assert result.counts == RunCounts(fetched=2, unchanged=2)


@asynccontextmanager
async def two_instances(db_url: URL, write_config: WriteConfig) -> AsyncIterator[Hub]:
    """``tills`` (to be killed and resumed) and ``reference`` read the same folder."""
    common = {"path": "exports", "guest_cards": [GUEST], "brand": "lumiere"}
    text = tills_table("tills", {**common, "page_size": 7}) + tills_table(
        "reference", {**common, "page_size": 50}
    )
    hub = await Hub.open(write_config(text), url=db_url, extra_plugins=(connectors.pos_receipts,))
    try:
        yield hub
    finally:
        await hub.close()


async def stored_rows(hub: Hub, instance: str) -> set[tuple[Any, ...]]:
    """What an instance stored, without ids and times of this run: comparable across instances."""
    async with hub.sessions() as session:
        query = (
            select(SourceRecordRow, ActivityRow)
            .join(ActivityRow, ActivityRow.record_id == SourceRecordRow.id)
            .where(SourceRecordRow.connector == instance)
        )
        return {
            (
                record.entity,
                record.source_id,
                record.content_hash,
                json.dumps(record.person, sort_keys=True),
                record.source_updated_at,
                activity.amount_minor,
                json.dumps(activity.details, sort_keys=True),
            )
            for record, activity in await session.execute(query)
        }


class Killed(Exception):
    pass


@pytest.mark.parametrize("kill_after", [1, 4, 9])
async def test_a_killed_run_resumes_and_ends_with_the_rows_of_an_uninterrupted_run(
    db_url: URL, write_config: WriteConfig, tmp_path: Path, kill_after: int
) -> None:
    sandbox = PosReceiptsSandbox(Population(60, seed=5), rows_per_file=9)
    sandbox.write_exports(tmp_path / "exports")
    pages = 0

    def kill(where: str, counts: RunCounts) -> None:
        nonlocal pages
        pages += 1
        if pages == kill_after:
            raise Killed(f"killed after page {pages}")

    async with two_instances(db_url, write_config) as hub:
        killed = await sync(hub, "tills", progress=kill)
        assert (killed.status, killed.error) == (
            "failed",
            f"unexpected Killed in tills: killed after page {kill_after}",
        )
        assert (await saved_cursor(hub))["groups"] == 7 * kill_after
        resumed = await sync(hub, "tills")
        reference = await sync(hub, "reference")
        assert resumed.status == reference.status == "succeeded"
        # nothing committed before the kill is read again
        assert killed.counts.fetched + resumed.counts.fetched == reference.counts.fetched
        assert resumed.counts.updated == 0
        assert await stored_rows(hub, "tills") == await stored_rows(hub, "reference")
    assert reference.counts.quarantined == 0
    assert reference.counts.inserted == len(sandbox.book.receipts) > 60


async def test_a_run_killed_before_a_new_export_arrives_finishes_its_batch_then_reads_it(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    sandbox = PosReceiptsSandbox(Population(60, seed=6), rows_per_file=9)
    sandbox.write_exports(folder)

    def kill(where: str, counts: RunCounts) -> None:
        raise Killed("killed after the first page")

    async with two_instances(db_url, write_config) as hub:
        await sync(hub, "tills", progress=kill)
        sandbox.add_day(share=0.3)  # new export files land in the folder
        resumed = await sync(hub, "tills")
        reference = await sync(hub, "reference")
        assert resumed.status == "succeeded"
        assert await stored_rows(hub, "tills") == await stored_rows(hub, "reference")
    assert reference.counts.inserted == len(sandbox.book.receipts)
