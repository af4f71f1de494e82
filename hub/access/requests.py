"""Who a request comes from: its API key, read from the headers or a WebSocket's init payload."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.access.keys import verify_key
from hub.access.viewer import Role, Viewer

NOBODY = Viewer(
    name="unauthenticated", role=Role.ANALYST, brands=frozenset(), permissions=frozenset()
)
"""The viewer of a WebSocket before its ``connection_init`` proves a key: may do nothing."""


class Unauthenticated(Exception):
    """No key, or a key that is unknown, wrong or revoked (the message never says which)."""


def presented_key(
    headers: Mapping[str, str], params: Mapping[str, Any] | None = None
) -> str | None:
    """The key of ``Authorization: Bearer <key>`` or ``X-Api-Key``; for a WebSocket, also of
    its ``connection_init`` payload (``{"authorization": "Bearer <key>"}``), which browsers
    use because they cannot set headers on a WebSocket."""
    candidates: list[Any] = [headers.get("authorization"), headers.get("x-api-key")]
    if params:
        lowered = {str(name).lower(): value for name, value in params.items()}
        candidates += [lowered.get("authorization"), lowered.get("x-api-key")]
    for value in candidates:
        if isinstance(value, str) and value.strip():
            scheme, _, token = value.strip().partition(" ")
            return token.strip() if scheme.lower() == "bearer" and token else value.strip()
    return None


async def authenticate(
    sessions: async_sessionmaker[AsyncSession], key: str | None, *, anonymous: bool
) -> Viewer:
    """The viewer of ``key``; without one, an admin if ``[api] anonymous`` allows it."""
    if key is None:
        if anonymous:
            return Viewer.local_admin("anonymous")
        raise Unauthenticated(
            "An API key is required: send 'Authorization: Bearer <key>' (see `hub keys create`)"
        )
    async with sessions() as session:
        viewer = await verify_key(session, key)
    if viewer is None:
        raise Unauthenticated("The API key is not valid (unknown, wrong or revoked)")
    return viewer
