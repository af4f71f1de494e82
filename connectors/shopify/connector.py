"""The Shopify connector: customers and orders from the Admin REST API, and their webhooks.

plugins.toml::

    [connectors.webshop]
    type = "shopify"
    base_url = "https://lumiere.myshopify.com/admin/api/2024-10"
    access_token = "${SHOPIFY_TOKEN}"            # custom-app Admin API token (shpat_…)
    webhook_secret = "${SHOPIFY_CLIENT_SECRET}"  # the app's client secret; omit: no webhooks
    brand = "lumiere"

Both streams ask for ``updated_at_min`` on the first request only and then follow the ``Link``
header verbatim: Shopify refuses a filter next to a ``page_info`` and keeps it inside the cursor.
Orders are read with ``status=any``; the API's default, ``open``, would hide closed and cancelled
orders.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from connectors.shopify.mapping import MappingContext, customer_record, order_record
from connectors.shopify.throttle import CALL_LIMIT_HEADER, CallLimitThrottle
from hub.connector import (
    ConnectorRuntime,
    HttpConnector,
    HttpStream,
    JsonResponse,
    LinkHeaderPaginator,
    RecordError,
    SignedWebhooks,
    StreamCursor,
    WebhookEvent,
    WebhookRejected,
    WebhookRequest,
    hmac_sha256,
    json_object_body,
    signature_matches,
)
from hub.connector.http_stream import READ_ERRORS
from hub.errors import ConfigError
from hub.records import Page, Rejected, SourceRecord
from hub.settings import Secret

log = logging.getLogger(__name__)

MAX_PAGE_SIZE = 250
CUSTOMER_TOPICS = frozenset({"customers/create", "customers/update"})
ORDER_TOPICS = frozenset({"orders/create", "orders/updated"})
KEPT_HEADERS = (
    "X-Shopify-Topic",
    "X-Shopify-Triggered-At",
    "X-Shopify-Shop-Domain",
    "X-Shopify-API-Version",
    "X-Shopify-Webhook-Id",
    "X-Shopify-Event-Id",
)
"""Headers kept with a webhook event; never the signature."""


@dataclass(frozen=True)
class ShopifySettings:
    base_url: str
    """``https://{shop}.myshopify.com/admin/api/{YYYY-MM}``: the shop and the API version."""
    access_token: Secret
    webhook_secret: Secret | None = None
    """The app's client secret, which signs webhooks (base64 HMAC-SHA256 of the raw body)."""
    page_size: int = MAX_PAGE_SIZE
    brand: str | None = None
    country: str | None = None


class ShopifyStream(HttpStream):
    connector: ShopifyConnector
    paginator = LinkHeaderPaginator()

    def params(self, since: datetime | None) -> dict[str, str]:
        params = {"limit": str(self.connector.settings.page_size)}
        if since is not None:
            params["updated_at_min"] = since.isoformat()
        return params

    def items(self, response: JsonResponse) -> list[Any]:
        """The page's items; every response passes here once, so the call limit is read here."""
        self.connector.throttle.observe(response.headers.get(CALL_LIMIT_HEADER))
        return super().items(response)

    async def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        """The base class's pages, with a pause before a call that would fill the bucket."""
        await self.connector.throttle.pause()
        async for page in super().pages(cursor):
            yield page
            if StreamCursor.load(page.cursor, self.where).next is not None:
                await self.connector.throttle.pause()


class CustomersStream(ShopifyStream):
    name = "customers"
    path = "/customers.json"
    items_path = "customers"

    def to_record(self, item: Mapping[str, Any]) -> SourceRecord:
        return customer_record(item, self.connector.mapping_context)


class OrdersStream(ShopifyStream):
    name = "orders"
    path = "/orders.json"
    items_path = "orders"

    def params(self, since: datetime | None) -> dict[str, str]:
        return {**super().params(since), "status": "any"}

    def to_record(self, item: Mapping[str, Any]) -> SourceRecord:
        return order_record(item, self.connector.mapping_context)


class ShopifyConnector(SignedWebhooks, HttpConnector[ShopifySettings]):
    type_name = "shopify"
    settings_class = ShopifySettings
    description = "Shopify Admin REST API: customers and orders, with webhooks"
    schedule_minutes: ClassVar[int | None] = 15

    def __init__(self, instance: str, settings: ShopifySettings) -> None:
        super().__init__(instance, settings)
        if not settings.base_url.startswith(("https://", "http://")):
            raise ConfigError(
                "key 'base_url': expected https://{shop}.myshopify.com/admin/api/{version}, "
                f"got {settings.base_url!r}"
            )
        if not 1 <= settings.page_size <= MAX_PAGE_SIZE:
            raise ConfigError(
                f"key 'page_size': Shopify pages hold 1 to {MAX_PAGE_SIZE} items, "
                f"got {settings.page_size}"
            )
        self.mapping_context = MappingContext(instance, settings.brand, settings.country)
        self.throttle = CallLimitThrottle()
        """One bucket per app and shop: shared by both streams."""

    def headers(self) -> dict[str, str]:
        return {
            "X-Shopify-Access-Token": self.settings.access_token.reveal(),
            "Accept": "application/json",
        }

    def streams(self, runtime: ConnectorRuntime) -> Sequence[ShopifyStream]:
        return [CustomersStream(self, runtime), OrdersStream(self, runtime)]

    def verify_webhook(self, request: WebhookRequest) -> WebhookEvent:
        secret = self.webhook_secret()
        headers = {key.lower(): value for key, value in request.headers.items()}
        given = headers.get("x-shopify-hmac-sha256")
        if not given:
            raise WebhookRejected(f"{self.instance}: no X-Shopify-Hmac-Sha256 header")
        expected = base64.b64encode(hmac_sha256(secret, request.body)).decode()
        if not signature_matches(expected, given.strip()):
            raise WebhookRejected(f"{self.instance}: X-Shopify-Hmac-Sha256 does not match")
        topic = headers.get("x-shopify-topic")
        event_id = headers.get("x-shopify-event-id") or headers.get("x-shopify-webhook-id")
        if not topic or not event_id:
            raise WebhookRejected(
                f"{self.instance}: a delivery needs X-Shopify-Topic and X-Shopify-Event-Id"
            )
        payload = json_object_body(self.instance, request.body)
        kept = {name: headers[name.lower()] for name in KEPT_HEADERS if name.lower() in headers}
        return WebhookEvent(event_id=event_id, topic=topic, payload=payload, headers=kept)

    async def webhook_page(self, event: WebhookEvent, runtime: ConnectorRuntime) -> Page:
        """The resource a customer or order topic carries; other topics carry nothing to store."""
        if event.topic in CUSTOMER_TOPICS:
            read = customer_record
        elif event.topic in ORDER_TOPICS:
            read = order_record
        else:
            log.info("%s: webhook topic %s ignored", self.instance, event.topic)
            return Page((), None)
        payload = event.payload
        try:
            if not isinstance(payload, Mapping):
                raise RecordError(f"expected an object, got {type(payload).__name__}")
            return Page((read(payload, self.mapping_context),), None)
        except READ_ERRORS as exc:
            source_id = payload.get("id") if isinstance(payload, Mapping) else None
            reason = f"{self.instance}/webhook {event.topic}: {type(exc).__name__}: {exc}"
            kept = payload if isinstance(payload, Mapping) else json.dumps(payload, default=str)
            rejected = Rejected(None if source_id is None else str(source_id), kept, reason)
            return Page((), None, (rejected,))
