"""The Shopify sandbox served from a child process, so the measured process only plays the client.

In the same process the sandbox would build every page's JSON on the measured event loop and its
CPU would count against the hub; a separate process stands in for a remote API (on another core,
reached over loopback TCP).
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection

from hub.sandbox import SandboxConfig

INSTANCE = "shop"
STARTUP_SECONDS = 600.0
"""Generating a large shop takes a while (about 7 s per 100,000 people on the reference box)."""


@dataclass(frozen=True)
class RemoteShop:
    base_url: str
    config: SandboxConfig
    """The ``[connectors.shop]`` table pointing at the sandbox, and the credentials it needs."""
    customers: int
    orders: int

    @property
    def api_url(self) -> str:
        return str(self.config.table["base_url"])

    @property
    def access_token(self) -> str:
        return next(v for k, v in self.config.env.items() if k.startswith("SHOPIFY_TOKEN_"))


def _serve(population_size: int, seed: int, channel: Connection) -> None:
    """The child: build the shop, serve it, report where, and stop when the parent says so."""
    from connectors.shopify.sandbox import ShopifySandbox
    from hub.sandbox import Population, serve

    async def run() -> None:
        sandbox = ShopifySandbox(Population(population_size, seed), share=1.0)
        async with serve(sandbox.create_app()) as base_url:
            config = sandbox.config(base_url, INSTANCE)
            channel.send(RemoteShop(base_url, config, len(sandbox.customers), len(sandbox.orders)))
            await asyncio.get_running_loop().run_in_executor(None, channel.recv)

    asyncio.run(run())


@contextmanager
def remote_shop(population_size: int, seed: int = 1) -> Iterator[RemoteShop]:
    """Serve ``ShopifySandbox(Population(population_size, seed), share=1.0)`` from a spawned
    process until the block ends."""
    # spawn, not fork: the child starts clean, sharing no memory or event loop with the parent.
    context = multiprocessing.get_context("spawn")
    parent_end, child_end = context.Pipe()
    process = context.Process(target=_serve, args=(population_size, seed, child_end), daemon=True)
    process.start()
    child_end.close()  # so that a child dying early is seen as end-of-file, not a long wait
    try:
        if not parent_end.poll(STARTUP_SECONDS):
            raise RuntimeError("the sandbox process did not start in time")
        shop: RemoteShop = parent_end.recv()
        yield shop
    finally:
        with suppress(OSError):  # a child that already died has closed its end
            parent_end.send("stop")
        process.join(10)
        if process.is_alive():
            process.terminate()
            process.join()
