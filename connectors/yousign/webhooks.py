"""Yousign webhooks: checking a delivery's signature and turning its event into signer records.

Yousign signs each delivery with ``X-Yousign-Signature-256: sha256=<hex HMAC-SHA256 of the raw
body, keyed by the subscription's secret>``. The body carries ``event_id`` (the same on every
retry: the hub's dedup key), ``event_name``, ``event_time`` (Unix seconds, constant across
retries) and ``data.signature_request`` (its signers as ``{id, status}`` only), plus
``data.signer`` for ``signer.*`` events.

Records from an event take ``event_time`` as their version time, so a late or repeated delivery
of an earlier event ("activated" arriving after "done") is older than what is stored and never
rolls a record back. A ``signature_request.*`` event rewrites every signer of the request; their
names and e-mails are fetched from ``GET /signature_requests/{id}/signers``, since the event
lists none.

A signer's signing time is known from its ``signer.done`` event (and, for a request with one
signer, from ``signature_request.done``); a record that does not know it leaves ``signed_at``
out of the activity details rather than saying ``None``. The store replaces a record whole, so
a later event about a request with several signers, or a sync, still drops a stored signing time
(see :mod:`connectors.yousign.stream`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from connectors.yousign.client import fetch_signers
from connectors.yousign.mapping import SignatureRequest, read_request, signer_records
from hub.connector import (
    ConnectorRuntime,
    RecordError,
    WebhookEvent,
    WebhookRejected,
    WebhookRequest,
    header,
    hmac_sha256,
    json_object_body,
    parse_timestamp,
    signature_matches,
)
from hub.connector.http_stream import READ_ERRORS
from hub.records import Page, Rejected

if TYPE_CHECKING:
    from connectors.yousign.connector import YousignConnector

SIGNATURE_HEADER = "X-Yousign-Signature-256"
KEPT_HEADERS = ("X-Yousign-Retry", "X-Yousign-Issued-At")
SIGNATURE_PREFIX = "sha256="


def expected_signature(secret: str, body: bytes) -> str:
    return SIGNATURE_PREFIX + hmac_sha256(secret, body).hex()


def verify_delivery(instance: str, secret: str, request: WebhookRequest) -> WebhookEvent:
    """Check the signature over the raw body, then read the event; never the other way round."""
    given = header(request.headers, SIGNATURE_HEADER)
    if not given:
        raise WebhookRejected(f"{instance}: delivery without an {SIGNATURE_HEADER} header")
    if not signature_matches(expected_signature(secret, request.body), given.strip()):
        raise WebhookRejected(f"{instance}: {SIGNATURE_HEADER} does not match the body")
    payload = json_object_body(instance, request.body)
    event_id, event_name = payload.get("event_id"), payload.get("event_name")
    if not isinstance(event_id, str) or not event_id or not isinstance(event_name, str):
        raise WebhookRejected(f"{instance}: delivery without event_id or event_name")
    kept = {name: value for name in KEPT_HEADERS if (value := header(request.headers, name))}
    return WebhookEvent(event_id=event_id, topic=event_name, payload=payload, headers=kept)


async def event_page(
    connector: YousignConnector, event: WebhookEvent, runtime: ConnectorRuntime
) -> Page:
    """The signer records ``event`` changes; an unreadable event goes to ``Page.rejected``,
    whole whatever part of it was unreadable, so that a replay can read it again."""
    page = await _read_event(connector, event, runtime)
    if not page.rejected:
        return page
    kept = _kept(event.payload)
    return replace(page, rejected=tuple(replace(r, payload=kept) for r in page.rejected))


async def _read_event(
    connector: YousignConnector, event: WebhookEvent, runtime: ConnectorRuntime
) -> Page:
    where = f"{connector.instance}/webhook {event.topic}"
    try:
        payload = event.payload
        if not isinstance(payload, Mapping):
            raise RecordError(f"expected an object, got {type(payload).__name__}")
        event_time = parse_timestamp(payload.get("event_time"), "event_time")
        data = payload.get("data")
        if not isinstance(data, Mapping):
            raise RecordError("data: expected an object")
        request = read_request(data.get("signature_request"))
    except READ_ERRORS as exc:
        return Page((), None, (Rejected(None, _kept(event.payload), f"{where}: {exc}"),))
    if event.topic.startswith("signer."):
        return await _signer_event(connector, runtime, where, event, request, data, event_time)
    if event.topic.startswith("signature_request."):
        return await _request_event(connector, runtime, where, request, event_time)
    return Page((), None)  # an event about something else (approvers, documents): nothing to store


async def _signer_event(
    connector: YousignConnector,
    runtime: ConnectorRuntime,
    where: str,
    event: WebhookEvent,
    request: SignatureRequest,
    data: Mapping[str, Any],
    event_time: datetime,
) -> Page:
    signer = data.get("signer")
    if not isinstance(signer, Mapping) or not isinstance(signer.get("id"), str):
        reason = f"{where}: data.signer: expected a signer with an id"
        return Page((), None, (Rejected(request.id, _kept(event.payload), reason),))
    if not isinstance(signer.get("info"), Mapping):
        fetched = await _fetched_signers(connector, runtime, where, request)
        if isinstance(fetched, Page):
            return fetched
        signer = next(
            (s for s in fetched if isinstance(s, Mapping) and s.get("id") == signer["id"]), signer
        )
    # The signer's own signing time is known only from its signer.done event.
    signed_at = event_time if event.topic == "signer.done" else None
    return _page(connector, where, request, [signer], event_time, signed_at)


async def _request_event(
    connector: YousignConnector,
    runtime: ConnectorRuntime,
    where: str,
    request: SignatureRequest,
    event_time: datetime,
) -> Page:
    fetched = await _fetched_signers(connector, runtime, where, request)
    if isinstance(fetched, Page):
        return fetched
    # A request done by its only signer was signed when it became done.
    signed_at = event_time if request.status == "done" and len(fetched) == 1 else None
    return _page(connector, where, request, fetched, event_time, signed_at)


async def _fetched_signers(
    connector: YousignConnector,
    runtime: ConnectorRuntime,
    where: str,
    request: SignatureRequest,
) -> list[Any] | Page:
    response = await fetch_signers(connector, runtime, request.id, where=where)
    if response is None:
        return Page((), None)
    if not isinstance(response.data, list):
        reason = f"{where}: signers of {request.id}: expected a list"
        return Page((), None, (Rejected(request.id, dict(request.payload), reason),))
    return list(response.data)


def _page(
    connector: YousignConnector,
    where: str,
    request: SignatureRequest,
    signers: list[Any],
    event_time: datetime,
    signed_at: datetime | None,
) -> Page:
    records, rejected = signer_records(
        request,
        signers,
        updated_at=event_time,
        defaults=connector.person_defaults,
        where=where,
        signed_at=signed_at,
    )
    return Page(tuple(records), None, tuple(rejected))


def _kept(payload: Any) -> Mapping[str, Any] | str:
    return payload if isinstance(payload, Mapping) else json.dumps(payload, default=str)
