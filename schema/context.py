"""The typed per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.types import Info

from hub.access import Viewer
from hub.access.api_config import ApiConfig
from hub.connector import ConnectorRuntime
from hub.runtime import Hub
from hub.sync.jobs import SyncJobs
from schema.loaders import ProfileLoaders
from schema.reads import SharedReads


@dataclass
class HubContext:
    sessions: async_sessionmaker[AsyncSession]
    viewer: Viewer = field(default_factory=Viewer.local_admin)
    api: ApiConfig = field(default_factory=ApiConfig)
    """The limits of plugins.toml's ``[api]`` table (page size…)."""
    connection_params: dict[str, Any] | None = None
    """The ``connection_init`` payload of a WebSocket, where its key may be."""
    request: Request | WebSocket | None = None
    hub: Hub | None = None
    """The serving hub: its configuration, connectors and event bus (mutations need them)."""
    sync_jobs: SyncJobs | None = None
    connector_runtime: ConnectorRuntime | None = None
    reads: SharedReads = field(init=False)
    """The one connection the operation's reads share, closed when it ends."""
    loaders: ProfileLoaders = field(init=False)
    """The request's DataLoaders of profile data: one batch per kind of row and tick."""

    def __post_init__(self) -> None:
        self.reads = SharedReads(self.sessions)
        self.loaders = ProfileLoaders(self.reads.connection)

    @classmethod
    def of_request(cls, request: Request | WebSocket, viewer: Viewer) -> HubContext:
        """The context of a request to the served app (/graphql or the console): the hub and
        the background services its lifespan put on the app's state."""
        state = request.app.state
        hub: Hub = state.hub
        return cls(
            sessions=hub.sessions,
            viewer=viewer,
            api=hub.config.api,
            request=request,
            hub=hub,
            sync_jobs=getattr(state, "sync_jobs", None),
            connector_runtime=getattr(state, "connector_runtime", None),
        )


HubInfo = Info[HubContext, None]
