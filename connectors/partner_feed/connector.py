"""The generic partner feed: products that partners (insurers, banks, telcos) sell to our customers.

There is no standard for this, so the hub publishes a contract (shared/sources.md §4.1) and
partners either serve it over HTTPS or drop CSV files. plugins.toml, one mode per instance::

    [connectors.partners]                 # HTTP pull, several partners behind one feed
    type = "partner_feed"
    base_url = "https://feeds.partner.example"
    api_key = "${PARTNER_FEED_API_KEY}"
    auth = "api_key"                      # X-API-Key: <key>; or "bearer": Authorization: Bearer
    webhook_secret = "${PARTNER_FEED_WEBHOOK_SECRET}"   # optional push, see webhooks.py

    [connectors.acme]                     # CSV drop folder of one partner
    type = "partner_feed"
    path = "/srv/sftp/acme-assur/outbox"  # a folder, or one file
    partner_id = "acme-assur"
    require_done_marker = true            # wait for <file>.done (or <file>.sha256)

The contract, HTTP:

- ``GET /v1/holdings?updated_since=<RFC 3339>&cursor=<opaque>&limit=<1..500>`` →
  ``{"data": [holding, …], "next_cursor": "…" | null}``, oldest change first;
- ``GET /v1/products`` → ``{"data": [product, …]}``, with ``ETag`` and/or ``Last-Modified``
  so that ``If-None-Match`` / ``If-Modified-Since`` get ``304 Not Modified``;
- errors as RFC 7807 ``application/problem+json``; ``429`` with ``Retry-After``;
- webhooks (optional): ``X-Partner-Timestamp`` and ``X-Partner-Signature`` =
  hex HMAC-SHA256 of ``"<timestamp>.<raw body>"``; body ``{"event_id", "type":
  "holding.updated", "data": holding}``; more than 5 minutes of skew is refused.

and CSV: ``{partner}_{feed}_{YYYYMMDDTHHMMSSZ}[_{seq}].csv`` (feeds ``holdings`` and
``products``), UTF-8, RFC 4180, ``,`` delimiter, ``.`` decimals, timestamps ISO 8601 with offset.

A holding: ``holding_id, partner_id, product_id, policy_number (or contract_ref), status
(pending, active, suspended, cancelled, lapsed, expired), start_date, end_date, amount,
currency, frequency, channel, consent_marketing, updated_at`` and its customer:
``partner_customer_ref, email, phone, first_name, last_name, birth_date, postal_code``.
Terminal states are statuses, never deletions. See :mod:`connectors.partner_feed.mapping` for
the record it becomes, :mod:`~connectors.partner_feed.catalog` for the ``products`` cursor and
:mod:`~connectors.partner_feed.drop_files` for the ``holdings`` cursor in CSV mode.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from connectors.partner_feed.api import MAX_LIMIT, HoldingsStream, ProductCatalogStream
from connectors.partner_feed.api import fetch_catalog as fetch_api_catalog
from connectors.partner_feed.catalog import Catalog
from connectors.partner_feed.drop_files import (
    DropCatalogStream,
    DropHoldingsStream,
    read_drop_catalog,
)
from connectors.partner_feed.mapping import HoldingMapper
from connectors.partner_feed.webhooks import HOLDING_EVENTS, verify_delivery
from hub.connector import ConnectorRuntime, HttpConnector, Stream
from hub.connector.webhooks import SignedWebhooks, WebhookEvent, WebhookRequest
from hub.errors import ConfigError
from hub.records import Page, Rejected
from hub.settings import Secret

AUTH_SCHEMES = ("api_key", "bearer")


@dataclass(frozen=True)
class PartnerFeedSettings:
    base_url: str | None = None
    """HTTP mode: the partner API's base URL (no real default: every partner has its own)."""
    path: Path | None = None
    """CSV mode: the drop folder, or a single file."""
    api_key: Secret | None = None
    auth: str = "api_key"
    partner_id: str | None = None
    """Set when the feed is one partner's; unset, holdings name their partner."""
    page_size: int = MAX_LIMIT
    """Holdings per request (HTTP ``limit``, at most 500) or CSV rows per committed page."""
    require_done_marker: bool = False
    holdings_feed: str = "holdings"
    products_feed: str = "products"
    webhook_secret: Secret | None = None
    brand: str | None = None
    country: str | None = None


class PartnerFeedConnector(SignedWebhooks, HttpConnector[PartnerFeedSettings]):
    type_name = "partner_feed"
    settings_class = PartnerFeedSettings
    description = "Partner products held by our customers: JSON API (pull) or CSV drop files"

    def __init__(self, instance: str, settings: PartnerFeedSettings) -> None:
        super().__init__(instance, settings)
        _check(settings)
        self.mapper = HoldingMapper(settings.partner_id, settings.brand, settings.country)
        self.catalog = Catalog()
        """The newest catalog this process has read; the products stream refreshes it."""

    @property
    def http_mode(self) -> bool:
        return self.settings.base_url is not None

    def base_url(self) -> str:
        return (self.settings.base_url or "").rstrip("/")

    def headers(self) -> dict[str, str]:
        key = self.settings.api_key.reveal() if self.settings.api_key else ""
        if self.settings.auth == "bearer":
            return {"Authorization": f"Bearer {key}", "Accept": "application/json"}
        return {"X-API-Key": key, "Accept": "application/json"}

    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        if self.http_mode:
            return [ProductCatalogStream(self, runtime), HoldingsStream(self, runtime)]
        return [DropCatalogStream(self, runtime), DropHoldingsStream(self, runtime)]

    def verify_webhook(self, request: WebhookRequest) -> WebhookEvent:
        return verify_delivery(self.instance, self.webhook_secret(), request)

    async def webhook_page(self, event: WebhookEvent, runtime: ConnectorRuntime) -> Page:
        where = f"{self.instance}/webhook {event.event_id}"
        if event.topic not in HOLDING_EVENTS:
            reason = f"{where}: unknown event type {event.topic!r}"
            return Page((), None, (Rejected(None, event.payload, reason),))
        holding = event.payload.get("data") if isinstance(event.payload, Mapping) else None
        if isinstance(holding, Mapping) and not self._knows_product(holding):
            await self.refresh_catalog(runtime)  # a product launched since the last sync
        records, rejected = self.mapper.read([holding], self.catalog, where)
        # The whole event, not the holding: a replay hands it to webhook_page again.
        kept = tuple(replace(r, payload=event.payload) for r in rejected)
        return Page(tuple(records), None, kept)

    def _knows_product(self, holding: Mapping[str, Any]) -> bool:
        product_id = holding.get("product_id")
        partner = holding.get("partner_id") or self.settings.partner_id
        if not isinstance(product_id, str):
            return True  # nothing to look up
        return self.catalog.lookup(str(partner) if partner else None, product_id) is not None

    async def refresh_catalog(self, runtime: ConnectorRuntime) -> None:
        """Bring the in-memory catalog up to date (conditionally, in HTTP mode)."""
        where = f"{self.instance}/products"
        if self.http_mode:
            self.catalog, _ = await fetch_api_catalog(self, runtime, self.catalog)
        else:
            self.catalog, _ = await asyncio.to_thread(read_drop_catalog, self, self.catalog, where)


def _check(settings: PartnerFeedSettings) -> None:
    if (settings.base_url is None) == (settings.path is None):
        raise ConfigError(
            "keys 'base_url' and 'path': set exactly one of them: base_url to pull the "
            "partner's HTTP API, path for a folder (or file) of CSV drops"
        )
    if settings.base_url is not None:
        if not settings.base_url.startswith(("https://", "http://")):
            raise ConfigError(f"key 'base_url': {settings.base_url!r} is not an http(s) URL")
        if settings.api_key is None:
            raise ConfigError("key 'api_key': missing; the partner API needs a key (or token)")
    elif settings.api_key is not None:
        raise ConfigError("key 'api_key': only used with base_url, not with a CSV path")
    if settings.auth not in AUTH_SCHEMES:
        raise ConfigError(
            f"key 'auth': {settings.auth!r} is not one of {', '.join(map(repr, AUTH_SCHEMES))}"
        )
    if not 1 <= settings.page_size <= MAX_LIMIT:
        raise ConfigError(f"key 'page_size': {settings.page_size} is not between 1 and {MAX_LIMIT}")
    for key in ("partner_id", "holdings_feed", "products_feed"):
        value = getattr(settings, key)
        if value is not None and (not value.strip() or "_" in value or ":" in value):
            raise ConfigError(
                f"key {key!r}: {value!r} must be non-empty, without '_' (it separates the "
                "parts of drop file names) or ':' (it separates partner and holding ids)"
            )
