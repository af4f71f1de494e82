"""Shared pieces of the Square tests: a hub reading from a served sandbox, store snapshots."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

import connectors.square
from connectors.square.connector import SquareConnector
from connectors.square.sandbox import SquareSandbox
from hub.connector import ConnectorRuntime, RetryPolicy
from hub.runtime import Hub
from hub.sandbox import Faults, Population
from hub.store.models import IdentifierRow, QuarantineRow, SourceRecordRow
from tests.conftest import WriteConfig
from tests.hub_config import served_sandbox_hub

FAST = RetryPolicy(attempts=6, base_delay=0.01, max_delay=0.05, timeout=2)
PATIENT = RetryPolicy(attempts=15, base_delay=0.001, max_delay=0.01, timeout=2)


@lru_cache(maxsize=4)
def population(size: int, seed: int) -> Population:
    """Populations are read-only and slow-ish to draw (Faker pools): shared between tests."""
    return Population(size, seed=seed)


def small_sandbox(size: int = 120, seed: int = 7, faults: Faults | None = None) -> SquareSandbox:
    return SquareSandbox(population(size, seed), faults=faults)


@dataclass
class SquareHub:
    hub: Hub
    sandbox: SquareSandbox
    url: str

    def connector(self, name: str = "tills") -> SquareConnector:
        connector = self.hub.connectors[name]
        assert isinstance(connector, SquareConnector)
        return connector


@asynccontextmanager
async def square_hub(
    sandbox: SquareSandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
    instances: tuple[str, ...] = ("tills",),
    **settings: Any,
) -> AsyncIterator[SquareHub]:
    """Serve ``sandbox`` and open a hub whose instances read from it (small pages)."""
    settings.setdefault("page_size", 10)
    tables = dict.fromkeys(instances, settings)
    async with served_sandbox_hub(
        sandbox, connectors.square, db_url, write_config, monkeypatch, tables
    ) as (url, hub):
        yield SquareHub(hub, sandbox, url)


@asynccontextmanager
async def runtime(policy: RetryPolicy = FAST) -> AsyncIterator[ConnectorRuntime]:
    async with ConnectorRuntime.open(policy) as opened:
        yield opened


async def stored_records(hub: Hub, connector: str) -> dict[tuple[str, str], SourceRecordRow]:
    async with hub.sessions() as session:
        rows = await session.scalars(
            select(SourceRecordRow).where(SourceRecordRow.connector == connector)
        )
        return {(row.entity, row.source_id): row for row in rows}


async def identifiers_of(hub: Hub, record_id: int) -> set[tuple[str, str]]:
    async with hub.sessions() as session:
        rows = await session.scalars(
            select(IdentifierRow).where(IdentifierRow.record_id == record_id)
        )
        return {(row.kind, row.raw_value) for row in rows}


async def quarantined(hub: Hub, connector: str) -> list[QuarantineRow]:
    async with hub.sessions() as session:
        rows = await session.scalars(
            select(QuarantineRow)
            .where(QuarantineRow.connector == connector)
            .order_by(QuarantineRow.id)
        )
        return list(rows)


def expected_counts(sandbox: SquareSandbox) -> dict[str, int]:
    return {
        "customer": len(sandbox.customers),
        "order": len(sandbox.orders),
        "loyalty_account": len(sandbox.loyalty_accounts),
    }


def entity_counts(records: dict[tuple[str, str], SourceRecordRow]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entity, _ in records:
        counts[entity] = counts.get(entity, 0) + 1
    return counts
