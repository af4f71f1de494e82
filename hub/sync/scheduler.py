"""Scheduled syncs under ``hub serve``: each connector instance on its own interval.

The interval is the instance's ``every_minutes`` in plugins.toml, else its type's
``Connector.schedule_minutes``; zero or none means on demand only. Runs are serial: one
database writer at a time suits SQLite, and sources are rate-limited anyway. Each run is
followed by identity resolution, so new records reach profiles without anyone asking.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from hub.connector import ConnectorRuntime
from hub.store.errors import StoreUnavailable
from hub.sync.engine import sync_connector

if TYPE_CHECKING:
    from hub.runtime import Hub

log = logging.getLogger(__name__)


def sync_intervals(hub: Hub) -> dict[str, float]:
    """Seconds between scheduled syncs, per instance that has a schedule."""
    intervals: dict[str, float] = {}
    for name, connector in hub.connectors.items():
        instance = hub.config.instances.get(name)
        minutes = instance.every_minutes if instance is not None else None
        if minutes is None:
            minutes = connector.schedule_minutes
        if minutes:
            intervals[name] = minutes * 60
    return intervals


class SyncScheduler:
    def __init__(
        self,
        hub: Hub,
        runtime: ConnectorRuntime,
        *,
        after_sync: Callable[[], Awaitable[Any]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.hub = hub
        self.runtime = runtime
        self.after_sync = after_sync
        self.clock = clock
        self.intervals = sync_intervals(hub)

    async def run_forever(self) -> None:
        """Sync every scheduled instance once at start, then each on its interval."""
        if not self.intervals:
            return
        due = dict.fromkeys(self.intervals, self.clock())
        while True:
            name = min(due, key=due.__getitem__)
            await asyncio.sleep(max(0.0, due[name] - self.clock()))
            await self.run_one(name)
            due[name] = self.clock() + self.intervals[name]

    async def run_one(self, name: str) -> None:
        try:
            connector = self.hub.connectors[name]
            result = await sync_connector(connector, self.hub.sessions, self.runtime)
            log.info("scheduled sync of %s %s: %s", name, result.status, result.counts.as_dict())
            if result.error:
                log.warning("scheduled sync of %s: %s", name, result.error)
            if self.after_sync is not None:
                await self.after_sync()
        except StoreUnavailable as exc:  # wait for the database to come back; keep the loop
            log.error("scheduled sync of %s: %s", name, exc)
        except Exception:  # one failing run must not end the schedule of every instance
            log.exception("scheduled sync of %s: unexpected error", name)
