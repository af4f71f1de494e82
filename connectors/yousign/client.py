"""What the Yousign connector needs beyond a paginated list: signer fetches, rate-limit pacing,
and the version time of what it reads.

**Version time.** Yousign keeps no ``updated_at`` on a signature request, and the times it does
keep cannot order every change: ``done`` and ``canceled`` carry no date at all, and an expired
request can be reactivated. What orders the versions of a record is *when that state was known
to hold*: for a webhook, its ``event_time``; for a read, the moment Yousign answered, by Yousign's
own clock (the HTTP ``Date`` header, the clock that stamps ``event_time`` too, so the hub's clock
skew never enters). Both are whole seconds. A read in second S may have come just before an event
stamped S, so a read counts as half a second before S: the event wins that tie, and a read one
second later wins over it. The store keeps the newest version, so a late webhook never rolls a
record back, and a sync that sees a newer state always moves it forward. An unchanged payload
stays a no-op whatever its time: the store compares content before time.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from hub.connector import ConnectorRuntime, HttpConnector, JsonResponse, SourceRequestError

log = logging.getLogger(__name__)

READ_BEFORE_EVENT = timedelta(milliseconds=500)
REMAINING_MINUTE = "x-ratelimit-remaining-minute"
MINUTE = 60.0


def server_time(headers: Mapping[str, str]) -> datetime:
    """When Yousign answered, from its ``Date`` header; the local clock if it sent none."""
    value = headers.get("Date")
    if value:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            parsed = None
        if parsed is not None:
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    return datetime.now(UTC)


def read_version(headers: Mapping[str, str]) -> datetime:
    """The version time of a state read in a response with these headers."""
    return server_time(headers) - READ_BEFORE_EVENT


class RatePacer:
    """Waits before the next request once Yousign says the minute's quota is spent.

    Yousign answers 429 without ``Retry-After`` when over its per-minute limit (60 a minute in
    production), and a sync makes one request per signature request. Waiting once for the
    window to pass costs less than a run of 429s, each backing off blindly. The pause is the
    runtime's ``max_delay`` (at most a minute): the longest wait the hub allows between attempts.
    """

    def __init__(self, pause: float) -> None:
        self.pause = pause
        self._spent = False
        self.pauses = 0
        """How many times this pacer waited, for tests and logs."""

    @classmethod
    def for_runtime(cls, runtime: ConnectorRuntime) -> RatePacer:
        return cls(min(MINUTE, runtime.http.policy.max_delay))

    def observe(self, headers: Mapping[str, str]) -> None:
        remaining = headers.get(REMAINING_MINUTE)
        self._spent = remaining is not None and remaining.strip() == "0"

    async def wait(self) -> None:
        if self._spent:
            self._spent = False
            self.pauses += 1
            log.info("yousign: the minute's request quota is spent; pausing %.2fs", self.pause)
            await asyncio.sleep(self.pause)


async def fetch_signers(
    connector: HttpConnector[Any],
    runtime: ConnectorRuntime,
    request_id: str,
    *,
    where: str,
    pacer: RatePacer | None = None,
) -> JsonResponse | None:
    """``GET /signature_requests/{id}/signers``; ``None`` when the request is gone (404)."""
    return await fetch_request(connector, runtime, request_id, "/signers", where=where, pacer=pacer)


async def fetch_request(
    connector: HttpConnector[Any],
    runtime: ConnectorRuntime,
    request_id: str,
    part: str = "",
    *,
    where: str,
    pacer: RatePacer | None = None,
) -> JsonResponse | None:
    """``GET /signature_requests/{id}{part}``; ``None`` when the request is gone (404)."""
    if pacer is not None:
        await pacer.wait()
    url = f"{connector.base_url()}/signature_requests/{quote(request_id, safe='')}{part}"
    try:
        response = await runtime.http.request_json(
            "GET", url, where=where, headers=connector.headers()
        )
    except SourceRequestError as exc:
        if exc.status != 404:
            raise
        # Deleted between the list and this call: nothing left to store.
        log.warning("%s: signature request %s is gone; skipped", where, request_id)
        return None
    if pacer is not None:
        pacer.observe(response.headers)
    return response
