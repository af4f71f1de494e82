"""Acme Loyalty members: one declarative HTTP stream with page-number pagination, and webhooks.

The API (as its sandbox serves it)::

    GET /members?updated_since=<ISO 8601>&page=<n>&per_page=<≤100>
    Authorization: Bearer <token>
    → {"members": [...], "page": n, "pages": total}

Webhooks carry ``X-Acme-Event-Id`` and ``X-Acme-Signature: sha256=<hex HMAC-SHA256 of the
raw body>``; the body is ``{"event": "member.updated", "member": {...}}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from hub.connector import (
    ConnectorRuntime,
    HttpConnector,
    HttpStream,
    JsonResponse,
    Paginator,
    Request,
    SignedWebhooks,
    Stream,
    WebhookEvent,
    WebhookRejected,
    WebhookRequest,
    hmac_sha256,
    json_object_body,
    optional_text,
    parse_timestamp,
    signature_matches,
)
from hub.connector.mapping import require_id
from hub.errors import ConfigError
from hub.records import Identifier, IdentifierKind, Page, SourceRecord
from hub.settings import Secret


@dataclass(frozen=True)
class AcmeSettings:
    base_url: str
    token: Secret
    webhook_secret: Secret | None = None
    page_size: int = 100
    brand: str | None = None


class PageNumberPaginator(Paginator):
    """Acme numbers its pages; the next page is the same request with ``page`` + 1."""

    def next_token(self, response: JsonResponse) -> str | None:
        data = response.data if isinstance(response.data, dict) else {}
        page, pages = data.get("page"), data.get("pages")
        if isinstance(page, int) and isinstance(pages, int) and page < pages:
            return str(page + 1)
        return None

    def follow(self, first: Request, token: str) -> Request:
        return replace(first, params={**first.params, "page": token})


class MembersStream(HttpStream):
    name = "members"
    path = "/members"
    items_path = "members"
    paginator = PageNumberPaginator()

    def params(self, since: datetime | None) -> dict[str, str]:
        params = {"page": "1", "per_page": str(self.connector.settings.page_size)}
        if since is not None:
            params["updated_since"] = since.isoformat()
        return params

    def to_record(self, item: Mapping[str, Any]) -> SourceRecord:
        return member_record(self.connector.instance, self.connector.settings, item)


def member_record(instance: str, settings: AcmeSettings, item: Mapping[str, Any]) -> SourceRecord:
    member_id = require_id(item, "member_id")
    person = {
        key: value
        for key, value in (
            ("first_name", optional_text(item, "given_name")),
            ("last_name", optional_text(item, "family_name")),
            ("email", optional_text(item, "email")),
            ("phone", optional_text(item, "mobile")),
            ("postcode", optional_text(item, "postcode")),
            ("country", optional_text(item, "country")),
            ("brand", settings.brand),
        )
        if value
    }
    identifiers = [Identifier(IdentifierKind.SOURCE_CUSTOMER_ID, f"{instance}:{member_id}")]
    for kind, key in (
        (IdentifierKind.EMAIL, "email"),
        (IdentifierKind.PHONE, "mobile"),
        (IdentifierKind.LOYALTY_CARD, "card_number"),
    ):
        value = optional_text(item, key)
        if value:
            identifiers.append(Identifier(kind, value))
    return SourceRecord(
        entity="member",
        source_id=member_id,
        payload=dict(item),
        updated_at=parse_timestamp(item.get("updated"), "updated"),
        person=person,
        identifiers=tuple(identifiers),
    )


class AcmeLoyaltyConnector(SignedWebhooks, HttpConnector[AcmeSettings]):
    type_name = "acme_loyalty"
    settings_class = AcmeSettings
    description = "Acme Loyalty members (example third-party plugin)"

    def __init__(self, instance: str, settings: AcmeSettings) -> None:
        super().__init__(instance, settings)
        if not 1 <= settings.page_size <= 100:
            raise ConfigError("key 'page_size': Acme serves 1 to 100 members a page")

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.token.reveal()}"}

    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        return [MembersStream(self, runtime)]

    def verify_webhook(self, request: WebhookRequest) -> WebhookEvent:
        secret = self.webhook_secret()  # WebhookRejected when the instance has none
        expected = "sha256=" + hmac_sha256(secret, request.body).hex()
        if not signature_matches(expected, request.headers.get("X-Acme-Signature")):
            raise WebhookRejected(f"{self.instance}: bad or missing X-Acme-Signature")
        event_id = request.headers.get("X-Acme-Event-Id")
        if not event_id:
            raise WebhookRejected(f"{self.instance}: no X-Acme-Event-Id header")
        payload = json_object_body(self.instance, request.body)
        return WebhookEvent(event_id, str(payload.get("event", "")), payload)

    async def webhook_page(self, event: WebhookEvent, runtime: ConnectorRuntime) -> Page:
        stream = MembersStream(self, runtime)
        member = event.payload.get("member") if isinstance(event.payload, dict) else None
        records, rejected = stream.read_items([member])
        if rejected:  # keep the whole event so that a replay can run it again
            rejected = [replace(r, payload=event.payload) for r in rejected]
        return Page(tuple(records), None, tuple(rejected))
