"""Serving the hub's ASGI app on a free loopback port inside a test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from hub.sandbox.server import free_port
from hub.serving import serving


@asynccontextmanager
async def serve_asgi(app: Any, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Run ``app`` under uvicorn (lifespan included) until the block ends; yield its URL."""
    async with serving(app, host, free_port(host)) as running:
        yield running.url
