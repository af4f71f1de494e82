"""The Square connector: customers, orders (POS receipts and other orders) and loyalty accounts.

plugins.toml::

    [connectors.tills]
    type = "square"
    access_token = "${SQUARE_TOKEN}"
    square_version = "2024-10-17"        # pins the API version (Square-Version header)
    location_ids = []                    # empty: every location of the merchant
    webhook_secret = "${SQUARE_SIGNATURE_KEY}"
    webhook_url = "https://hub.example.com/webhooks/tills"   # exactly as entered in Square
    brand = "lumiere"
    country = "FR"

Webhooks: Square signs the notification URL followed by the raw body with the subscription's
signature key. Behind a proxy the hub may see another URL than the one Square posted to, hence
``webhook_url``; without it the URL of the request is used.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from connectors.square.mapping import MappingContext, customer_record, order_record
from connectors.square.streams import CustomersStream, LoyaltyAccountsStream, OrdersStream
from hub.connector import (
    ConnectorRuntime,
    HttpConnector,
    RecordError,
    SignedWebhooks,
    Stream,
    WebhookEvent,
    WebhookRejected,
    WebhookRequest,
    header,
    hmac_sha256,
    json_object_body,
    signature_matches,
)
from hub.connector.http_stream import READ_ERRORS
from hub.errors import ConfigError, ConnectorError
from hub.records import Page, Rejected, SourceRecord
from hub.settings import Secret

SIGNATURE_HEADER = "x-square-hmacsha256-signature"
_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CUSTOMER_TOPICS = frozenset({"customer.created", "customer.updated"})
ORDER_TOPICS = {"order.created": "order_created", "order.updated": "order_updated"}
"""Order events carry only a summary under this key: the order itself is fetched."""
Mapper = Callable[[Mapping[str, Any], MappingContext], SourceRecord]


@dataclass(frozen=True)
class SquareSettings:
    access_token: Secret
    base_url: str = "https://connect.squareup.com/v2"
    square_version: str = "2024-10-17"
    location_ids: list[str] = field(default_factory=list)
    webhook_secret: Secret | None = None
    webhook_url: str | None = None
    page_size: int = 1000
    """The largest page asked for; each endpoint caps it (customers 100, loyalty 200, orders
    1000)."""
    brand: str | None = None
    country: str | None = None


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class SquareConnector(SignedWebhooks, HttpConnector[SquareSettings]):
    type_name = "square"
    settings_class = SquareSettings
    description = "Square: customers, till receipts and orders, loyalty accounts"
    schedule_minutes = 15

    def __init__(self, instance: str, settings: SquareSettings) -> None:
        super().__init__(instance, settings)
        if not _is_http_url(settings.base_url):
            raise ConfigError(f"key 'base_url': {settings.base_url!r} is not an http(s) URL")
        if not _VERSION.match(settings.square_version):
            raise ConfigError(
                f"key 'square_version': {settings.square_version!r} is not a Square API "
                'version (YYYY-MM-DD, e.g. "2024-10-17")'
            )
        if not 1 <= settings.page_size <= 1000:
            raise ConfigError(f"key 'page_size': {settings.page_size} is not between 1 and 1000")
        if any(not location.strip() for location in settings.location_ids):
            raise ConfigError("key 'location_ids': a location id is empty")
        if settings.webhook_url is not None and not _is_http_url(settings.webhook_url):
            raise ConfigError(f"key 'webhook_url': {settings.webhook_url!r} is not an http(s) URL")
        self.mapping_context = MappingContext(instance, settings.brand, settings.country)

    def headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.settings.access_token.reveal()}",
            "Square-Version": self.settings.square_version,
            "Accept": "application/json",
        }

    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        return [
            CustomersStream(self, runtime),
            OrdersStream(self, runtime),
            LoyaltyAccountsStream(self, runtime),
        ]

    async def location_ids(self, runtime: ConnectorRuntime) -> list[str]:
        """The configured locations, or every location of the merchant (active or not: a
        closed store's past sales still belong to its customers)."""
        if self.settings.location_ids:
            return sorted(dict.fromkeys(self.settings.location_ids))
        where = f"{self.instance}/locations"
        response = await runtime.http.request_json(
            "GET", f"{self.base_url()}/locations", where=where, headers=self.headers()
        )
        data = response.data if isinstance(response.data, dict) else {}
        locations = data.get("locations") or []
        if not isinstance(locations, list):
            raise ConnectorError(f"{where}: expected a list at 'locations'")
        ids = [str(loc["id"]) for loc in locations if isinstance(loc, dict) and loc.get("id")]
        return sorted(dict.fromkeys(ids))

    # Webhooks ---------------------------------------------------------------------------

    def verify_webhook(self, request: WebhookRequest) -> WebhookEvent:
        secret = self.webhook_secret()
        given = header(request.headers, SIGNATURE_HEADER)
        if not given:
            raise WebhookRejected(f"{self.instance}: missing {SIGNATURE_HEADER} header")
        url = self.settings.webhook_url or request.url
        digest = hmac_sha256(secret, url.encode("utf-8") + request.body)
        if not signature_matches(base64.b64encode(digest).decode("ascii"), given):
            raise WebhookRejected(
                f"{self.instance}: signature does not match the body signed for {url} "
                "(is webhook_url the notification URL exactly as configured in Square?)"
            )
        payload = json_object_body(self.instance, request.body)
        event_id, topic = payload.get("event_id"), payload.get("type")
        if not isinstance(event_id, str) or not event_id or not isinstance(topic, str):
            raise WebhookRejected(f"{self.instance}: the event has no event_id or type")
        return WebhookEvent(event_id=event_id, topic=topic, payload=payload)

    async def webhook_page(self, event: WebhookEvent, runtime: ConnectorRuntime) -> Page:
        data = event.payload.get("data") if isinstance(event.payload, dict) else None
        found = data.get("object") if isinstance(data, dict) else None
        event_object = found if isinstance(found, dict) else {}
        if event.topic in CUSTOMER_TOPICS:
            return self._read([event_object.get("customer")], customer_record, event)
        if event.topic in ORDER_TOPICS:
            summary = event_object.get(ORDER_TOPICS[event.topic])
            order_id = summary.get("order_id") if isinstance(summary, dict) else None
            order_id = order_id or (data.get("id") if isinstance(data, dict) else None)
            if not isinstance(order_id, str) or not order_id:
                reason = f"{self.instance}/webhook: {event.topic} event without an order_id"
                return Page((), None, (Rejected(None, event.payload, reason),))
            orders = await self._retrieve_orders([order_id], runtime)
            return self._read(orders, order_record, event)
        return Page((), None)  # a topic the hub does not subscribe to: nothing to store

    async def _retrieve_orders(self, order_ids: list[str], runtime: ConnectorRuntime) -> list[Any]:
        where = f"{self.instance}/webhook"
        response = await runtime.http.request_json(
            "POST",
            f"{self.base_url()}/orders/batch-retrieve",
            where=where,
            json_body={"order_ids": order_ids},
            headers=self.headers(),
        )
        orders = response.data.get("orders") if isinstance(response.data, dict) else None
        if orders is not None and not isinstance(orders, list):
            raise ConnectorError(f"{where}: expected a list at 'orders'")
        return orders or []  # an order Square no longer returns: nothing to store

    def _read(self, items: list[Any], mapper: Mapper, event: WebhookEvent) -> Page:
        records: list[SourceRecord] = []
        rejected: list[Rejected] = []
        for item in items:
            try:
                if not isinstance(item, Mapping):
                    raise RecordError(f"{event.topic}: expected an object, got {item!r:.60}")
                records.append(mapper(item, self.mapping_context))
            except READ_ERRORS as exc:
                source_id = item.get("id") if isinstance(item, Mapping) else None
                reason = f"{self.instance}/webhook {event.event_id}: {type(exc).__name__}: {exc}"
                key = None if source_id is None else str(source_id)
                # The whole event, not the item: a replay hands it to webhook_page again.
                rejected.append(Rejected(key, event.payload, reason))
        return Page(tuple(records), None, tuple(rejected))
