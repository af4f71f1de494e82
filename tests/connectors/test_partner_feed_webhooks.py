"""Partner webhooks: timestamped HMAC signatures, replays refused, events turned into records."""

from __future__ import annotations

import json
import time
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy.engine import URL

from connectors.partner_feed.connector import PartnerFeedConnector, PartnerFeedSettings
from connectors.partner_feed.sandbox import WEBHOOK_SECRET, PartnerFeedSandbox
from hub.connector import ConnectorRuntime, WebhookEvent, WebhookRejected, WebhookRequest
from hub.runtime import Hub
from hub.sandbox import WebhookDelivery, deliver, serve
from hub.settings import Secret
from hub.store.records import upsert_records
from hub.sync.engine import sync_connector
from tests.conftest import WriteConfig
from tests.connectors.partner_feed_support import (
    FAST_RETRIES,
    INSTANCE,
    activities_of,
    new_sandbox,
    open_hub,
    record_row,
)

TARGET = "https://hub.example/webhooks/partners"


def connector(
    base_url: str = "http://127.0.0.1:9", secret: str = WEBHOOK_SECRET
) -> PartnerFeedConnector:
    return PartnerFeedConnector(
        INSTANCE,
        PartnerFeedSettings(
            base_url=base_url,
            api_key=Secret("sandbox-partner-key", "${K}"),
            webhook_secret=Secret(secret, "${S}"),
        ),
    )


def request_of(delivery: WebhookDelivery, **header_changes: str | None) -> WebhookRequest:
    headers = {**delivery.headers, **header_changes}
    return WebhookRequest(
        TARGET, {k: v for k, v in headers.items() if v is not None}, delivery.body
    )


@pytest.fixture
def sandbox() -> PartnerFeedSandbox:
    return new_sandbox()


def a_delivery(sandbox: PartnerFeedSandbox, **options: Any) -> WebhookDelivery:
    holding = sandbox.holding(sandbox.holding_keys()[0])
    return sandbox.webhook("holding.updated", holding, target_url=TARGET, **options)


def test_a_correctly_signed_delivery_verifies(sandbox: PartnerFeedSandbox) -> None:
    delivery = a_delivery(sandbox, event_id="evt_42")
    event = connector().verify_webhook(request_of(delivery))
    assert (event.event_id, event.topic) == ("evt_42", "holding.updated")
    assert event.payload["data"] == sandbox.holding(sandbox.holding_keys()[0])
    assert "X-Partner-Signature" not in event.headers
    assert connector().accepts_webhooks


def test_header_names_are_case_insensitive(sandbox: PartnerFeedSandbox) -> None:
    delivery = a_delivery(sandbox)
    lowered = {k.lower(): v for k, v in delivery.headers.items()}
    connector().verify_webhook(WebhookRequest(TARGET, lowered, delivery.body))


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("forged", "signature does not match"),
        ("other secret", "signature does not match"),
        ("no signature", "without the X-Partner-Signature header"),
        ("no timestamp", "without the X-Partner-Timestamp header"),
        ("re-serialised body", "signature does not match"),
        ("timestamp changed", "signature does not match"),
        ("replayed", "more than 300s off is refused as a possible replay"),
        ("from the future", "more than 300s off"),
        ("not a number", "X-Partner-Timestamp is not Unix seconds"),
    ],
)
def test_bad_deliveries_are_rejected(sandbox: PartnerFeedSandbox, case: str, message: str) -> None:
    now = int(time.time())
    delivery = a_delivery(sandbox)
    request = request_of(delivery)
    if case == "forged":
        request = request_of(delivery, **{"X-Partner-Signature": "0" * 64})
    elif case == "other secret":
        request = request_of(PartnerFeedSandbox(sandbox.population, webhook_secret="x").webhook(
            "holding.updated", {"holding_id": "H-1"}, target_url=TARGET
        ))  # fmt: skip
    elif case == "no signature":
        request = request_of(delivery, **{"X-Partner-Signature": None})
    elif case == "no timestamp":
        request = request_of(delivery, **{"X-Partner-Timestamp": None})
    elif case == "re-serialised body":
        body = json.dumps(json.loads(delivery.body), indent=2).encode()
        request = WebhookRequest(TARGET, dict(delivery.headers), body)
    elif case == "timestamp changed":
        request = request_of(delivery, **{"X-Partner-Timestamp": str(now + 1)})
    elif case == "replayed":
        request = request_of(a_delivery(sandbox, timestamp=now - 301))
    elif case == "from the future":
        request = request_of(a_delivery(sandbox, timestamp=now + 600))
    elif case == "not a number":
        request = request_of(delivery, **{"X-Partner-Timestamp": "yesterday"})
    with pytest.raises(WebhookRejected) as rejected:
        connector().verify_webhook(request)
    assert message in str(rejected.value)
    assert WEBHOOK_SECRET not in str(rejected.value)
    assert INSTANCE in str(rejected.value)


def test_a_body_without_event_id_is_rejected_even_when_signed(sandbox: PartnerFeedSandbox) -> None:
    delivery = sandbox.webhook("holding.updated", {}, target_url=TARGET, event_id=" ")
    with pytest.raises(WebhookRejected, match="no 'event_id'"):
        connector().verify_webhook(request_of(delivery))


def test_without_a_secret_no_webhook_is_accepted(sandbox: PartnerFeedSandbox) -> None:
    plain = PartnerFeedConnector(
        INSTANCE, PartnerFeedSettings(base_url="https://p.example", api_key=Secret("k", "${K}"))
    )
    assert not plain.accepts_webhooks
    with pytest.raises(WebhookRejected, match="does not receive webhooks"):
        plain.verify_webhook(request_of(a_delivery(sandbox)))


async def test_a_delivery_over_http_verifies_on_the_raw_body(sandbox: PartnerFeedSandbox) -> None:
    """The sandbox posts as a partner would; a receiver hands the raw bytes to the connector."""
    events: list[WebhookEvent] = []
    receiver = connector()

    async def receive(request: web.Request) -> web.Response:
        try:
            events.append(
                receiver.verify_webhook(
                    WebhookRequest(str(request.url), request.headers, await request.read())
                )
            )
        except WebhookRejected as exc:
            return web.Response(status=401, text=str(exc))
        return web.Response(status=202)

    app = web.Application()
    app.router.add_post("/webhooks/partners", receive)
    async with serve(app) as url, aiohttp.ClientSession() as session:
        target = url + "/webhooks/partners"
        status, _ = await deliver(session, target, a_delivery(sandbox, event_id="evt_1"))
        assert status == 202
        forged = WebhookDelivery({**a_delivery(sandbox).headers}, b'{"event_id":"evt_2"}')
        status, text = await deliver(session, target, forged)
        assert (status, "signature does not match" in text) == (401, True)
    assert [event.event_id for event in events] == ["evt_1"]


async def test_webhook_page_maps_the_holding_and_fetches_a_missing_catalog(
    sandbox: PartnerFeedSandbox,
) -> None:
    key = sandbox.holding_keys()[0]
    async with serve(sandbox.create_app()) as url:
        receiver = connector(url)
        event = receiver.verify_webhook(request_of(a_delivery(sandbox)))
        async with ConnectorRuntime.open(FAST_RETRIES) as runtime:
            page = await receiver.webhook_page(event, runtime)
            again = await receiver.webhook_page(event, runtime)
    [record] = page.records
    assert (record.source_id, record.entity, page.rejected) == (key, "holding", ())
    assert record.activities[0].details["product_name"]
    assert again == page
    assert sandbox.served["/v1/products 200"] == 1  # the second page found it in memory


async def test_webhook_page_rejects_unknown_events_and_unreadable_holdings(
    sandbox: PartnerFeedSandbox,
) -> None:
    holding = {**sandbox.holding(sandbox.holding_keys()[0]), "currency": "ZZZ"}
    async with serve(sandbox.create_app()) as url, ConnectorRuntime.open(FAST_RETRIES) as runtime:
        receiver = connector(url)
        for topic, resource, reason in (
            ("holding.deleted", holding, "unknown event type 'holding.deleted'"),
            ("holding.updated", holding, "currency: 'ZZZ' is not an ISO 4217 currency"),
            ("holding.updated", "H-1", "holding: expected an object, got str"),
        ):
            delivery = sandbox.webhook(topic, resource, target_url=TARGET, event_id="evt_9")
            page = await receiver.webhook_page(
                receiver.verify_webhook(request_of(delivery)), runtime
            )
            [rejected] = page.rejected
            assert page.records == ()
            assert reason in rejected.reason and "evt_9" in rejected.reason


async def test_an_older_webhook_never_overwrites_a_newer_record(
    sandbox: PartnerFeedSandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with serve(sandbox.create_app()) as url:
        hub = await open_hub(sandbox.config(url, INSTANCE), db_url, write_config, monkeypatch)
        try:
            await check_stale_webhook(hub, sandbox)
        finally:
            await hub.close()


async def check_stale_webhook(hub: Hub, sandbox: PartnerFeedSandbox) -> None:
    receiver = hub.connectors[INSTANCE]
    key = sandbox.holding_keys()[0]
    old_version = sandbox.holding(key)
    sandbox.change_holding(key, status="cancelled")
    async with ConnectorRuntime.open(FAST_RETRIES) as runtime:
        await sync_connector(receiver, hub.sessions, runtime)
        late = sandbox.webhook("holding.updated", old_version, target_url=TARGET)
        page = await receiver.webhook_page(receiver.verify_webhook(request_of(late)), runtime)
    async with hub.sessions.begin() as session:
        counts = await upsert_records(session, INSTANCE, page.records)
    assert (counts.stale, counts.updated) == (1, 0)
    row = await record_row(hub, key)
    assert row.payload["status"] == "cancelled"
    assert (await activities_of(hub, key))["partner_product"].details["status"] == "cancelled"

    newer = sandbox.change_holding(key, status="active")
    fresh = sandbox.webhook("holding.updated", newer, target_url=TARGET)
    async with ConnectorRuntime.open(FAST_RETRIES) as runtime:
        page = await receiver.webhook_page(receiver.verify_webhook(request_of(fresh)), runtime)
    async with hub.sessions.begin() as session:
        counts = await upsert_records(session, INSTANCE, page.records)
    assert counts.updated == 1
    assert (await record_row(hub, key)).payload["status"] == "active"


async def test_a_rejected_event_is_kept_whole_so_that_a_replay_reads_it_again(
    sandbox: PartnerFeedSandbox,
) -> None:
    holding = {**sandbox.holding(sandbox.holding_keys()[0]), "currency": "ZZZ"}
    delivery = sandbox.webhook("holding.updated", holding, target_url=TARGET)
    async with serve(sandbox.create_app()) as url, ConnectorRuntime.open(FAST_RETRIES) as runtime:
        receiver = connector(url)
        event = receiver.verify_webhook(request_of(delivery))
        [rejected] = (await receiver.webhook_page(event, runtime)).rejected
        assert rejected.payload == json.loads(delivery.body)  # the event, not its holding
        stored = json.dumps(rejected.payload)
        again = await receiver.replay("webhook:holding.updated", stored, runtime)
    [replayed] = again.rejected
    assert again.records == ()
    assert replayed.reason == rejected.reason.replace(event.event_id, "replay")
    assert "currency: 'ZZZ' is not an ISO 4217 currency" in replayed.reason
