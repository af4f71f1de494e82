"""The typed per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.types import Info


@dataclass
class HubContext:
    sessions: async_sessionmaker[AsyncSession]


HubInfo = Info[HubContext, None]
