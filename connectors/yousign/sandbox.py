"""A fake of the Yousign API v3 (the parts the hub reads), for tests, demos and benchmarks.

- ``GET /v3/signature_requests``: filters ``status[in]=a,b`` / ``status[eq]=a`` (and the older
  plain ``status=a``), ``limit`` 1 to 100 (400 above), ``after`` cursor; answers
  ``{"meta": {"next_cursor": …|null}, "data": [...]}``.
- ``GET /v3/signature_requests/{id}`` and ``GET /v3/signature_requests/{id}/signers`` (a bare
  JSON array of full signers).
- ``Authorization: Bearer <key>``; errors are ``{"type", "detail"}`` (401, 400, 404, 429, 5xx).
- A per-minute and per-hour request quota, reported in ``x-ratelimit-limit-minute`` /
  ``x-ratelimit-remaining-minute`` (and ``-hour``); over it, 429 *without* ``Retry-After``,
  as Yousign does. Generous by default; tests tighten it.
- Webhooks signed as Yousign signs them: ``X-Yousign-Signature-256: sha256=<hex HMAC-SHA256 of
  the raw body>``, with ``X-Yousign-Retry``, ``X-Yousign-Issued-At`` and the Yousign user agent.

The data and the lifecycle moves live in :class:`~connectors.yousign.sandbox_data.SignatureRequests`
(``sandbox.requests``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from connectors.yousign.sandbox_data import STATUSES, SignatureRequests, YousignEvent
from hub.sandbox import (
    Faults,
    Population,
    Sandbox,
    SandboxConfig,
    WebhookDelivery,
    faults_middleware,
    install_faults,
)
from hub.sandbox.faults import ADMIN_PREFIX, json_body

MAX_LIMIT = 100
SUBSCRIPTION_ID = "3c0d3a0e-2f9b-4f6e-8a61-7d2b1c5e4f90"
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "not_found",
    429: "too_many_requests",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error_body(status: int, detail: str) -> dict[str, str]:
    return {"type": ERROR_TYPES.get(status, "internal_error"), "detail": detail}


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(body=json_body(data), status=status, content_type="application/json")


def _error(status: int, detail: str) -> web.Response:
    return _json(error_body(status, detail), status)


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"sr:{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    prefix, _, number = text.partition(":")
    return int(number) if prefix == "sr" and number.isdigit() else None


@dataclass
class RateWindow:
    """A fixed window of ``limit`` requests per ``seconds``."""

    limit: int
    seconds: float
    started: float = 0.0
    used: int = 0

    def take(self, now: float) -> bool:
        if now - self.started >= self.seconds:
            self.started, self.used = now, 0
        if self.used >= self.limit:
            return False
        self.used += 1
        return True

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


class YousignSandbox(Sandbox):
    connector_type = "yousign"
    api_key = "ys_sandbox_3f9a7c2e"
    # The sandbox's well-known test credentials, handed to the hub through config().
    webhook_secret = "ys_whsec_sandbox_8d1b"

    def __init__(
        self,
        population: Population,
        *,
        faults: Faults | None = None,
        share: float = 0.15,
        per_minute: int = 100_000,
        per_hour: int | None = None,
        minute: float = 60.0,
    ) -> None:
        """``per_minute``/``per_hour``: request quotas; ``minute``: the window's length in
        seconds (tests shrink it); the hour window is sixty of them."""
        super().__init__(population, faults=faults)
        self.requests = SignatureRequests(population, share=share)
        self.minute_window = RateWindow(per_minute, minute)
        self.hour_window = RateWindow(per_hour or 20 * per_minute, 60 * minute)

    # -- the application -----------------------------------------------------------------------

    def create_app(self) -> web.Application:
        app = web.Application(
            middlewares=[
                faults_middleware(error_body, sends_retry_after=False),
                self._quota_and_auth,
            ]
        )
        install_faults(app, self.faults)
        app.router.add_get("/v3/signature_requests", self._list)
        app.router.add_get("/v3/signature_requests/{id}", self._get)
        app.router.add_get("/v3/signature_requests/{id}/signers", self._signers)
        return app

    @web.middleware
    async def _quota_and_auth(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(ADMIN_PREFIX):
            return await handler(request)
        now = time.monotonic()
        within = self.minute_window.take(now) and self.hour_window.take(now)
        response: web.StreamResponse
        if not within:
            response = _error(429, "Too many requests")
        elif request.headers.get("Authorization") != f"Bearer {self.api_key}":
            response = _error(401, "Unauthorized: invalid or missing API key")
        else:
            response = await handler(request)
        for name, window in (("minute", self.minute_window), ("hour", self.hour_window)):
            response.headers[f"x-ratelimit-limit-{name}"] = str(window.limit)
            response.headers[f"x-ratelimit-remaining-{name}"] = str(window.remaining)
        return response

    async def _list(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            limit = int(query.get("limit", str(MAX_LIMIT)))
        except ValueError:
            return _error(400, "limit: This value should be a valid number.")
        if not 1 <= limit <= MAX_LIMIT:
            return _error(400, f"limit: This value should be between 1 and {MAX_LIMIT}.")
        statuses = _status_filter(query)
        unknown = sorted(set(statuses or ()) - set(STATUSES))
        if unknown:
            return _error(400, f"status: The value {unknown[0]!r} is not a valid choice.")
        after = query.get("after")
        position = 0 if after is None else decode_cursor(after)
        if position is None:
            return _error(400, "after: This cursor is not valid.")
        items, next_position = self.requests.page(statuses, position, limit)
        next_cursor = None if next_position is None else encode_cursor(next_position)
        if after is not None and self.faults.take("repeat_token"):
            next_cursor = after
        return _json({"meta": {"next_cursor": next_cursor}, "data": items})

    async def _get(self, request: web.Request) -> web.Response:
        found = self.requests.by_id.get(request.match_info["id"])
        return _json(found) if found else _error(404, "Signature Request not found.")

    async def _signers(self, request: web.Request) -> web.Response:
        found = self.requests.signers.get(request.match_info["id"])
        return _json(found) if found is not None else _error(404, "Signature Request not found.")

    # -- the hub's side ------------------------------------------------------------------------

    def config(self, base_url: str, instance: str) -> SandboxConfig:
        prefix = "YOUSIGN_" + instance.upper().replace("-", "_")
        key_var, secret_var = f"{prefix}_API_KEY", f"{prefix}_WEBHOOK_SECRET"
        return SandboxConfig(
            table={
                "type": self.connector_type,
                "base_url": f"{base_url.rstrip('/')}/v3",
                "api_key": f"${{{key_var}}}",
                "webhook_secret": f"${{{secret_var}}}",
            },
            env={key_var: self.api_key, secret_var: self.webhook_secret},
        )

    def webhook(
        self, topic: str, resource: Any, *, target_url: str, retry: int = 0
    ) -> WebhookDelivery:
        """A delivery of ``resource``: a :class:`YousignEvent` a lifecycle move returned, or a
        request id (the request as it is now). ``retry`` is Yousign's attempt number."""
        if isinstance(resource, YousignEvent):
            event = resource
        else:
            event = self.requests.event_now(topic, str(resource))
        if event.event_name != topic:
            raise ValueError(f"event {event.event_id} is {event.event_name}, not {topic}")
        body = json_body(
            {
                "event_id": event.event_id,
                "event_name": event.event_name,
                "event_time": str(event.event_time),
                "subscription_id": SUBSCRIPTION_ID,
                "subscription_description": "Customer 360 hub",
                "sandbox": False,
                "data": event.data,
            }
        )
        digest = hmac.new(self.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Yousign Webhook Bot",
            "X-Yousign-Signature-256": f"sha256={digest}",
            "X-Yousign-Retry": str(retry),
            "X-Yousign-Issued-At": str(int(time.time())),
        }
        return WebhookDelivery(headers, body)

    def webhook_samples(self) -> list[tuple[str, Any]]:
        ongoing = self.requests.ids("ongoing")
        if not ongoing:
            return []
        topic = "signature_request.activated"
        return [(topic, self.requests.event_now(topic, ongoing[0]))]


def _status_filter(query: Any) -> list[str] | None:
    for key in ("status[in]", "status[eq]", "status"):
        if key in query:
            return [s.strip() for s in query[key].split(",") if s.strip()]
    return None
