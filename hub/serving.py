"""Serving the ASGI app with uvicorn inside an event loop that has other work to do.

The demo runs its sandboxes in the same loop as the hub, and tests serve the hub next to their
sandboxes, so neither can hand the process over to ``uvicorn.run``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

import uvicorn


class _Server(uvicorn.Server):
    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        # Ctrl+C asks this server to stop; uvicorn would raise the signal again once stopped,
        # which ends the surrounding program with a KeyboardInterrupt traceback.
        self._captured_signals.clear()


@dataclass(frozen=True)
class Running:
    server: uvicorn.Server
    task: asyncio.Task[None]
    url: str


@asynccontextmanager
async def serving(
    app: Any, host: str, port: int, *, log_level: str = "warning"
) -> AsyncIterator[Running]:
    """Serve ``app`` until the block ends (or the server stops, e.g. on Ctrl+C)."""
    server = _Server(uvicorn.Config(app, host=host, port=port, log_level=log_level))
    task = asyncio.create_task(server.serve())
    # uvicorn offers no "started" event to wait on, only the flag.
    for _ in range(500):  # up to 10 s to bind
        if server.started or task.done():
            break
        await asyncio.sleep(0.02)
    if not server.started:
        await task  # re-raises what stopped it
        raise RuntimeError(f"the server did not start on {host}:{port}")
    try:
        yield Running(server, task, f"http://{host}:{port}")
    finally:
        server.should_exit = True
        await task
