"""The push half of the partner contract: signed webhook deliveries, checked against replays.

What we ask partners to send::

    POST <the hub's /webhooks/<instance> URL>
    Content-Type: application/json
    X-Partner-Timestamp: 1717236000                 # Unix seconds when the delivery was signed
    X-Partner-Signature: 5f2c…e1                     # hex HMAC-SHA256, see below

    {"event_id": "evt_01H…", "type": "holding.updated", "data": {<a holding, as in the API>}}

``X-Partner-Signature = hex(HMAC_SHA256(webhook secret, "<X-Partner-Timestamp>.<raw body>"))``.
Signing the timestamp with the body stops a captured delivery from being replayed later: a
delivery whose timestamp is more than five minutes away from our clock is refused, signed or
not. ``event_id`` is the same on every redelivery of one event, so the hub stores it once.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from hub.connector.webhooks import (
    WebhookEvent,
    WebhookRejected,
    WebhookRequest,
    header,
    hmac_sha256,
    json_object_body,
    signature_matches,
)

SIGNATURE_HEADER = "X-Partner-Signature"
TIMESTAMP_HEADER = "X-Partner-Timestamp"
REPLAY_WINDOW_SECONDS = 300
HOLDING_EVENTS = frozenset({"holding.created", "holding.updated"})


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The signature a partner sends for ``body`` signed at ``timestamp`` (hex)."""
    return hmac_sha256(secret, timestamp.encode("ascii") + b"." + body).hex()


def verify_delivery(
    instance: str, secret: str, request: WebhookRequest, now: float | None = None
) -> WebhookEvent:
    """The event of an authentic, fresh delivery; :class:`WebhookRejected` otherwise.

    Messages say what is wrong without the secret or the expected signature.
    """
    stamp = header(request.headers, TIMESTAMP_HEADER)
    given = header(request.headers, SIGNATURE_HEADER)
    if not stamp or not given:
        missing = TIMESTAMP_HEADER if not stamp else SIGNATURE_HEADER
        raise WebhookRejected(f"{instance}: webhook without the {missing} header")
    try:
        signed_at = int(stamp)
    except ValueError:
        raise WebhookRejected(f"{instance}: {TIMESTAMP_HEADER} is not Unix seconds") from None
    skew = (time.time() if now is None else now) - signed_at
    if abs(skew) > REPLAY_WINDOW_SECONDS:
        raise WebhookRejected(
            f"{instance}: webhook signed {abs(skew):.0f}s {'ago' if skew > 0 else 'ahead'}; "
            f"more than {REPLAY_WINDOW_SECONDS}s off is refused as a possible replay"
        )
    if not signature_matches(signature(secret, stamp, request.body), given.strip().lower()):
        raise WebhookRejected(f"{instance}: webhook signature does not match the body")
    body = json_object_body(instance, request.body)
    return WebhookEvent(
        event_id=_text(instance, body, "event_id"),
        topic=_text(instance, body, "type"),
        payload=body,
        headers={TIMESTAMP_HEADER: stamp},
    )


def _text(instance: str, body: Mapping[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise WebhookRejected(f"{instance}: webhook body has no {key!r}")
    return value.strip()
