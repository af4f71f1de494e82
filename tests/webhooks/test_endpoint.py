"""``POST /webhooks/{instance}`` over real HTTP: signed deliveries are queued and acknowledged,
redeliveries counted once, forgeries refused without a trace, and the worker stores the rest."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import json
import logging
from collections.abc import AsyncIterator, Callable

import pytest
from acme_hub_connector.sandbox import WEBHOOK_SECRET
from sqlalchemy import select

from hub.connector import hmac_sha256
from hub.sandbox import WebhookDelivery
from hub.store.models import LinkRow, SourceRecordRow, SyncRunRow, WebhookEventRow
from hub.webhooks.endpoint import MAX_BODY_BYTES
from tests.conftest import ACME_PLAIN_INSTANCE, until
from tests.webhooks.conftest import (
    Served,
    count,
    queue_drained,
    queued_events,
    stored_records,
)


async def test_a_signed_delivery_is_queued_then_stored_and_linked_to_a_profile(
    served: Served,
) -> None:
    hub = served.acme.hub
    member = served.acme.sandbox.update_member("M-00001", tier="platinum")
    delivery = served.acme.delivery(member)

    status, body = await served.post(delivery)

    assert status == 200
    assert body == {"status": "queued", "event_id": delivery.headers["X-Acme-Event-Id"]}

    async def linked() -> bool:
        async with hub.sessions() as session:
            return bool(
                await session.scalar(
                    select(LinkRow.profile_id)
                    .join(SourceRecordRow, SourceRecordRow.id == LinkRow.record_id)
                    .where(SourceRecordRow.source_id == "M-00001")
                )
            )

    await until(linked, "identity resolution to link the webhook's record")
    record = (await stored_records(hub, "acme"))["M-00001"]
    assert record.payload == member
    assert record.person["brand"] == "lumiere"
    [event] = await queued_events(hub)
    assert (event.status, event.attempts, event.deliveries) == ("done", 1, 1)
    assert event.error is None
    assert await count(hub, SyncRunRow.id) == 0  # without schedules, the app syncs nothing


async def test_a_redelivery_is_a_duplicate_counted_and_stored_once(served: Served) -> None:
    hub = served.acme.hub
    member = served.acme.sandbox.update_member("M-00002", email="new.address@example.org")
    delivery = served.acme.delivery(member)

    first = await served.post(delivery)
    await until(lambda: queue_drained(hub), "the first delivery to be processed")
    again = [await served.post(delivery) for _ in range(2)]

    assert first[1]["status"] == "queued"
    assert [body["status"] for _, body in again] == ["duplicate", "duplicate"]
    assert {status for status, _ in [first, *again]} == {200}
    [event] = await queued_events(hub)
    assert event.deliveries == 3
    assert (event.status, event.attempts) == ("done", 1)
    assert await count(hub, SourceRecordRow.id) == 1


def _resigned(delivery: WebhookDelivery, secret: str) -> WebhookDelivery:
    signature = "sha256=" + hmac_sha256(secret, delivery.body).hex()
    return dataclasses.replace(
        delivery, headers={**delivery.headers, "X-Acme-Signature": signature}
    )


def _with_header(delivery: WebhookDelivery, header: str, value: str | None) -> WebhookDelivery:
    headers = {k: v for k, v in delivery.headers.items() if k != header}
    if value is not None:
        headers[header] = value
    return dataclasses.replace(delivery, headers=headers)


def _reserialised(delivery: WebhookDelivery) -> WebhookDelivery:
    """The same JSON document written differently: the signature covers the raw bytes."""
    body = json.dumps(json.loads(delivery.body), indent=2, sort_keys=True).encode()
    return dataclasses.replace(delivery, body=body)


def _tampered(delivery: WebhookDelivery) -> WebhookDelivery:
    body = delivery.body.replace(b'"tier": "gold"', b'"tier": "platinum"')
    return dataclasses.replace(delivery, body=body)


Forge = Callable[[WebhookDelivery], WebhookDelivery]
FORGERIES: dict[str, Forge] = {
    "signed-with-another-secret": lambda d: _resigned(d, "not-the-" + WEBHOOK_SECRET),
    "no-signature": lambda d: _with_header(d, "X-Acme-Signature", None),
    "empty-signature": lambda d: _with_header(d, "X-Acme-Signature", ""),
    "bare-hex-signature": lambda d: _with_header(
        d, "X-Acme-Signature", d.headers["X-Acme-Signature"].removeprefix("sha256=")
    ),
    "reserialised-body": _reserialised,
    "tampered-body": _tampered,
    "no-event-id": lambda d: _with_header(d, "X-Acme-Event-Id", None),
}


async def test_forged_deliveries_are_refused_and_leave_no_trace(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    hub = served.acme.hub
    genuine = served.acme.delivery(served.acme.sandbox.members["M-00002"])  # a gold member
    expected_signature = genuine.headers["X-Acme-Signature"].removeprefix("sha256=")
    for name, forge in FORGERIES.items():
        forged = forge(genuine)
        assert forged != genuine, name
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="hub.webhooks"):
            status, body = await served.post(forged)

        assert (status, body) == (401, {"error": "webhook verification failed"}), name
        logged = [r.getMessage() for r in caplog.records if r.name.startswith("hub.webhooks")]
        assert logged and all("acme" in message for message in logged), name
        for text in (json.dumps(body), *logged):
            assert WEBHOOK_SECRET not in text, name
            assert expected_signature not in text, name
    assert await count(hub, WebhookEventRow.id) == 0
    assert await count(hub, SourceRecordRow.id) == 0
    status, body = await served.post(genuine)
    assert (status, body["status"]) == (200, "queued")  # refusals did not block the real one


async def test_an_unknown_instance_or_one_without_a_webhook_secret_has_no_endpoint(
    served: Served,
) -> None:
    delivery = served.acme.delivery(served.acme.sandbox.members["M-00001"])
    for instance in ("nosuch", ACME_PLAIN_INSTANCE):
        status, body = await served.post(delivery, instance=instance)
        assert status == 404, instance
        assert instance in body["error"]
        assert WEBHOOK_SECRET not in json.dumps(body)
    assert await count(served.acme.hub, WebhookEventRow.id) == 0


async def test_an_event_id_longer_than_the_queue_keeps_is_refused(served: Served) -> None:
    genuine = served.acme.delivery(served.acme.sandbox.members["M-00003"])
    status, body = await served.post(_with_header(genuine, "X-Acme-Event-Id", "e" * 256))
    assert (status, body) == (400, {"error": "event id missing or too long"})
    assert await count(served.acme.hub, WebhookEventRow.id) == 0


async def test_a_body_over_the_limit_is_refused(served: Served) -> None:
    member = {**served.acme.sandbox.members["M-00001"], "note": "x" * MAX_BODY_BYTES}
    oversized = served.acme.delivery(member)
    url = f"{served.base_url}/webhooks/acme"

    async with served.http.post(
        url, data=io.BytesIO(oversized.body), headers=dict(oversized.headers)
    ) as response:
        assert response.status == 413
        assert await response.json() == {"error": "body too large"}

    just_fits = served.acme.delivery(
        {**served.acme.sandbox.members["M-00001"], "note": "x" * (MAX_BODY_BYTES - 1024)}
    )
    assert len(just_fits.body) <= MAX_BODY_BYTES
    async with served.http.post(
        url, data=io.BytesIO(just_fits.body), headers=dict(just_fits.headers)
    ) as response:
        assert response.status == 200
        assert (await response.json())["status"] == "queued"
    assert await count(served.acme.hub, WebhookEventRow.id) == 1


async def test_a_chunked_body_that_keeps_coming_is_cut_off_at_the_limit(served: Served) -> None:
    """No declared length to refuse up front: the hub stops reading once past the limit
    rather than holding in memory whatever an anonymous client sends."""
    headers = dict(served.acme.delivery(served.acme.sandbox.members["M-00001"]).headers)
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        chunk = b" " * 256 * 1024
        while True:
            sent += len(chunk)
            yield chunk

    async with (
        asyncio.timeout(10),
        served.http.post(
            f"{served.base_url}/webhooks/acme", data=endless(), headers=headers
        ) as response,
    ):
        assert response.status == 413
        assert await response.json() == {"error": "body too large"}
    assert sent < 4 * MAX_BODY_BYTES
    assert await count(served.acme.hub, WebhookEventRow.id) == 0
