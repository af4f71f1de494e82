"""The durable queue: one row per vendor event and instance, and claims that let several
workers share it without processing an event twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from hub.connector import ConnectorRuntime
from hub.runtime import Hub
from hub.webhooks import queue
from hub.webhooks.worker import WebhookWorker
from tests.conftest import AcmeSource
from tests.webhooks.conftest import queued_events, receive, stored_records


@pytest.fixture
async def runtime() -> AsyncIterator[ConnectorRuntime]:
    async with ConnectorRuntime.open() as runtime:
        yield runtime


async def test_an_event_is_queued_once_per_instance_and_redeliveries_are_counted(
    acme: AcmeSource,
) -> None:
    delivery = acme.delivery(acme.sandbox.members["M-00001"])

    assert await receive(acme, delivery) is True
    assert await receive(acme, delivery) is False
    assert await receive(acme, delivery, instance="acme-eu") is True  # another account

    events = await queued_events(acme.hub)
    assert [(e.connector, e.deliveries, e.status, e.attempts) for e in events] == [
        ("acme", 2, queue.PENDING, 0),
        ("acme-eu", 1, queue.PENDING, 0),
    ]
    assert events[0].event_id == delivery.headers["X-Acme-Event-Id"]
    assert events[0].topic == "member.updated"
    assert events[0].body == delivery.body.decode()


async def test_a_claimed_event_cannot_be_claimed_again(acme: AcmeSource) -> None:
    await receive(acme, acme.delivery(acme.sandbox.members["M-00001"]))
    [event] = await queued_events(acme.hub)

    async with acme.hub.sessions.begin() as session:
        claimed = await queue.claim(session, event.id, queue.LEASE)
        assert claimed is not None
        queue.mark_done(claimed)
    async with acme.hub.sessions.begin() as session:
        assert await queue.claim(session, event.id, queue.LEASE) is None


async def test_a_claim_is_a_lease_that_ends(acme: AcmeSource) -> None:
    """A worker that dies holding an event does not lose it: once the lease ends, another
    worker may take it; before, none can."""
    await receive(acme, acme.delivery(acme.sandbox.members["M-00001"]))
    [event] = await queued_events(acme.hub)
    async with acme.hub.sessions.begin() as session:
        assert await queue.claim(session, event.id, timedelta(seconds=-1)) is not None
    async with acme.hub.sessions.begin() as session:  # the lease already ended
        assert await queue.claim(session, event.id, queue.LEASE) is not None
    async with acme.hub.sessions.begin() as session:
        assert await queue.claim(session, event.id, queue.LEASE) is None


async def test_two_workers_sharing_the_queue_never_process_an_event_twice(
    acme: AcmeSource, another_hub: Hub, runtime: ConnectorRuntime
) -> None:
    """Both workers see the same due events; each event is still processed exactly once, and
    one that fails is not retried by the other worker before its backoff."""
    members = list(acme.sandbox.members.values())[:12]
    for member in members:
        await receive(acme, acme.delivery(member))
    for member in members[:4]:  # queued for an instance plugins.toml no longer has
        await receive(acme, acme.delivery(member), instance="removed")
    workers = [WebhookWorker(acme.hub, runtime), WebhookWorker(another_hub, runtime)]

    results = await asyncio.gather(*(worker.process_due() for worker in workers))

    assert sum(counts.events for counts in results) == 16
    assert sum(counts.records for counts in results) == 12
    assert sum(counts.failed for counts in results) == 4
    events = await queued_events(acme.hub)
    assert sorted((e.connector, e.status, e.attempts) for e in events) == sorted(
        [("acme", queue.DONE, 1)] * 12 + [("removed", queue.PENDING, 1)] * 4
    )
    assert len(await stored_records(acme.hub, acme.instance)) == 12
