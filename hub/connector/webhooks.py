"""Webhook deliveries as a connector sees them, and the signature helpers vendors need.

The hub hands a connector the raw request (:class:`WebhookRequest`); the connector checks the
vendor's signature over the raw body bytes and returns a :class:`WebhookEvent`, or raises
:class:`WebhookRejected`. The hub then stores the event in its durable queue (deduplicated by
``event_id``) and later asks the connector to turn it into records.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from hub.errors import HubError
from hub.settings import Secret


class WebhookRejected(HubError):
    """The delivery is not authentic or not readable; the hub answers 401 and stores nothing.

    The message is for the hub's log; it never contains the secret or the expected signature.
    """


@dataclass(frozen=True)
class WebhookRequest:
    url: str
    """The URL the vendor posted to, as the hub saw it (Square signs it)."""
    headers: Mapping[str, str]
    """Case-insensitive request headers."""
    body: bytes = field(repr=False)


@dataclass(frozen=True)
class WebhookEvent:
    event_id: str
    """The vendor's id of the event: redeliveries of one event share it."""
    topic: str
    payload: Any
    """The parsed JSON body."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Headers worth keeping for processing (topic, trigger time); never the signature."""


def hmac_sha256(secret: str | bytes, message: bytes) -> bytes:
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, message, hashlib.sha256).digest()


def signature_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison, so the time taken reveals nothing about the expected value."""
    return hmac.compare_digest(expected.encode(), (given or "").encode())


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name whatever its case, from any mapping (aiohttp's or a plain dict)."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


def json_object_body(instance: str, body: bytes) -> dict[str, Any]:
    """A delivery's body read as a JSON object; :class:`WebhookRejected` when it is not one.

    Read it only after the signature over these very bytes has been checked.
    """
    try:
        payload = json.loads(body)
    except ValueError:
        raise WebhookRejected(f"{instance}: webhook body is not JSON") from None
    if not isinstance(payload, dict):
        raise WebhookRejected(f"{instance}: webhook body is not a JSON object")
    return payload


class WebhookSecretSettings(Protocol):
    @property
    def webhook_secret(self) -> Secret | None:
        """The secret the vendor signs deliveries with; ``None``: the instance takes none."""


class _SignedConnector(Protocol):
    @property
    def instance(self) -> str: ...

    @property
    def settings(self) -> WebhookSecretSettings: ...


class SignedWebhooks:
    """For a connector whose settings have an optional ``webhook_secret``: it accepts webhooks
    exactly when the secret is set. List it before the connector base class::

        class AcmeLoyaltyConnector(SignedWebhooks, HttpConnector[AcmeSettings]):
            def verify_webhook(self, request: WebhookRequest) -> WebhookEvent:
                secret = self.webhook_secret()  # raises WebhookRejected when there is none
                ...
    """

    @property
    def accepts_webhooks(self: _SignedConnector) -> bool:
        return self.settings.webhook_secret is not None

    def webhook_secret(self: _SignedConnector) -> str:
        """The secret, revealed; :class:`WebhookRejected` when the instance has none."""
        secret = self.settings.webhook_secret
        if secret is None:
            raise WebhookRejected(
                f"{self.instance} has no webhook_secret configured: it does not receive webhooks"
            )
        return secret.reveal()
