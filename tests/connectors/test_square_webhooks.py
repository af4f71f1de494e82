"""Square webhooks: signatures over notification URL + raw body, events turned into records,
and late deliveries that never overwrite newer data."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy.engine import URL

from connectors.square.connector import SquareConnector
from connectors.square.sandbox import SquareSandbox
from hub.connector import WebhookEvent, WebhookRejected, WebhookRequest
from hub.records import IdentifierKind
from hub.sandbox import WebhookDelivery, deliver, serve
from hub.store.records import upsert_records
from hub.sync.engine import sync_connector
from tests.conftest import WriteConfig
from tests.connectors.square_kit import (
    SquareHub,
    runtime,
    small_sandbox,
    square_hub,
    stored_records,
)

PUBLIC_URL = "https://hub.example.com/webhooks/tills"


@pytest.fixture
def sandbox() -> SquareSandbox:
    return small_sandbox()


@pytest.fixture
async def square(
    sandbox: SquareSandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[SquareHub]:
    async with square_hub(sandbox, db_url, write_config, monkeypatch) as opened:
        yield opened


def request_for(delivery: WebhookDelivery, url: str = PUBLIC_URL) -> WebhookRequest:
    return WebhookRequest(url=url, headers=dict(delivery.headers), body=delivery.body)


def first_customer(sandbox: SquareSandbox) -> str:
    return next(iter(sandbox.customers.payloads))


async def test_a_delivery_posted_over_http_verifies_against_the_url_the_hub_saw(
    square: SquareHub, sandbox: SquareSandbox
) -> None:
    connector = square.connector()
    events: list[WebhookEvent] = []

    async def receive(request: web.Request) -> web.Response:
        raw = await request.read()  # the raw bytes, before any JSON parsing
        try:
            events.append(
                connector.verify_webhook(WebhookRequest(str(request.url), request.headers, raw))
            )
        except WebhookRejected as exc:
            return web.Response(status=401, text=str(exc))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/webhooks/tills", receive)
    async with serve(app) as base, aiohttp.ClientSession() as session:
        target = f"{base}/webhooks/tills"
        delivery = sandbox.webhook("customer.updated", first_customer(sandbox), target_url=target)
        assert await deliver(session, target, delivery) == (200, "ok")
        elsewhere = sandbox.webhook(
            "customer.updated", first_customer(sandbox), target_url=PUBLIC_URL
        )
        status, text = await deliver(session, target, elsewhere)
    assert status == 401
    assert "signature does not match" in text
    [event] = events
    assert event.topic == "customer.updated"
    assert event.event_id == json.loads(delivery.body)["event_id"]


async def test_forged_missing_and_reserialised_signatures_are_rejected(
    square: SquareHub, sandbox: SquareSandbox
) -> None:
    connector = square.connector()
    delivery = sandbox.webhook("customer.created", first_customer(sandbox), target_url=PUBLIC_URL)
    assert connector.verify_webhook(request_for(delivery)).topic == "customer.created"

    sandbox.signature_key = "someone-elses-key"
    forged = sandbox.webhook("customer.created", first_customer(sandbox), target_url=PUBLIC_URL)
    unsigned = {k: v for k, v in delivery.headers.items() if "signature" not in k}
    reserialised = json.dumps(json.loads(delivery.body), indent=2).encode()
    attempts = {
        "forged": request_for(forged),
        "missing": WebhookRequest(PUBLIC_URL, unsigned, delivery.body),
        "reserialised": replace(request_for(delivery), body=reserialised),
        "other url": request_for(delivery, url=PUBLIC_URL.replace("https", "http")),
    }
    reasons = {}
    for name, attempt in attempts.items():
        with pytest.raises(WebhookRejected) as raised:
            connector.verify_webhook(attempt)
        reasons[name] = str(raised.value)
        assert "someone-elses-key" not in reasons[name]
        assert "sandbox-square-signature-key" not in reasons[name]
    assert reasons["missing"] == "tills: missing x-square-hmacsha256-signature header"
    for name in ("forged", "reserialised", "other url"):
        assert reasons[name].startswith("tills: signature does not match"), name


async def test_webhook_url_names_the_url_square_signed_behind_a_proxy(
    square: SquareHub, sandbox: SquareSandbox
) -> None:
    proxied = SquareConnector("tills", replace(square.connector().settings, webhook_url=PUBLIC_URL))
    delivery = sandbox.webhook("customer.updated", first_customer(sandbox), target_url=PUBLIC_URL)
    seen_by_hub = request_for(delivery, url="http://10.0.0.7:8000/webhooks/tills")
    assert proxied.verify_webhook(seen_by_hub).topic == "customer.updated"
    with pytest.raises(WebhookRejected):
        square.connector().verify_webhook(seen_by_hub)


async def test_a_customer_event_carries_the_customer(
    square: SquareHub, sandbox: SquareSandbox
) -> None:
    connector = square.connector()
    key = first_customer(sandbox)
    changed = sandbox.update_customer(key, given_name="Inès", email_address="ines@example.fr")
    event = connector.verify_webhook(
        request_for(sandbox.webhook("customer.updated", key, target_url=PUBLIC_URL))
    )
    async with runtime() as rt:
        page = await connector.webhook_page(event, rt)
    [record] = page.records
    assert (record.entity, record.source_id, record.payload) == ("customer", key, changed)
    assert record.person["first_name"] == "Inès"
    assert (IdentifierKind.EMAIL, "ines@example.fr") in {
        (i.kind, i.value) for i in record.identifiers
    }


async def test_an_order_event_fetches_the_order_it_names(
    square: SquareHub, sandbox: SquareSandbox
) -> None:
    connector = square.connector()
    key = next(iter(sandbox.orders.payloads))
    order = sandbox.update_order(key, state="CANCELED")
    delivery = sandbox.webhook("order.updated", key, target_url=PUBLIC_URL)
    summary = json.loads(delivery.body)["data"]["object"]["order_updated"]
    assert summary == {
        "order_id": key,
        "version": order["version"],
        "location_id": order["location_id"],
        "state": "CANCELED",
        "created_at": order["created_at"],
        "updated_at": order["updated_at"],
    }
    event = connector.verify_webhook(request_for(delivery))
    async with runtime() as rt:
        page = await connector.webhook_page(event, rt)
    [record] = page.records
    assert (record.entity, record.source_id, record.payload) == ("order", key, order)
    assert record.activities[0].amount_minor == order["total_money"]["amount"]


async def test_unknown_topics_give_an_empty_page_and_bad_payloads_are_rejected(
    square: SquareHub, sandbox: SquareSandbox
) -> None:
    connector = square.connector()
    async with runtime() as rt:
        unknown = sandbox.webhook("invoice.created", {"id": "INV1"}, target_url=PUBLIC_URL)
        page = await connector.webhook_page(connector.verify_webhook(request_for(unknown)), rt)
        assert (page.records, page.rejected) == ((), ())
        customer = {**sandbox.customer(first_customer(sandbox)), "updated_at": "yesterday"}
        bad = sandbox.webhook("customer.updated", customer, target_url=PUBLIC_URL)
        event = connector.verify_webhook(request_for(bad))
        page = await connector.webhook_page(event, rt)
    [rejected] = page.rejected
    assert page.records == ()
    assert rejected.source_id == customer["id"]
    assert rejected.reason == (
        f"tills/webhook {event.event_id}: RecordError: "
        "updated_at: 'yesterday' is not an ISO 8601 time"
    )


async def test_a_late_delivery_of_an_older_version_does_not_overwrite_the_newer_record(
    square: SquareHub, sandbox: SquareSandbox
) -> None:
    connector = square.connector()
    key = first_customer(sandbox)
    async with runtime() as rt:
        await sync_connector(connector, square.hub.sessions, rt)
        sandbox.update_customer(key, family_name="Older")
        older = sandbox.webhook("customer.updated", key, target_url=PUBLIC_URL)
        sandbox.update_customer(key, family_name="Newer")
        newer = sandbox.webhook("customer.updated", key, target_url=PUBLIC_URL)
        counts = []
        for delivery in (newer, older):  # the older one arrives last
            page = await connector.webhook_page(connector.verify_webhook(request_for(delivery)), rt)
            async with square.hub.sessions.begin() as session:
                counts.append(await upsert_records(session, "tills", page.records))
    assert [(c.updated, c.stale) for c in counts] == [(1, 0), (0, 1)]
    row = (await stored_records(square.hub, "tills"))[("customer", key)]
    assert row.person["last_name"] == "Newer"
    assert row.payload["version"] == sandbox.customer(key)["version"]


async def test_a_late_order_event_stores_the_order_as_it_is_now(
    square: SquareHub, sandbox: SquareSandbox
) -> None:
    connector = square.connector()
    key = next(iter(sandbox.orders.payloads))
    async with runtime() as rt:
        sandbox.update_order(key, state="OPEN")
        older = sandbox.webhook("order.updated", key, target_url=PUBLIC_URL)
        latest = sandbox.update_order(key, state="COMPLETED")
        page = await connector.webhook_page(connector.verify_webhook(request_for(older)), rt)
    [record] = page.records  # fetched now: version 3, not the version 2 the event named
    assert json.loads(older.body)["data"]["object"]["order_updated"]["version"] == 2
    assert (record.payload["version"], record.payload["state"]) == (latest["version"], "COMPLETED")


async def test_accepts_webhooks_only_with_a_signature_key(square: SquareHub) -> None:
    connector = square.connector()
    assert connector.accepts_webhooks is True
    without = SquareConnector("plain", replace(connector.settings, webhook_secret=None))
    assert without.accepts_webhooks is False
    with pytest.raises(WebhookRejected, match="no webhook_secret"):
        without.verify_webhook(WebhookRequest(PUBLIC_URL, {}, b"{}"))


async def test_a_rejected_event_is_kept_whole_so_that_a_replay_reads_it_again(
    square: SquareHub, sandbox: SquareSandbox
) -> None:
    connector = square.connector()
    customer = {**sandbox.customer(first_customer(sandbox)), "updated_at": "yesterday"}
    delivery = sandbox.webhook("customer.updated", customer, target_url=PUBLIC_URL)
    event = connector.verify_webhook(request_for(delivery))
    async with runtime() as rt:
        [rejected] = (await connector.webhook_page(event, rt)).rejected
        assert rejected.payload == json.loads(delivery.body)  # the event, not its customer
        # What `hub sync --replay` does with the row quarantined under webhook:<topic>.
        stored = json.dumps(rejected.payload)
        again = await connector.replay("webhook:customer.updated", stored, rt)
    [replayed] = again.rejected
    assert again.records == ()
    assert replayed.reason == rejected.reason.replace(event.event_id, "replay")
    assert replayed.payload == rejected.payload


async def test_a_quarantined_order_replays_through_the_orders_stream(
    square: SquareHub, sandbox: SquareSandbox
) -> None:
    key = next(iter(sandbox.orders.payloads))
    order = sandbox.update_order(key, ticket_name="Table 4")
    async with runtime() as rt:
        [orders] = [s for s in square.connector().streams(rt) if s.name == "orders"]
        page = await orders.replay(json.dumps(order))
        bad = await orders.replay(json.dumps({**order, "updated_at": "yesterday"}))
    [record] = page.records
    assert (record.entity, record.source_id, record.payload, page.rejected) == (
        "order",
        key,
        order,
        (),
    )
    [rejected] = bad.rejected
    assert bad.records == () and rejected.source_id == key
    assert "updated_at: 'yesterday' is not an ISO 8601 time" in rejected.reason
