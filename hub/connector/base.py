"""Connector, Stream and the runtime the hub lends them."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

import aiohttp

from hub.connector.http import HttpClient, RetryPolicy
from hub.connector.webhooks import WebhookEvent, WebhookRejected, WebhookRequest
from hub.records import Page

SettingsT = TypeVar("SettingsT")


@dataclass(frozen=True)
class ConnectorRuntime:
    """What the hub lends a connector while it runs: one retrying HTTP client."""

    http: HttpClient

    @classmethod
    @asynccontextmanager
    async def open(cls, policy: RetryPolicy | None = None) -> AsyncIterator[ConnectorRuntime]:
        async with aiohttp.ClientSession() as session:
            yield cls(HttpClient(session, policy))


class Stream(ABC):
    """One entity of a source, read in pages from a saved cursor."""

    name: ClassVar[str]
    read_ahead: ClassVar[bool] = False
    """True: the engine asks for the next page while it stores the current one, so the code
    after a ``yield`` may run before that page is committed (it must not, say, delete the file
    the page came from). Pages are still committed in order, each with its own cursor."""

    def __init__(self, connector: Connector[Any], runtime: ConnectorRuntime) -> None:
        self.connector = connector
        self.runtime = runtime

    @abstractmethod
    def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        """Yield pages after ``cursor`` (``None``: from the beginning), oldest first."""

    async def replay(self, payload: str) -> Page:
        """Read a quarantined payload of this stream again (``hub sync --replay``), e.g. after
        a mapping was fixed. The page holds the record, or the payload rejected again."""
        raise NotImplementedError(f"stream {self.name!r} cannot replay quarantined payloads")


WEBHOOK_STREAM_PREFIX = "webhook:"
"""Quarantined webhook payloads are filed under ``webhook:<topic>``."""


class Connector(ABC, Generic[SettingsT]):
    """A configured instance of a source (``[connectors.<name>]`` in plugins.toml)."""

    type_name: ClassVar[str]
    """The ``type = "…"`` value that selects this connector in plugins.toml."""
    settings_class: ClassVar[type[Any]]
    """A frozen dataclass; plugins.toml tables are checked against its fields and types."""
    description: ClassVar[str] = ""
    schedule_minutes: ClassVar[int | None] = None
    """Default interval of scheduled syncs under ``hub serve``; an instance may override it
    with an ``every_minutes`` setting. ``None``: synced on demand only."""

    def __init__(self, instance: str, settings: SettingsT) -> None:
        """Checks beyond the settings' types raise ``ConfigError("key 'x': what is wrong")``;
        the hub puts the file and the instance in front of the message."""
        self.instance = instance
        self.settings = settings

    @abstractmethod
    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        """The streams this instance reads, in the order they should be synced."""

    @property
    def accepts_webhooks(self) -> bool:
        """True when this instance is configured to receive webhooks (e.g. has a secret)."""
        return False

    def verify_webhook(self, request: WebhookRequest) -> WebhookEvent:
        """Check the vendor's signature over ``request.body`` and read the event.

        Raise :class:`WebhookRejected` for a missing or wrong signature or an unreadable body.
        Called on the request path: no I/O here, the vendor is waiting for the answer.
        """
        raise WebhookRejected(f"{self.instance} does not receive webhooks")

    async def webhook_page(self, event: WebhookEvent, runtime: ConnectorRuntime) -> Page:
        """The records a verified event carries (fetching more from the source if it must).

        Records need the source's ``updated_at`` so that a late delivery of an old version
        never overwrites a newer one. An unreadable event goes in ``Page.rejected`` with the
        whole ``event.payload``, so that a replay can hand it to this method again.
        """
        raise NotImplementedError(f"{type(self).__name__} does not process webhooks")

    async def replay(self, stream_name: str, payload: str, runtime: ConnectorRuntime) -> Page:
        """Read one quarantined payload again, with the stream (or webhook topic) it came from."""
        if stream_name.startswith(WEBHOOK_STREAM_PREFIX):
            topic = stream_name.removeprefix(WEBHOOK_STREAM_PREFIX)
            event = WebhookEvent("replay", topic, json.loads(payload))
            return await self.webhook_page(event, runtime)
        for stream in self.streams(runtime):
            if stream.name == stream_name:
                return await stream.replay(payload)
        raise LookupError(f"{self.instance} has no stream {stream_name!r} any more")
