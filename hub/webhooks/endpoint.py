"""``POST /webhooks/{instance}``: verify the vendor's signature, queue, acknowledge at once.

Vendors give up quickly (Yousign after 0.5 s, Shopify after 5 s), so nothing here waits for
processing: the event is committed to the queue and the worker is woken. A bad or missing
signature gets 401 and nothing is stored; the reason goes to the log, never to the caller.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse

from hub.connector import WebhookRejected, WebhookRequest
from hub.store.errors import StoreError, translate_errors
from hub.webhooks import queue

if TYPE_CHECKING:
    from hub.runtime import Hub

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_EVENT_ID = 255  # the queue's column; no vendor's ids come near it


async def receive_webhook(request: Request) -> JSONResponse:
    hub: Hub = request.app.state.hub
    name = request.path_params["instance"]
    connector = hub.connectors.get(name)
    if connector is None or not connector.accepts_webhooks:
        return JSONResponse({"error": f"no webhook endpoint for {name!r}"}, status_code=404)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return JSONResponse({"error": "body too large"}, status_code=413)
    body = await _read_body(request)
    if body is None:
        return JSONResponse({"error": "body too large"}, status_code=413)
    delivery = WebhookRequest(url=str(request.url), headers=request.headers, body=body)
    try:
        event = connector.verify_webhook(delivery)
    except WebhookRejected as exc:
        log.warning("webhook for %s refused: %s", name, exc)
        return JSONResponse({"error": "webhook verification failed"}, status_code=401)
    if not 0 < len(event.event_id) <= MAX_EVENT_ID:
        log.warning("webhook for %s refused: event id of %d characters", name, len(event.event_id))
        return JSONResponse({"error": "event id missing or too long"}, status_code=400)
    try:
        with translate_errors(f"queueing a webhook for {name}"):
            async with hub.sessions.begin() as session:
                new = await queue.enqueue(session, name, event, body)
    except StoreError as exc:
        # The vendor retries on 5xx: better than acknowledging an event that was not kept.
        log.error("%s", exc)
        return JSONResponse({"error": "could not queue the event; retry later"}, status_code=503)
    worker = getattr(request.app.state, "webhook_worker", None)
    if worker is not None:
        worker.wake()
    return JSONResponse({"status": "queued" if new else "duplicate", "event_id": event.event_id})


async def _read_body(request: Request) -> bytes | None:
    """The body, or None as soon as it grows over :data:`MAX_BODY_BYTES`: a chunked body
    declares no length, and anyone may post here, so it is never read whole first."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
