"""Webhook deliveries as a connector sees them, and the signature helpers vendors need.

The hub hands a connector the raw request (:class:`WebhookRequest`); the connector checks the
vendor's signature over the raw body bytes and returns a :class:`WebhookEvent`, or raises
:class:`WebhookRejected`. The hub then stores the event in its durable queue (deduplicated by
``event_id``) and later asks the connector to turn it into records.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hub.errors import HubError


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
