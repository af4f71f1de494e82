"""Helpers shared by the partner feed tests: a small population, hubs on a sandbox, table dumps."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

from connectors.partner_feed.sandbox import PartnerFeedSandbox
from hub.config import render_instance
from hub.connector import RetryPolicy
from hub.runtime import Hub
from hub.sandbox import Faults, Population, SandboxConfig
from hub.store.models import ActivityRow, IdentifierRow, QuarantineRow, SourceRecordRow
from tests.conftest import WriteConfig

INSTANCE = "partners"
FAST_RETRIES = RetryPolicy(attempts=6, base_delay=0.01, max_delay=0.05, timeout=2)
STORM_RETRIES = RetryPolicy(attempts=20, base_delay=0.001, max_delay=0.01, timeout=2)


@functools.cache
def population() -> Population:
    """Built once per test session: Faker's name pools are the slow part."""
    return Population(250, seed=11)


def new_sandbox(faults: Faults | None = None, **options: Any) -> PartnerFeedSandbox:
    return PartnerFeedSandbox(population(), faults=faults, **options)


PLUGINS = '[plugins]\nload = ["connectors.partner_feed"]\n'
"""Loads the plugin through plugins.toml, which stays right once it is also a built-in."""


async def open_hub(
    config: SandboxConfig,
    url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
    **settings: Any,
) -> Hub:
    """A hub with one partner_feed instance configured as the sandbox says, plus ``settings``."""
    for name, value in config.env.items():
        monkeypatch.setenv(name, value)
    path = write_config(PLUGINS + "\n" + render_instance(INSTANCE, {**config.table, **settings}))
    return await Hub.open(path, url=url)


async def stored_records(hub: Hub) -> dict[str, tuple[str, dict[str, Any]]]:
    """source_id → (content hash, person) of every stored record."""
    async with hub.sessions() as session:
        rows = await session.scalars(select(SourceRecordRow))
        return {row.source_id: (row.content_hash, dict(row.person)) for row in rows}


async def record_row(hub: Hub, source_id: str) -> SourceRecordRow:
    async with hub.sessions() as session:
        row = await session.scalar(
            select(SourceRecordRow).where(SourceRecordRow.source_id == source_id)
        )
    assert row is not None, source_id
    return row


async def identifiers_of(hub: Hub, source_id: str) -> set[tuple[str, str]]:
    async with hub.sessions() as session:
        rows = await session.execute(
            select(IdentifierRow.kind, IdentifierRow.raw_value)
            .join(SourceRecordRow, SourceRecordRow.id == IdentifierRow.record_id)
            .where(SourceRecordRow.source_id == source_id)
        )
        return {(kind, raw) for kind, raw in rows}


async def activities_of(hub: Hub, source_id: str) -> dict[str, ActivityRow]:
    """kind → activity of one record."""
    async with hub.sessions() as session:
        rows = await session.scalars(
            select(ActivityRow)
            .join(SourceRecordRow, SourceRecordRow.id == ActivityRow.record_id)
            .where(SourceRecordRow.source_id == source_id)
        )
        return {row.kind: row for row in rows}


async def quarantined(hub: Hub) -> list[tuple[str | None, str]]:
    async with hub.sessions() as session:
        rows = await session.scalars(select(QuarantineRow).order_by(QuarantineRow.id))
        return [(row.source_id, row.reason) for row in rows]
