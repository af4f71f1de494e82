"""A hub wired to one sandbox: the fixture behind the conformance checks.

It serves the sandbox on a free port, writes a plugins.toml with the sandbox's own instance
table, sets the environment the table refers to, and opens a hub on a fresh SQLite file.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import select

from hub.config import render_instance
from hub.connector import Connector, ConnectorRuntime, RetryPolicy
from hub.runtime import Hub
from hub.sandbox import Faults, Population, Sandbox, serve
from hub.store.database import database_url
from hub.store.models import SourceRecordRow
from hub.sync.engine import ProgressCallback, SyncResult, sync_connector

FAST_RETRIES = RetryPolicy(attempts=12, base_delay=0.005, max_delay=0.05, timeout=5)
"""Retries that keep a faulty sandbox from slowing a test suite down."""
INSTANCE = "sandboxed"


@dataclass
class SandboxedHub:
    hub: Hub
    sandbox: Sandbox
    base_url: str
    config_path: Path
    runtime: ConnectorRuntime
    instance: str = INSTANCE

    @property
    def connector(self) -> Connector[Any]:
        return self.hub.connectors[self.instance]

    async def sync(
        self, *, full: bool = False, progress: ProgressCallback | None = None
    ) -> SyncResult:
        return await sync_connector(
            self.connector, self.hub.sessions, self.runtime, full=full, progress=progress
        )

    async def stored(self) -> set[tuple[str, str, str]]:
        """Every stored record as (entity, source id, content hash)."""
        async with self.hub.sessions() as session:
            rows = await session.execute(
                select(
                    SourceRecordRow.entity, SourceRecordRow.source_id, SourceRecordRow.content_hash
                ).where(SourceRecordRow.connector == self.instance)
            )
            return {(entity, source_id, digest) for entity, source_id, digest in rows}


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def small_pages(connector_class: type[Connector[Any]], table: dict[str, Any], size: int) -> None:
    """Ask for small pages when the settings allow it, so that a small sandbox has several."""
    names = {f.name for f in dataclasses.fields(connector_class.settings_class)}
    if "page_size" in names:
        table["page_size"] = size


@asynccontextmanager
async def open_sandboxed_hub(
    plugin: ModuleType,
    sandbox_class: type[Sandbox],
    directory: Path,
    *,
    population: Population,
    faults: Faults | None = None,
    env_override: Mapping[str, str] | None = None,
    page_size: int | None = 10,
    policy: RetryPolicy = FAST_RETRIES,
    label: str = "hub",
) -> AsyncIterator[SandboxedHub]:
    sandbox = sandbox_class(population, faults=faults)
    directory.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - a test's tmp dir, instant
    async with serve(sandbox.create_app()) as base_url:
        config = sandbox.config(base_url, INSTANCE)
        table = dict(config.table)
        if page_size is not None:
            connector_classes = {c.type_name: c for c in plugin.hub_connector_types()}
            small_pages(connector_classes[table["type"]], table, page_size)
        config_path = directory / f"{label}.toml"
        config_path.write_text(render_instance(INSTANCE, table), encoding="utf-8")
        url = database_url({"HUB_DATABASE_URL": f"sqlite:///{directory / (label + '.db')}"})
        with environment({**config.env, **(env_override or {})}):
            hub = await Hub.open(config_path, url=url, extra_plugins=(plugin,))
        try:
            async with ConnectorRuntime.open(policy) as runtime:
                yield SandboxedHub(hub, sandbox, base_url, config_path, runtime)
        finally:
            await hub.close()
