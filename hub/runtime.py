"""The composed hub: configuration, plugins, connectors and database, opened once.

The CLI and the web application both start from :meth:`Hub.open`, so they load plugins, check
plugins.toml and upgrade the database in exactly the same way.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hub.config import HubConfig, build_connectors, load_config
from hub.connector import Connector
from hub.events import Cause, EventBus, resolution_events
from hub.identity.pipeline import ResolveCounts, resolve
from hub.plugins import ConnectorType, build_plugin_manager, connector_types
from hub.store import migrate
from hub.store.database import create_engine, database_url, describe, session_factory
from hub.store.errors import translate_errors


@dataclass
class Hub:
    config: HubConfig
    plugins: pluggy.PluginManager
    connector_types: dict[str, ConnectorType]
    connectors: dict[str, Connector[Any]]
    database_url: URL
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    events: EventBus = field(default_factory=EventBus)
    """Live changes, for GraphQL subscriptions: fed by every writer of profiles."""
    resolution_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    """One resolution at a time: the webhook worker, the scheduler and triggered syncs would
    link the same records."""

    @classmethod
    async def open(
        cls,
        config_path: Path | None = None,
        *,
        url: URL | None = None,
        upgrade: bool = True,
        extra_plugins: tuple[object, ...] = (),
    ) -> Hub:
        """Load plugins.toml and plugins, build connectors, open (and upgrade) the database.

        Configuration is checked before the database is touched, so a typo in plugins.toml
        fails fast and changes nothing.
        """
        config = load_config(config_path)
        plugins = build_plugin_manager(
            load=config.plugin_modules, block=config.blocked_plugins, extra=extra_plugins
        )
        types = connector_types(plugins)
        connectors = build_connectors(config, types)
        chosen_url = url or database_url()
        engine = create_engine(chosen_url)
        try:
            if upgrade:
                await migrate.upgrade(engine)
        except BaseException:
            await engine.dispose()
            raise
        return cls(config, plugins, types, connectors, chosen_url, engine, session_factory(engine))

    @property
    def database_label(self) -> str:
        return describe(self.database_url)

    async def database_status(self) -> dict[str, Any]:
        """What /health reports: reachable or not, backend, schema revision against the code's."""
        status: dict[str, Any] = {
            "backend": self.database_url.get_backend_name(),
            "expected_revision": migrate.head_revision(),
        }
        try:
            with translate_errors("checking the database"):
                async with self.engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
            revision = await migrate.current_revision(self.engine)
        except Exception as exc:
            return {**status, "status": "unavailable", "error": str(exc)}
        status["revision"] = revision
        status["status"] = "ok" if revision == status["expected_revision"] else "outdated"
        return status

    async def resolve_changes(self, cause: Cause) -> ResolveCounts:
        """Resolve what changed since the last run and tell subscribers what it changed."""
        async with self.resolution_lock:
            counts = await resolve(self.sessions, self.config.resolution)
        self.events.publish_all(resolution_events(counts, cause))
        return counts

    async def close(self) -> None:
        await self.engine.dispose()
