"""Shopify webhooks: signatures over the raw body, events, records, and late deliveries."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import URL

from connectors.shopify.connector import ShopifyConnector, ShopifySettings
from connectors.shopify.mapping import MappingContext, customer_record
from connectors.shopify.sandbox import ShopifySandbox
from hub.connector import WebhookRejected, WebhookRequest, hmac_sha256
from hub.records import ActivityKind, Identifier, IdentifierKind
from hub.settings import build_settings
from hub.store.records import upsert_records
from hub.sync.engine import sync_connector
from tests.conftest import WriteConfig
from tests.connectors.shopify_support import (
    INSTANCE,
    fast_runtime,
    shop_hub,
    small_shop,
    stored_record,
)

TARGET = "https://hub.example.com/webhooks/webshop"


@pytest.fixture
def sandbox() -> ShopifySandbox:
    return small_shop()


def connector_for(sandbox: ShopifySandbox, **changes: Any) -> ShopifyConnector:
    """The instance plugins.toml would build from the sandbox's config (no server needed)."""
    config = sandbox.config("http://127.0.0.1:9", INSTANCE)
    table = {k: v for k, v in config.table.items() if k != "type"}
    table.update(changes)
    sources = {k: v for k, v in table.items() if isinstance(v, str) and v.startswith("${")}
    values = {k: config.env.get(v[2:-1], v) if k in sources else v for k, v in table.items()}
    settings = build_settings(
        ShopifySettings,
        {k: v for k, v in values.items() if v is not None},
        where=f"[connectors.{INSTANCE}]",
        base_dir=Path.cwd(),
        secret_sources=sources,
    )
    return ShopifyConnector(INSTANCE, settings)


def request_of(headers: Any, body: bytes) -> WebhookRequest:
    return WebhookRequest(TARGET, dict(headers), body)


def first_customer(sandbox: ShopifySandbox) -> dict[str, Any]:
    return sandbox.customer(sandbox.customers.keys[0][1])


def test_a_correctly_signed_delivery_verifies_into_an_event(sandbox: ShopifySandbox) -> None:
    customer = first_customer(sandbox)
    delivery = sandbox.webhook("customers/update", customer, target_url=TARGET)
    event = connector_for(sandbox).verify_webhook(request_of(delivery.headers, delivery.body))
    assert event.event_id == delivery.headers["X-Shopify-Event-Id"]
    assert event.topic == "customers/update"
    assert event.payload == customer
    assert event.headers["X-Shopify-Triggered-At"] == delivery.headers["X-Shopify-Triggered-At"]
    assert "X-Shopify-Hmac-Sha256" not in event.headers


def test_header_names_are_matched_whatever_their_case(sandbox: ShopifySandbox) -> None:
    delivery = sandbox.webhook("orders/create", {"id": 1}, target_url=TARGET)
    lower = {name.lower(): value for name, value in delivery.headers.items()}
    event = connector_for(sandbox).verify_webhook(request_of(lower, delivery.body))
    assert event.topic == "orders/create"


def test_the_webhook_id_stands_in_for_a_missing_event_id(sandbox: ShopifySandbox) -> None:
    delivery = sandbox.webhook("orders/create", {"id": 1}, target_url=TARGET)
    headers = {k: v for k, v in delivery.headers.items() if k != "X-Shopify-Event-Id"}
    event = connector_for(sandbox).verify_webhook(request_of(headers, delivery.body))
    assert event.event_id == delivery.headers["X-Shopify-Webhook-Id"]


def forged(headers: dict[str, str], body: bytes) -> tuple[dict[str, str], bytes]:
    return {**headers, "X-Shopify-Hmac-Sha256": "bm90IHRoZSByaWdodCBzaWduYXR1cmU="}, body


def unsigned(headers: dict[str, str], body: bytes) -> tuple[dict[str, str], bytes]:
    return {k: v for k, v in headers.items() if k != "X-Shopify-Hmac-Sha256"}, body


def reserialised(headers: dict[str, str], body: bytes) -> tuple[dict[str, str], bytes]:
    return headers, json.dumps(json.loads(body), indent=2).encode()  # same JSON, other bytes


def tampered(headers: dict[str, str], body: bytes) -> tuple[dict[str, str], bytes]:
    return headers, body.replace(b'"id":', b'"id":1', 1)


@pytest.mark.parametrize("spoil", [forged, unsigned, reserialised, tampered])
def test_a_delivery_whose_signature_does_not_match_its_raw_body_is_rejected(
    sandbox: ShopifySandbox, spoil: Any
) -> None:
    delivery = sandbox.webhook("customers/update", first_customer(sandbox), target_url=TARGET)
    headers, body = spoil(dict(delivery.headers), delivery.body)
    with pytest.raises(WebhookRejected) as rejected:
        connector_for(sandbox).verify_webhook(request_of(headers, body))
    assert sandbox.webhook_secret not in str(rejected.value)
    assert str(rejected.value).startswith("webshop: ")


def test_a_secret_from_another_app_is_rejected(sandbox: ShopifySandbox) -> None:
    delivery = sandbox.webhook("customers/update", first_customer(sandbox), target_url=TARGET)
    other = small_shop()
    other.webhook_secret = "shpss_another_app"
    with pytest.raises(WebhookRejected, match="does not match"):
        connector_for(other).verify_webhook(request_of(delivery.headers, delivery.body))


def test_without_a_webhook_secret_every_delivery_is_rejected(sandbox: ShopifySandbox) -> None:
    connector = connector_for(sandbox, webhook_secret=None)
    assert not connector.accepts_webhooks
    assert connector_for(sandbox).accepts_webhooks
    delivery = sandbox.webhook("customers/update", first_customer(sandbox), target_url=TARGET)
    with pytest.raises(WebhookRejected, match="no webhook_secret configured"):
        connector.verify_webhook(request_of(delivery.headers, delivery.body))


def test_a_signed_body_that_is_not_json_is_rejected(sandbox: ShopifySandbox) -> None:
    body = b"<html>not json</html>"
    delivery = sandbox.webhook("customers/update", {"id": 1}, target_url=TARGET)
    signature = base64.b64encode(hmac_sha256(sandbox.webhook_secret, body)).decode()
    headers = {**delivery.headers, "X-Shopify-Hmac-Sha256": signature}  # signed as Shopify would
    with pytest.raises(WebhookRejected, match="body is not JSON"):
        connector_for(sandbox).verify_webhook(request_of(headers, body))


async def test_customer_and_order_events_become_the_records_a_sync_would_make(
    sandbox: ShopifySandbox,
) -> None:
    connector = connector_for(sandbox)
    customer = first_customer(sandbox)
    order = sandbox.order(sandbox.orders.keys[-1][1])
    async with fast_runtime() as runtime:
        pages = []
        for topic, resource in (("customers/create", customer), ("orders/updated", order)):
            delivery = sandbox.webhook(topic, resource, target_url=TARGET)
            event = connector.verify_webhook(request_of(delivery.headers, delivery.body))
            pages.append(await connector.webhook_page(event, runtime))
    [customer_page, order_page] = pages
    assert customer_page.records == (
        customer_record(customer, MappingContext(INSTANCE, "lumiere")),
    )
    assert customer_page.cursor is None
    [record] = order_page.records
    assert (record.entity, record.source_id) == ("order", str(order["id"]))
    assert [a.kind for a in record.activities] == [ActivityKind.ORDER]
    if order["customer"]:
        customer_id = Identifier(
            IdentifierKind.SOURCE_CUSTOMER_ID, f"{INSTANCE}:{order['customer']['id']}"
        )
        assert customer_id in record.identifiers


@pytest.mark.parametrize("topic", ["customers/delete", "orders/paid", "shop/redact"])
async def test_other_topics_carry_nothing_to_store(sandbox: ShopifySandbox, topic: str) -> None:
    connector = connector_for(sandbox)
    delivery = sandbox.webhook(topic, {"id": 6900000000000}, target_url=TARGET)
    event = connector.verify_webhook(request_of(delivery.headers, delivery.body))
    async with fast_runtime() as runtime:
        page = await connector.webhook_page(event, runtime)
    assert (page.records, page.rejected) == ((), ())


async def test_an_unreadable_resource_in_an_event_is_rejected_not_raised(
    sandbox: ShopifySandbox,
) -> None:
    connector = connector_for(sandbox)
    customer = {**first_customer(sandbox), "updated_at": "yesterday"}
    delivery = sandbox.webhook("customers/update", customer, target_url=TARGET)
    event = connector.verify_webhook(request_of(delivery.headers, delivery.body))
    async with fast_runtime() as runtime:
        page = await connector.webhook_page(event, runtime)
    assert page.records == ()
    [rejected] = page.rejected
    assert rejected.source_id == str(customer["id"])
    assert rejected.reason == (
        "webshop/webhook customers/update: RecordError: "
        "updated_at: 'yesterday' is not an ISO 8601 time"
    )


async def test_a_late_webhook_with_an_older_version_never_overwrites_a_newer_record(
    sandbox: ShopifySandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer_id = sandbox.customers.keys[0][1]
    old_delivery = sandbox.webhook(
        "customers/update", sandbox.customer(customer_id), target_url=TARGET
    )
    async with shop_hub(sandbox, db_url, write_config, monkeypatch) as shop, fast_runtime() as rt:
        connector = shop.connector
        await sync_connector(connector, shop.hub.sessions, rt)  # stores the old version
        new_version = sandbox.update_customer(customer_id, first_name="Renée")
        new_delivery = sandbox.webhook("customers/update", new_version, target_url=TARGET)
        counts = []
        for delivery in (new_delivery, old_delivery):  # the old one retried, arriving late
            event = connector.verify_webhook(request_of(delivery.headers, delivery.body))
            page = await connector.webhook_page(event, rt)
            async with shop.hub.sessions.begin() as session:
                counts.append(await upsert_records(session, INSTANCE, page.records))
        row = await stored_record(shop.hub, "customer", customer_id)
    assert (counts[0].updated, counts[0].stale) == (1, 0)
    assert (counts[1].updated, counts[1].stale) == (0, 1)
    assert row.person["first_name"] == "Renée"
    assert row.payload == new_version
