"""The typed per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.types import Info

from hub.access import Viewer
from hub.connector import ConnectorRuntime
from hub.runtime import Hub
from hub.sync.jobs import SyncJobs


@dataclass
class HubContext:
    sessions: async_sessionmaker[AsyncSession]
    viewer: Viewer = field(default_factory=Viewer.local_admin)
    hub: Hub | None = None
    """The serving hub: its configuration, connectors and event bus (mutations need them)."""
    sync_jobs: SyncJobs | None = None
    connector_runtime: ConnectorRuntime | None = None


HubInfo = Info[HubContext, None]
