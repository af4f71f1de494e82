"""Serving the hub's ASGI app on a free loopback port inside a test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn

from hub.sandbox.server import free_port


@asynccontextmanager
async def serve_asgi(app: Any, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Run ``app`` under uvicorn (lifespan included) until the block ends; yield its URL."""
    port = free_port(host)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    for _ in range(500):  # up to 10 s for uvicorn to bind
        if server.started or task.done():
            break
        await asyncio.sleep(0.02)
    if not server.started:
        await task  # re-raises what stopped it
        raise RuntimeError("uvicorn did not start")
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await task
