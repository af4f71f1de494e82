"""Scheduled syncs: ``every_minutes`` in plugins.toml (else the type's ``schedule_minutes``),
and the scheduler that ``hub serve`` runs in the background."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import URL

from connectors.file_import.connector import FileImportConnector
from hub.app import create_app
from hub.config import parse_config
from hub.connector import Connector, ConnectorRuntime
from hub.errors import ConfigError
from hub.hookspecs import hookimpl
from hub.runtime import Hub
from hub.sandbox import deliver
from hub.store.models import LinkRow, SourceRecordRow, SyncRunRow
from hub.sync.scheduler import SyncScheduler, sync_intervals
from hub.testing import serve_asgi
from tests.conftest import WriteConfig, open_acme, until


def crm_table(name: str = "crm", type_name: str = "file_import", extra: str = "") -> str:
    return (
        f'[connectors.{name}]\ntype = "{type_name}"\npath = "crm.csv"\nid_column = "Code"\n{extra}'
    )


@pytest.mark.parametrize(("written", "minutes"), [("15", 15.0), ("0.5", 0.5), ("0", 0.0)])
def test_every_minutes_is_read_for_the_hub_and_kept_from_the_settings(
    written: str, minutes: float, tmp_path: Path
) -> None:
    config = parse_config(crm_table(extra=f"every_minutes = {written}\n"), tmp_path / "p.toml")
    instance = config.instances["crm"]
    assert instance.every_minutes == minutes
    assert "every_minutes" not in instance.settings
    assert parse_config(crm_table(), tmp_path / "p.toml").instances["crm"].every_minutes is None


@pytest.mark.parametrize(
    "written", ["-5", "true", '"60"', '"${EVERY}"', "[15]", "nan", "inf"], ids=str
)
def test_every_minutes_other_than_a_number_names_file_instance_and_key(
    written: str, tmp_path: Path
) -> None:
    path = tmp_path / "plugins.toml"
    with pytest.raises(ConfigError) as error:
        parse_config(crm_table(extra=f"every_minutes = {written}\n"), path, env={"EVERY": "5"})
    message = str(error.value)
    assert str(path) in message
    assert "[connectors.crm]" in message
    assert "'every_minutes'" in message


async def test_every_minutes_never_reaches_the_connector_settings(
    write_config: WriteConfig, customers_csv: Path, tmp_path: Path
) -> None:
    """file_import refuses unknown settings: the hub would not open if the key reached it."""
    hub = await Hub.open(
        write_config(crm_table(extra="every_minutes = 60\n")),
        url=URL.create("sqlite+aiosqlite", database=str(tmp_path / "unused.db")),
        upgrade=False,
    )
    try:
        settings = hub.connectors["crm"].settings
        assert "every_minutes" not in {f.name for f in dataclasses.fields(settings)}
        assert hub.config.instances["crm"].every_minutes == 60
    finally:
        await hub.close()


class HalfHourlyImport(FileImportConnector):
    """A connector type whose instances are synced every 30 minutes unless told otherwise."""

    type_name = "half_hourly_import"
    schedule_minutes = 30


class HalfHourlyPlugin:
    @staticmethod
    @hookimpl
    def hub_connector_types() -> Sequence[type[Connector[Any]]]:
        return [HalfHourlyImport]


async def test_the_interval_is_the_instance_every_minutes_else_the_type_default(
    write_config: WriteConfig, customers_csv: Path, tmp_path: Path
) -> None:
    config = write_config(
        crm_table("type-default", HalfHourlyImport.type_name)
        + crm_table("quicker", HalfHourlyImport.type_name, "every_minutes = 0.5\n")
        + crm_table("paused", HalfHourlyImport.type_name, "every_minutes = 0\n")
        + crm_table("crm", extra="every_minutes = 15\n")
        + crm_table("on-demand")
    )
    hub = await Hub.open(
        config,
        url=URL.create("sqlite+aiosqlite", database=str(tmp_path / "unused.db")),
        upgrade=False,
        extra_plugins=(HalfHourlyPlugin(),),
    )
    try:
        assert sync_intervals(hub) == {"type-default": 1800, "quicker": 30, "crm": 900}
    finally:
        await hub.close()


async def runs(hub: Hub) -> list[SyncRunRow]:
    async with hub.sessions() as session:
        return list(await session.scalars(select(SyncRunRow).order_by(SyncRunRow.id)))


async def test_the_scheduler_syncs_each_scheduled_instance_again_and_again(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    interval = 0.002  # minutes: 0.12 s
    async with (
        open_acme(db_url, write_config, monkeypatch, {"acme": interval, "acme-plain": 0}) as acme,
        ConnectorRuntime.open() as runtime,
    ):
        after_sync_calls = 0

        async def after_sync() -> None:
            nonlocal after_sync_calls
            after_sync_calls += 1

        scheduler = SyncScheduler(acme.hub, runtime, after_sync=after_sync)
        assert scheduler.intervals == {"acme": pytest.approx(interval * 60)}
        task = asyncio.create_task(scheduler.run_forever())

        async def three_synced() -> bool:
            return after_sync_calls >= 3

        try:
            await until(three_synced, "three scheduled syncs")
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        done = [run for run in await runs(acme.hub) if run.status != "running"]

    assert len(done) >= 3
    assert {(run.connector, run.status) for run in done} == {("acme", "succeeded")}
    assert done[0].counts["inserted"] == len(acme.sandbox.members)
    assert all(run.counts["inserted"] == 0 for run in done[1:])  # incremental: nothing new
    for earlier, later in itertools.pairwise(done):
        assert earlier.finished_at is not None
        gap = (later.started_at - earlier.finished_at).total_seconds()
        assert gap >= interval * 60 - 0.02, "synced again before its interval"


async def test_a_served_hub_syncs_on_schedule_and_links_what_it_synced(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with open_acme(db_url, write_config, monkeypatch, {"acme": 0.005}) as acme:
        hub = acme.hub
        members = len(acme.sandbox.members)

        async def all_linked() -> bool:
            async with hub.sessions() as session:
                return await session.scalar(select(func.count(LinkRow.record_id))) == members

        app = create_app(hub, schedules=True, webhook_poll_seconds=0.05)
        async with serve_asgi(app) as base_url, aiohttp.ClientSession() as http:
            await until(all_linked, "the scheduled sync and identity resolution")
            member = acme.sandbox.update_member("M-00001", given_name="Renamed")
            status, _ = await deliver(http, f"{base_url}/webhooks/acme", acme.delivery(member))
            assert status == 200

            async def renamed() -> bool:
                async with hub.sessions() as session:
                    record = await session.scalar(
                        select(SourceRecordRow).where(SourceRecordRow.source_id == "M-00001")
                    )
                return record is not None and record.person.get("first_name") == "Renamed"

            await until(renamed, "the webhook worker, running beside the scheduler")
        stopped_at = len(await runs(hub))
        await asyncio.sleep(0.5)  # several intervals: a leftover scheduler would sync again
        assert len(await runs(hub)) == stopped_at
        assert {run.status for run in await runs(hub)} <= {"succeeded", "running"}
