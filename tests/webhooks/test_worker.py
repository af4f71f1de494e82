"""The webhook worker: events become records in arrival order, older versions never win, a
failing event is retried with backoff and then parked as ``failed``, unreadable payloads are
quarantined under ``webhook:<topic>``."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from acme_hub_connector.connector import member_record
from sqlalchemy import select, update
from sqlalchemy.engine import URL

from hub.connector import ConnectorRuntime, WebhookRequest
from hub.records import IdentifierKind
from hub.runtime import Hub
from hub.store.models import IdentifierRow, QuarantineRow, WebhookEventRow
from hub.sync.engine import MAX_PAYLOAD_BYTES
from hub.sync.replay import replay_quarantine
from hub.webhooks import queue
from hub.webhooks.worker import WebhookWorker
from tests.conftest import AcmeSource, until
from tests.webhooks.conftest import (
    Served,
    queue_drained,
    queued_events,
    receive,
    stored_records,
)


@pytest.fixture
async def runtime() -> AsyncIterator[ConnectorRuntime]:
    async with ConnectorRuntime.open() as runtime:
        yield runtime


async def emails_of(hub: Hub, record_id: int) -> list[str]:
    async with hub.sessions() as session:
        result = await session.scalars(
            select(IdentifierRow.raw_value).where(
                IdentifierRow.record_id == record_id,
                IdentifierRow.kind == IdentifierKind.EMAIL.value,
            )
        )
        return list(result)


async def test_versions_delivered_shuffled_and_repeated_end_as_one_ordered_delivery(
    served: Served,
) -> None:
    """Whatever the order and however often, the newest version is what the hub holds."""
    acme = served.acme
    rng = random.Random(4)
    orders = {
        "M-00003": lambda n: list(reversed(range(n))),
        "M-00004": lambda n: rng.sample(range(n), n) + rng.choices(range(n), k=n),
        "M-00005": lambda n: [n - 1, *range(n), n - 1],
    }
    newest = {}
    posted = 0
    for member_id, order in orders.items():
        versions = [
            acme.sandbox.update_member(member_id, email=f"v{v}.{member_id}@example.org", tier=tier)
            for v, tier in enumerate(("silver", "gold", "platinum", "gold"))
        ]
        newest[member_id] = versions[-1]
        for index in order(len(versions)):
            status, body = await served.post(acme.delivery(versions[index]))
            assert status == 200, body
            posted += 1

    await until(lambda: queue_drained(acme.hub), "the worker to process every delivery")
    stored = await stored_records(acme.hub, acme.instance)
    settings = acme.connector.settings
    for member_id, member in newest.items():
        ordered = member_record(acme.instance, settings, member)  # one ordered delivery's end
        record = stored[member_id]
        assert record.payload == member, member_id
        assert record.content_hash == ordered.content_hash(), member_id
        assert record.source_updated_at == ordered.updated_at
        assert await emails_of(acme.hub, record.id) == [member["email"]], member_id
    events = await queued_events(acme.hub)
    assert len(events) == 4 * len(orders)  # one row per version, redeliveries counted on it
    assert sum(event.deliveries for event in events) == posted
    assert {(event.status, event.attempts) for event in events} == {("done", 1)}


@pytest.fixture
async def hub_without_acme(db_url: URL, tmp_path: Path) -> AsyncIterator[Hub]:
    """The same database opened with a plugins.toml that lost the ``acme`` instance."""
    path = tmp_path / "without-acme.toml"
    path.write_text("", encoding="utf-8")
    opened = await Hub.open(path, url=db_url)
    try:
        yield opened
    finally:
        await opened.close()


async def make_due(hub: Hub) -> None:
    """Let the backoff pass: every waiting event becomes due now."""
    async with hub.sessions.begin() as session:
        await session.execute(update(WebhookEventRow).values(next_attempt_at=datetime.now(UTC)))


async def test_a_failing_event_backs_off_ends_failed_and_a_replay_queues_it_again(
    acme: AcmeSource, hub_without_acme: Hub, runtime: ConnectorRuntime
) -> None:
    member = acme.sandbox.update_member("M-00006", tier="platinum")
    assert await receive(acme, acme.delivery(member))
    failing = WebhookWorker(hub_without_acme, runtime)

    waits = []
    for attempt in range(1, queue.MAX_ATTEMPTS + 1):
        before = datetime.now(UTC)
        counts = await failing.process_due()
        assert (counts.events, counts.failed, counts.records) == (1, 1, 0)
        [event] = await queued_events(acme.hub)
        assert event.attempts == attempt
        assert event.error is not None and "'acme' is no longer configured" in event.error
        if attempt < queue.MAX_ATTEMPTS:
            assert event.status == queue.PENDING
            waits.append(event.next_attempt_at - before)
            assert (await failing.process_due()).events == 0, "retried before its backoff"
            await make_due(acme.hub)
    assert event.status == queue.FAILED
    assert timedelta(seconds=1) < waits[0] < timedelta(seconds=3)
    for earlier, later in itertools.pairwise(waits):  # exponential: each wait doubles
        assert 1.8 * earlier < later < 2.2 * earlier, waits
    await make_due(acme.hub)
    assert (await failing.process_due()).events == 0, "a failed event is not retried by itself"

    replayed = await replay_quarantine(acme.connector, acme.hub.sessions, runtime)

    assert replayed.webhooks_requeued == 1
    [event] = await queued_events(acme.hub)
    assert (event.status, event.attempts) == (queue.PENDING, 0)
    counts = await WebhookWorker(acme.hub, runtime).process_due()
    assert (counts.events, counts.records, counts.failed) == (1, 1, 0)
    [event] = await queued_events(acme.hub)
    assert (event.status, event.error) == (queue.DONE, None)
    assert (await stored_records(acme.hub, acme.instance))["M-00006"].payload == member


async def test_payloads_the_connector_cannot_read_are_quarantined_under_the_topic(
    acme: AcmeSource, runtime: ConnectorRuntime
) -> None:
    member = acme.sandbox.members["M-00007"]
    unreadable = {k: v for k, v in member.items() if k != "member_id"}
    assert await receive(acme, acme.delivery(unreadable, topic="member.created"))
    assert await receive(acme, acme.delivery(member, topic="member.updated"))

    counts = await WebhookWorker(acme.hub, runtime).process_due()

    assert (counts.events, counts.records, counts.quarantined, counts.failed) == (2, 1, 1, 0)
    assert list(await stored_records(acme.hub, acme.instance)) == ["M-00007"]
    async with acme.hub.sessions() as session:
        [held] = await session.scalars(select(QuarantineRow))
    assert (held.connector, held.stream, held.status) == ("acme", "webhook:member.created", "open")
    assert json.loads(held.payload) == {"event": "member.created", "member": unreadable}
    assert "member_id" in held.reason
    assert {event.status for event in await queued_events(acme.hub)} == {queue.DONE}

    replayed = await replay_quarantine(acme.connector, acme.hub.sessions, runtime)

    assert (replayed.replayed, replayed.still_failing) == (0, 1)
    async with acme.hub.sessions() as session:
        [held] = await session.scalars(select(QuarantineRow))
    assert (held.status, held.attempts) == ("open", 1)
    assert "member_id" in held.reason


async def test_an_oversized_record_from_a_webhook_is_quarantined_as_a_synced_one_would_be(
    acme: AcmeSource, runtime: ConnectorRuntime
) -> None:
    huge = {**acme.sandbox.members["M-00008"], "notes": "x" * MAX_PAYLOAD_BYTES}
    assert await receive(acme, acme.delivery(huge))

    counts = await WebhookWorker(acme.hub, runtime).process_due()

    assert (counts.events, counts.records, counts.quarantined) == (1, 0, 1)
    assert await stored_records(acme.hub, acme.instance) == {}
    async with acme.hub.sessions() as session:
        [held] = await session.scalars(select(QuarantineRow))
    assert held.stream == "webhook:member.updated"
    assert f"over the {MAX_PAYLOAD_BYTES:,} limit" in held.reason


async def test_an_event_the_store_refuses_is_a_failed_attempt_not_a_blocked_queue(
    acme: AcmeSource, runtime: ConnectorRuntime
) -> None:
    """PostgreSQL refuses a source id longer than its column; the events behind it flow on."""
    poison = {**acme.sandbox.members["M-00009"], "member_id": "M" * 300}
    assert await receive(acme, acme.delivery(poison))
    assert await receive(acme, acme.delivery(acme.sandbox.members["M-00010"]))

    counts = await WebhookWorker(acme.hub, runtime).process_due()

    assert counts.events == 2
    assert "M-00010" in await stored_records(acme.hub, acme.instance)
    first, second = await queued_events(acme.hub)
    assert (second.status, second.attempts) == (queue.DONE, 1)
    assert first.attempts == 1
    if acme.hub.database_url.get_backend_name() == "postgresql":
        assert (counts.records, counts.failed) == (1, 1)
        assert first.status == queue.PENDING
        assert first.error is not None and "storing a webhook event's records" in first.error
        assert "M" * 300 not in first.error  # store messages never carry the values
    else:  # SQLite does not enforce column lengths: the long id is simply stored
        assert (counts.records, counts.failed) == (2, 0)


async def test_an_event_queued_by_another_process_is_picked_up_by_polling(
    served: Served, another_hub: Hub
) -> None:
    """Nothing wakes this app's worker (the event did not come through it): its poll does."""
    member = served.acme.sandbox.update_member("M-00011", tier="platinum")
    delivery = served.acme.delivery(member)
    request = WebhookRequest("/webhooks/acme", dict(delivery.headers), delivery.body)
    event = served.acme.connector.verify_webhook(request)
    async with another_hub.sessions.begin() as session:
        assert await queue.enqueue(session, "acme", event, delivery.body)

    async def stored() -> bool:
        return "M-00011" in await stored_records(served.acme.hub, "acme")

    await until(stored, "the worker's next poll")
