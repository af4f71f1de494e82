"""Webhook tests: the hub's web app served over real HTTP, and helpers that read the queue."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette

from hub.app import create_app
from hub.connector import WebhookRequest
from hub.runtime import Hub
from hub.sandbox import WebhookDelivery, deliver
from hub.store.models import SourceRecordRow, WebhookEventRow
from hub.testing import serve_asgi
from hub.webhooks import queue
from tests.conftest import AcmeSource


@dataclass
class Served:
    """The hub's app under uvicorn (lifespan, and so the webhook worker, running)."""

    acme: AcmeSource
    app: Starlette
    base_url: str
    http: aiohttp.ClientSession

    async def post(
        self, delivery: WebhookDelivery, instance: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        url = f"{self.base_url}/webhooks/{instance or self.acme.instance}"
        status, text = await deliver(self.http, url, delivery)
        return status, json.loads(text)


@pytest.fixture
async def served(acme: AcmeSource) -> AsyncIterator[Served]:
    app = create_app(acme.hub, webhook_poll_seconds=0.05)
    async with serve_asgi(app) as base_url, aiohttp.ClientSession() as http:
        yield Served(acme, app, base_url, http)


async def receive(acme: AcmeSource, delivery: WebhookDelivery, instance: str | None = None) -> bool:
    """What the endpoint does with a delivery, without the HTTP: the ``acme`` instance
    verifies it, then it is queued under ``instance`` (by default ``acme`` too)."""
    name = instance or acme.instance
    request = WebhookRequest(f"/webhooks/{name}", dict(delivery.headers), delivery.body)
    event = acme.hub.connectors[acme.instance].verify_webhook(request)
    async with acme.hub.sessions.begin() as session:
        return await queue.enqueue(session, name, event, delivery.body)


async def queued_events(hub: Hub) -> list[WebhookEventRow]:
    async with hub.sessions() as session:
        return list(await session.scalars(select(WebhookEventRow).order_by(WebhookEventRow.id)))


async def stored_records(hub: Hub, connector: str) -> dict[str, SourceRecordRow]:
    async with hub.sessions() as session:
        rows = await session.scalars(
            select(SourceRecordRow).where(SourceRecordRow.connector == connector)
        )
        return {row.source_id: row for row in rows}


async def count(hub: Hub, column: Any) -> int:
    async with hub.sessions() as session:
        return int(await session.scalar(select(func.count(column))) or 0)


async def queue_drained(hub: Hub) -> bool:
    """True when no event is pending."""
    return all(row.status != queue.PENDING for row in await queued_events(hub))
