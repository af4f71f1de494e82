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
from hub.sandbox import Population, serve
from hub.store.models import ActivityRow, IdentifierRow, SourceRecordRow
from tests.conftest import WriteConfig

FAST = RetryPolicy(attempts=8, base_delay=0.01, max_delay=0.05, timeout=2)
INSTANCE = "webshop"


@cache
def population(size: int = 60, seed: int = 7) -> Population:
    """Populations are immutable: tests share one instead of drawing names again."""
    return Population(size, seed)


def small_shop(size: int = 60) -> ShopifySandbox:
    return ShopifySandbox(population(size))


def plugins_toml(tables: dict[str, dict[str, Any]]) -> str:
    lines = []
    for instance, table in tables.items():
        lines.append(f"[connectors.{instance}]")
        lines.extend(f"{key} = {json.dumps(value)}" for key, value in table.items())
        lines.append("")
    return "\n".join(lines)


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
    async with serve(sandbox.create_app()) as url:
        tables = {}
        for instance in instances:
            config = sandbox.config(url, instance)
            for name, value in config.env.items():
                monkeypatch.setenv(name, value)
            tables[instance] = {**config.table, **settings}
        hub = await Hub.open(
            write_config(plugins_toml(tables)), url=db_url, extra_plugins=(connectors.shopify,)
        )
        try:
            yield Shop(sandbox, url, hub)
        finally:
            await hub.close()


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
