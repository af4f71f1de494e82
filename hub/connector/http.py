"""The HTTP client every connector uses: retries with backoff and jitter, Retry-After, timeouts.

Sources fail in ordinary ways: rate limits (429), overloaded servers (5xx), dropped connections,
slow or truncated responses. Each of those is retried with exponential backoff and full jitter;
a ``Retry-After`` header, when the source sends one, decides the wait instead. What cannot get
better by waiting (a refused token, a bad request) is raised at once with the source's own
message. Messages name the connector instance and never include request headers, where the
credentials are.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
import msgspec
from multidict import CIMultiDictProxy

from hub.errors import ConnectorError

log = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class AuthenticationError(ConnectorError):
    """The source refused the credentials (401/403): waiting will not help, the run stops."""


class SourceRequestError(ConnectorError):
    """The source rejected the request itself (4xx other than auth and rate limits)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class MalformedResponse(ConnectorError):
    """The body could not be read as JSON, even after retrying."""

    def __init__(self, message: str, body: bytes) -> None:
        super().__init__(message)
        self.body = body


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. ``timeout`` bounds one attempt, connection and body included."""

    attempts: int = 8
    base_delay: float = 0.5
    max_delay: float = 60.0
    timeout: float = 30.0


@dataclass(frozen=True)
class JsonResponse:
    status: int
    url: str
    headers: CIMultiDictProxy[str]
    data: Any
    body: bytes = field(repr=False)


Sleep = Callable[[float], Awaitable[None]]


class _Retry(Exception):
    """One attempt failed in a way that may pass; ``wait`` is set when the source said how long."""

    def __init__(self, reason: str, wait: float | None = None, body: bytes = b"") -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.body = body


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: a number (Shopify sends ``2.0``) or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _redacted(text: str, headers: Mapping[str, str] | None) -> str:
    """``text`` without the request's header values: a source that echoes the token it
    refused must not put it in run history."""
    for value in (headers or {}).values():
        for secret in (value, value.partition(" ")[2]):
            if len(secret) >= 8:
                text = text.replace(secret, "[redacted]")
    return text


def _source_message(body: bytes) -> str:
    """The source's own error text, short: vendors put it in errors/detail/message/title."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return text[:200]
    if isinstance(data, dict):
        for key in ("errors", "detail", "message", "title", "error"):
            if key in data:
                return json.dumps(data[key], ensure_ascii=False)[:200]
    return text[:200]


_JSON_DECODER = msgspec.json.Decoder()


def _parse_json(body: bytes) -> Any:
    """The body's JSON value, as ``json.loads`` reads it. msgspec reads a page two to three
    times faster, integers of any size included; what it refuses (NaN, a UTF-16 body, a lone
    surrogate) the standard library reads or rejects with its own error."""
    try:
        return _JSON_DECODER.decode(body)
    except msgspec.DecodeError:
        return json.loads(body)


class HttpClient:
    """A retrying JSON client over one shared :class:`aiohttp.ClientSession`."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        policy: RetryPolicy | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.session = session
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._rng = rng
        self.retries = 0
        """Attempts retried since this client was made, for run history."""

    def backoff(self, attempt: int) -> float:
        """Full jitter: a random wait up to base·2^attempt, capped (AWS architecture blog)."""
        ceiling = min(self.policy.max_delay, self.policy.base_delay * (2**attempt))
        return float(self._rng() * ceiling)

    async def request_json(
        self,
        method: str,
        url: str,
        *,
        where: str,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> JsonResponse:
        """Send the request until it succeeds or the policy gives up; parse the JSON body.

        ``where`` names the caller in every message (``"shop/customers"``).
        """
        last = "no attempt made"
        body = b""
        for attempt in range(self.policy.attempts):
            try:
                return await self._attempt(method, url, where, params, json_body, headers)
            except _Retry as retry:
                last = retry.reason
                body = retry.body
                if attempt + 1 == self.policy.attempts:
                    break
                wait = retry.wait if retry.wait is not None else self.backoff(attempt)
                wait = min(wait, self.policy.max_delay)
                self.retries += 1
                log.warning("%s: %s; retrying in %.2fs", where, retry.reason, wait)
                await self._sleep(wait)
        message = f"{where}: gave up after {self.policy.attempts} attempts; last: {last}"
        if last.startswith("malformed"):
            raise MalformedResponse(message, body)
        raise ConnectorError(message)

    async def _attempt(
        self,
        method: str,
        url: str,
        where: str,
        params: Mapping[str, str] | None,
        json_body: Any,
        headers: Mapping[str, str] | None,
    ) -> JsonResponse:
        timeout = aiohttp.ClientTimeout(total=self.policy.timeout)
        try:
            async with self.session.request(
                method, url, params=params, json=json_body, headers=headers, timeout=timeout
            ) as response:
                body = await response.read()
                status, response_headers, final_url = (
                    response.status,
                    response.headers,
                    response.url,
                )
        except TimeoutError:
            raise _Retry(f"no answer within {self.policy.timeout:g}s") from None
        except aiohttp.ClientError as exc:
            raise _Retry(f"connection problem: {type(exc).__name__}: {exc}") from None
        if status >= 400:
            message = _redacted(_source_message(body), headers)
        if status in RETRYABLE_STATUSES:
            wait = retry_after_seconds(response_headers.get("Retry-After"))
            raise _Retry(f"HTTP {status} {message}", wait)
        if status in (401, 403):
            raise AuthenticationError(
                f"{where}: the source refused the credentials (HTTP {status}): "
                f"{message}; check the token or key in this instance's settings"
            )
        if status >= 400:
            raise SourceRequestError(
                f"{where}: the source rejected the request (HTTP {status}): {message}", status
            )
        try:
            data = _parse_json(body) if body.strip() else None
        except ValueError as exc:
            # A truncated body is usually a dropped connection: worth another attempt.
            raise _Retry(f"malformed JSON body ({exc}) from {final_url.path}", body=body) from None
        return JsonResponse(status, str(final_url), response_headers, data, body)
