"""The sandbox contract and a runner that serves one on a free local port."""

from __future__ import annotations

import socket
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

import aiohttp
from aiohttp import web

from hub.sandbox.faults import Faults
from hub.sandbox.people import Population


@dataclass(frozen=True)
class SandboxConfig:
    """A plugins.toml table for an instance pointed at a sandbox, and the environment it needs.

    Secrets appear in ``table`` only as ``${VAR}`` references, as the hub requires; ``env``
    holds their values (the sandbox's well-known test credentials).
    """

    table: dict[str, Any]
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WebhookDelivery:
    """One signed webhook, ready to post: the sandbox signed ``body`` as the vendor would."""

    headers: Mapping[str, str]
    body: bytes = field(repr=False)


class Sandbox(ABC):
    """A fake of one vendor's API, seeded from a shared population.

    Subclasses build the aiohttp application, say how an instance is configured against it,
    and sign webhooks the vendor's way. The data lives in memory on the instance, so a test
    can change a customer and check that the next incremental sync picks it up.
    """

    connector_type: ClassVar[str]
    """The connector type this sandbox stands in for."""

    def __init__(self, population: Population, *, faults: Faults | None = None) -> None:
        self.population = population
        self.faults = faults or Faults()

    @abstractmethod
    def create_app(self) -> web.Application:
        """The vendor API, with :func:`hub.sandbox.faults.install_faults` applied."""

    @abstractmethod
    def config(self, base_url: str, instance: str) -> SandboxConfig:
        """How an instance named ``instance`` is configured to read from this sandbox."""

    def webhook(self, topic: str, resource: Any, *, target_url: str) -> WebhookDelivery:
        """A delivery of ``resource`` under ``topic``, signed for ``target_url``."""
        raise NotImplementedError(f"{type(self).__name__} sends no webhooks")

    def webhook_samples(self) -> Sequence[tuple[str, Any]]:
        """A few ``(topic, resource)`` pairs from the seeded data, one per topic the vendor
        sends; the conformance checks sign, forge and process them. Empty: no webhooks."""
        return ()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def serve(app: web.Application, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Run ``app`` until the block ends; yield its base URL (``http://127.0.0.1:PORT``)."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    # Port 0 lets the OS pick and bind in one step: a port probed first could be taken before
    # the bind by another test process.
    await web.TCPSite(runner, host, port).start()
    chosen = runner.addresses[0][1]
    try:
        yield f"http://{host}:{chosen}"
    finally:
        await runner.cleanup()


async def deliver(
    session: aiohttp.ClientSession, url: str, delivery: WebhookDelivery
) -> tuple[int, str]:
    """Post a signed delivery as the vendor would; return the status and body text."""
    async with session.post(url, data=delivery.body, headers=dict(delivery.headers)) as response:
        return response.status, await response.text()
