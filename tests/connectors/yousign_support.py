"""Shared pieces of the Yousign tests: a small population, a hub configured against a running
sandbox, a fast-retrying runtime, and readers of what the store holds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

import connectors.yousign as yousign_plugin
from connectors.yousign.connector import YousignConnector
from connectors.yousign.sandbox import YousignSandbox
from hub.connector import ConnectorRuntime, RetryPolicy
from hub.runtime import Hub
from hub.sandbox import Population
from hub.store.models import ActivityRow, IdentifierRow, QuarantineRow, SourceRecordRow
from hub.sync.engine import SyncResult, sync_connector
from tests.conftest import WriteConfig
from tests.hub_config import open_sandbox_hub

INSTANCE = "esign"


@cache
def population(size: int = 400) -> Population:
    """Built once per size: Faker's name pools are the slow part, and nothing mutates them."""
    return Population(size, seed=7)


@asynccontextmanager
async def open_hub(
    sandbox: YousignSandbox,
    base_url: str,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
    *,
    instances: tuple[str, ...] = (INSTANCE,),
    **settings: Any,
) -> AsyncIterator[Hub]:
    """A hub whose Yousign ``instances`` (``esign`` by default) read ``sandbox`` at ``base_url``."""
    async with open_sandbox_hub(
        sandbox,
        base_url,
        yousign_plugin,
        db_url,
        write_config,
        monkeypatch,
        dict.fromkeys(instances, settings),
    ) as hub:
        yield hub


def connector_of(hub: Hub, instance: str = INSTANCE) -> YousignConnector:
    connector = hub.connectors[instance]
    assert isinstance(connector, YousignConnector)
    return connector


async def sync(
    hub: Hub, runtime: ConnectorRuntime, instance: str = INSTANCE, **options: Any
) -> SyncResult:
    """One sync run of ``instance``, as the engine runs it."""
    return await sync_connector(connector_of(hub, instance), hub.sessions, runtime, **options)


@asynccontextmanager
async def fast_runtime(
    attempts: int = 8, max_delay: float = 0.05
) -> AsyncIterator[ConnectorRuntime]:
    policy = RetryPolicy(attempts=attempts, base_delay=0.01, max_delay=max_delay, timeout=2)
    async with ConnectorRuntime.open(policy) as runtime:
        yield runtime


async def stored(hub: Hub, instance: str = INSTANCE) -> dict[str, tuple[str, str]]:
    """Signer id → (content hash, signature request id) of every record ``instance`` stored."""
    async with hub.sessions() as session:
        rows = await session.execute(
            select(
                SourceRecordRow.source_id, SourceRecordRow.content_hash, SourceRecordRow.payload
            ).where(SourceRecordRow.connector == instance)
        )
        return {sid: (digest, payload["signature_request"]["id"]) for sid, digest, payload in rows}


async def record_row(hub: Hub, signer_id: str) -> SourceRecordRow:
    async with hub.sessions() as session:
        row = await session.scalar(
            select(SourceRecordRow).where(SourceRecordRow.source_id == signer_id)
        )
    assert row is not None, f"no record for signer {signer_id}"
    return row


async def subscription_of(hub: Hub, signer_id: str) -> ActivityRow:
    row = await record_row(hub, signer_id)
    async with hub.sessions() as session:
        activity = await session.scalar(select(ActivityRow).where(ActivityRow.record_id == row.id))
    assert activity is not None
    return activity


async def identifiers_of(hub: Hub, signer_id: str) -> set[tuple[str, str]]:
    row = await record_row(hub, signer_id)
    async with hub.sessions() as session:
        found = await session.execute(
            select(IdentifierRow.kind, IdentifierRow.raw_value).where(
                IdentifierRow.record_id == row.id
            )
        )
        return {(kind, raw) for kind, raw in found}


async def quarantined(hub: Hub) -> list[QuarantineRow]:
    async with hub.sessions() as session:
        return list(await session.scalars(select(QuarantineRow).order_by(QuarantineRow.id)))


def single_signer_request(sandbox: YousignSandbox, status: str) -> str:
    """The id of a signature request in ``status`` with one signer only."""
    return next(
        rid for rid in sandbox.requests.ids(status) if len(sandbox.requests.signers[rid]) == 1
    )


def expected_signers(sandbox: YousignSandbox, statuses: set[str]) -> dict[str, str]:
    """Signer id → request id of every signer of a request in ``statuses``."""
    return {
        signer["id"]: request_id
        for request_id, request in sandbox.requests.by_id.items()
        if request["status"] in statuses
        for signer in sandbox.requests.signers[request_id]
    }


DEFAULT_STATUSES = {"ongoing", "done", "declined", "expired", "canceled"}
