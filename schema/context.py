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


@dataclass
class HubContext:
    sessions: async_sessionmaker[AsyncSession]
    viewer: Viewer = field(default_factory=Viewer.local_admin)
    api: ApiConfig = field(default_factory=ApiConfig)
    """The limits of plugins.toml's ``[api]`` table (page size…)."""
    connection_params: dict[str, Any] | None = None
    """The ``connection_init`` payload of a WebSocket, where its key may be."""
    request: Request | WebSocket | None = None


HubInfo = Info[HubContext, None]
