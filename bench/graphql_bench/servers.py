"""The hub and the floor, each served by uvicorn from a spawned child process.

The load generator runs in the parent; a server in its own process has the CPU of a deployed
one and shares no event loop with the client. ``profile_to`` runs the child under cProfile and
writes its statistics there when it stops, to show where a request's time goes.
"""

from __future__ import annotations

import asyncio
import cProfile
import multiprocessing
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

STARTUP_SECONDS = 120.0
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


async def _serve_until_told(system: str, url: str, channel: Connection) -> None:
    from sqlalchemy.engine import make_url

    from hub.app import create_app
    from hub.runtime import Hub
    from hub.serving import serving

    from .floor_app import create_floor_app

    with tempfile.TemporaryDirectory() as scratch:
        hub = None
        if system == "graphql":
            config = Path(scratch) / "plugins.toml"
            config.write_text("# no connector: the benchmark only reads\n", encoding="utf-8")
            hub = await Hub.open(config, url=make_url(url))
            app = create_app(hub)
        else:
            app = create_floor_app(make_url(url))
        try:
            async with serving(app, HOST, _free_port()) as running:
                channel.send(running.url)
                await asyncio.get_running_loop().run_in_executor(None, channel.recv)
        finally:
            if hub is not None:
                await hub.close()


def _child(system: str, url: str, channel: Connection, profile_to: str | None) -> None:
    profiler = cProfile.Profile() if profile_to else None
    if profiler is not None:
        profiler.enable()
    asyncio.run(_serve_until_told(system, url, channel))
    if profiler is not None and profile_to:
        profiler.disable()
        profiler.dump_stats(profile_to)


@dataclass(frozen=True)
class Server:
    url: str
    """Its base URL."""
    pid: int
    """Its process, whose CPU time the load reads (:func:`.load.cpu_seconds`)."""


@contextmanager
def served(system: str, url: str, profile_to: Path | None = None) -> Iterator[Server]:
    """Serve ``system`` ("graphql": the hub's app; "floor") on the database ``url`` (rendered
    with its password) until the block ends."""
    context = multiprocessing.get_context("spawn")
    parent_end, child_end = context.Pipe()
    target = str(profile_to) if profile_to else None
    process = context.Process(
        target=_child, args=(system, url, child_end, target), daemon=True, name=system
    )
    process.start()
    child_end.close()  # a child dying early is then seen as end-of-file, not a long wait
    try:
        if not parent_end.poll(STARTUP_SECONDS):
            raise RuntimeError(f"the {system} server did not start in time")
        base_url: str = parent_end.recv()
        assert process.pid is not None  # started
        yield Server(base_url, process.pid)
    finally:
        with suppress(OSError):
            parent_end.send("stop")
        process.join(30)
        if process.is_alive():
            process.terminate()
            process.join()
