"""The typed per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.types import Info

from hub.access import Viewer


@dataclass
class HubContext:
    sessions: async_sessionmaker[AsyncSession]
    viewer: Viewer = field(default_factory=Viewer.local_admin)


HubInfo = Info[HubContext, None]
