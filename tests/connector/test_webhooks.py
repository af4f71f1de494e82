"""Signature helpers for connectors that receive webhooks, and how a quarantined webhook
payload finds its way back to the connector on replay."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from hub.connector import (
    Connector,
    ConnectorRuntime,
    WebhookEvent,
    WebhookRejected,
    WebhookRequest,
    hmac_sha256,
    signature_matches,
)
from hub.connector.base import Stream
from hub.records import Page, SourceRecord


def test_hmac_sha256_is_the_standard_one() -> None:
    # RFC 4231, test case 2.
    digest = hmac_sha256("Jefe", b"what do ya want for nothing?")
    assert digest.hex() == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert hmac_sha256(b"Jefe", b"what do ya want for nothing?") == digest


def test_signature_matches_only_the_same_text() -> None:
    expected = base64.b64encode(hmac_sha256("shpss_secret", b'{"id":1}')).decode()
    assert signature_matches(expected, expected)
    assert not signature_matches(expected, expected[:-2] + "AA")
    assert not signature_matches(expected, "")
    assert not signature_matches(expected, None)


@dataclass(frozen=True)
class NoSettings:
    pass


class WebhookConnector(Connector[NoSettings]):
    type_name = "hooks"
    settings_class = NoSettings

    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        return []

    async def webhook_page(self, event: WebhookEvent, runtime: ConnectorRuntime) -> Page:
        record = SourceRecord("customer", str(event.payload["id"]), event.payload)
        return Page((record,), None)


async def test_a_quarantined_webhook_payload_is_replayed_through_webhook_page(
    runtime: ConnectorRuntime,
) -> None:
    connector = WebhookConnector("shop", NoSettings())
    page = await connector.replay("webhook:customers/update", json.dumps({"id": 7}), runtime)
    assert [(r.source_id, r.payload) for r in page.records] == [("7", {"id": 7})]
    with pytest.raises(LookupError, match="shop has no stream 'orders' any more"):
        await connector.replay("orders", "{}", runtime)


def test_a_connector_receives_no_webhooks_unless_it_says_so() -> None:
    connector = WebhookConnector("shop", NoSettings())
    assert not connector.accepts_webhooks
    request = WebhookRequest("https://hub.example/webhooks/shop", {}, b"{}")
    with pytest.raises(WebhookRejected, match="shop does not receive webhooks"):
        connector.verify_webhook(request)
