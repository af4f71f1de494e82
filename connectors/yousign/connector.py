"""The Yousign API v3 connector: contracts subscribed online with an e-signature.

Each signer of a signature request becomes a ``signer`` record (the person as Yousign holds them)
with a SUBSCRIPTION activity for the request (product, status, signing, decline and expiry dates).

plugins.toml::

    [connectors.esign]
    type = "yousign"
    api_key = "${YOUSIGN_API_KEY}"             # a Read-Only key is enough
    webhook_secret = "${YOUSIGN_WEBHOOK_SECRET}" # optional: the webhook subscription's secret
    statuses = ["ongoing", "done", "declined", "expired", "canceled"]
    brand = "lumiere"
    country = "FR"
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from connectors.yousign.mapping import PersonDefaults
from connectors.yousign.stream import SignersStream
from connectors.yousign.webhooks import event_page, verify_delivery
from hub.connector import (
    ConnectorRuntime,
    HttpConnector,
    SignedWebhooks,
    Stream,
    WebhookEvent,
    WebhookRequest,
)
from hub.errors import ConfigError
from hub.records import Page
from hub.settings import Secret

MAX_PAGE_SIZE = 100
# Signature request statuses the list can filter on. A draft is never read: its signers have not
# been asked anything yet, and it may still change entirely.
READABLE_STATUSES = (
    "approval",
    "rejected",
    "ongoing",
    "done",
    "declined",
    "expired",
    "canceled",
    "deleted",
)
DEFAULT_STATUSES = ("ongoing", "done", "declined", "expired", "canceled")


@dataclass(frozen=True)
class YousignSettings:
    api_key: Secret
    base_url: str = "https://api.yousign.app/v3"
    webhook_secret: Secret | None = None
    statuses: list[str] = field(default_factory=lambda: list(DEFAULT_STATUSES))
    """Which signature requests a sync reads, by status."""
    brand: str | None = None
    country: str | None = None
    page_size: int = MAX_PAGE_SIZE


def _check(settings: YousignSettings) -> None:
    if not settings.base_url.startswith(("https://", "http://")):
        raise ConfigError(f"key 'base_url': expected an http(s) URL, got {settings.base_url!r}")
    if not 1 <= settings.page_size <= MAX_PAGE_SIZE:
        raise ConfigError(
            f"key 'page_size': Yousign serves 1 to {MAX_PAGE_SIZE} items a page, "
            f"got {settings.page_size}"
        )
    if not settings.statuses:
        raise ConfigError("key 'statuses': name at least one status to read")
    for status in settings.statuses:
        if status == "draft":
            raise ConfigError("key 'statuses': drafts are never read (no signer was asked yet)")
        if status not in READABLE_STATUSES:
            raise ConfigError(
                f"key 'statuses': unknown status {status!r}; known: {', '.join(READABLE_STATUSES)}"
            )


class YousignConnector(SignedWebhooks, HttpConnector[YousignSettings]):
    type_name = "yousign"
    settings_class = YousignSettings
    description = "Yousign e-signature: signers of signature requests, as subscriptions"
    schedule_minutes = 24 * 60
    """Every sync re-reads every request (one call per request, at 60 calls a minute in
    production), so the scheduled poll is a daily reconciliation; webhooks bring changes."""

    def __init__(self, instance: str, settings: YousignSettings) -> None:
        _check(settings)
        super().__init__(instance, settings)
        self.person_defaults = PersonDefaults(settings.brand, settings.country)

    def headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.settings.api_key.reveal()}",
            "Accept": "application/json",
        }

    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        return [SignersStream(self, runtime)]

    def verify_webhook(self, request: WebhookRequest) -> WebhookEvent:
        return verify_delivery(self.instance, self.webhook_secret(), request)

    async def webhook_page(self, event: WebhookEvent, runtime: ConnectorRuntime) -> Page:
        return await event_page(self, event, runtime)
