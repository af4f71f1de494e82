"""Shared pieces of the Shopify tests: a small shop, a hub configured against it, table reads."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

import connectors.shopify
from connectors.shopify.sandbox import ShopifySandbox
from hub.connector import ConnectorRuntime, RetryPolicy
from hub.runtime import Hub
from hub.sandbox import Population
from hub.store.models import ActivityRow, IdentifierRow, SourceRecordRow
from tests.conftest import WriteConfig
from tests.hub_config import served_sandbox_hub

FAST = RetryPolicy(attempts=8, base_delay=0.01, max_delay=0.05, timeout=2)
INSTANCE = "webshop"


@cache
def population(size: int = 60, seed: int = 7) -> Population:
    """Populations are immutable: tests share one instead of drawing names again."""
    return Population(size, seed)


def small_shop(size: int = 60) -> ShopifySandbox:
    return ShopifySandbox(population(size))


@dataclass
class Shop:
    """A sandbox served over HTTP and a hub whose instances read from it."""

    sandbox: ShopifySandbox
    url: str
    hub: Hub

    @property
    def connector(self) -> Any:
        return self.hub.connectors[INSTANCE]


@asynccontextmanager
async def shop_hub(
    sandbox: ShopifySandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
    instances: tuple[str, ...] = (INSTANCE,),
    **settings: Any,
) -> AsyncIterator[Shop]:
    """Serve ``sandbox`` and open a hub with one Shopify instance per name, as plugins.toml
    would configure it (``settings`` override the sandbox's own table)."""
    tables = dict.fromkeys(instances, settings)
    async with served_sandbox_hub(
        sandbox, connectors.shopify, db_url, write_config, monkeypatch, tables
    ) as (url, hub):
        yield Shop(sandbox, url, hub)


@asynccontextmanager
async def fast_runtime(policy: RetryPolicy = FAST) -> AsyncIterator[ConnectorRuntime]:
    async with ConnectorRuntime.open(policy) as runtime:
        yield runtime


async def stored_records(hub: Hub, connector: str = INSTANCE) -> dict[tuple[str, str], str]:
    """(entity, source id) → the payload of every record an instance stored, as JSON.

    Payloads rather than content hashes: the hash covers the identifiers too, which name the
    instance, and tests compare two instances' rows.
    """
    async with hub.sessions() as session:
        rows = await session.execute(
            select(
                SourceRecordRow.entity, SourceRecordRow.source_id, SourceRecordRow.payload
            ).where(SourceRecordRow.connector == connector)
        )
        return {
            (entity, source_id): json.dumps(payload, sort_keys=True)
            for entity, source_id, payload in rows
        }


async def stored_record(hub: Hub, entity: str, source_id: int | str) -> SourceRecordRow:
    async with hub.sessions() as session:
        return (
            await session.scalars(
                select(SourceRecordRow).where(
                    SourceRecordRow.entity == entity, SourceRecordRow.source_id == str(source_id)
                )
            )
        ).one()


async def identifiers_of(hub: Hub, record_id: int) -> set[tuple[str, str]]:
    async with hub.sessions() as session:
        rows = await session.execute(
            select(IdentifierRow.kind, IdentifierRow.raw_value).where(
                IdentifierRow.record_id == record_id
            )
        )
        return {(kind, value) for kind, value in rows}


async def activities_of(hub: Hub, record_id: int) -> list[ActivityRow]:
    async with hub.sessions() as session:
        rows = await session.scalars(
            select(ActivityRow).where(ActivityRow.record_id == record_id).order_by(ActivityRow.id)
        )
        return list(rows)
