"""Faults on demand: what real sources do on a bad day, switched on per test.

Counters fail the next N requests; ratios fail a seeded random share of them (a "storm").
``POST /_sandbox/faults`` with a JSON object sets the same fields over HTTP, and
``GET /_sandbox/stats`` tells how many requests were answered with which status.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

ErrorBody = Callable[[int, str], Any]
"""The vendor's error document for a status and a message."""

ADMIN_PREFIX = "/_sandbox/"

_VALUE_KINDS: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (int, float),
    "float | None": (int, float, type(None)),
}
"""What ``POST /_sandbox/faults`` accepts for each field's annotation."""


@dataclass
class Faults:
    rate_limit: int = 0
    """The next N requests answer 429."""
    server_errors: int = 0
    """The next N requests answer 500, 502 or 503."""
    slow: int = 0
    """The next N requests wait ``delay`` seconds before answering."""
    delay: float = 2.0
    truncate: int = 0
    """The next N JSON bodies are cut in the middle."""
    malformed: int = 0
    """The next N bodies are not JSON at all."""
    repeat_token: int = 0
    """The next N pages hand out the page token of the page just served (sandbox paginators)."""
    rate_limit_ratio: float = 0.0
    server_error_ratio: float = 0.0
    retry_after: float | None = 0.05
    """Seconds sent in ``Retry-After`` with a 429 (for vendors that send it); ``None``: omit."""
    seed: int = 0
    stats: Counter[int] = field(default_factory=Counter)
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        self._rng.seed(self.seed)

    def take(self, name: str) -> bool:
        """Use one unit of the counter ``name``; True when the fault applies to this request."""
        left = getattr(self, name)
        if left > 0:
            setattr(self, name, left - 1)
            return True
        return False

    def roll(self, ratio: float) -> bool:
        return ratio > 0 and self._rng.random() < ratio

    def update(self, changes: dict[str, Any]) -> None:
        names = {f.name: f for f in dataclasses.fields(self) if not f.name.startswith("_")}
        names.pop("stats")
        # All checked before any is set: a refused update changes nothing.
        for key, value in changes.items():
            if key not in names:
                raise ValueError(f"unknown fault {key!r}; known: {', '.join(sorted(names))}")
            # A string stored here would fail every later request with a TypeError (a 500).
            kinds = _VALUE_KINDS.get(str(names[key].type), (object,))
            if isinstance(value, bool) or not isinstance(value, kinds):
                raise ValueError(f"fault {key!r}: expected {names[key].type}, got {value!r}")
        for key, value in changes.items():
            setattr(self, key, value)
        if "seed" in changes:
            self._rng.seed(self.seed)


FAULTS = web.AppKey("faults", Faults)


def faults_middleware(error_body: ErrorBody, *, sends_retry_after: bool) -> Any:
    """A middleware applying ``app[FAULTS]``; ``error_body`` shapes errors as the vendor does."""

    @web.middleware
    async def middleware(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path.startswith(ADMIN_PREFIX):
            return await handler(request)
        faults = request.app[FAULTS]
        try:
            response = await _faulty(request, handler, faults, error_body, sends_retry_after)
        except web.HTTPException as exc:  # raise web.HTTPUnauthorized(), unknown routes (404)
            faults.stats[exc.status] += 1
            raise
        faults.stats[response.status] += 1
        return response

    return middleware


async def _faulty(
    request: web.Request,
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    faults: Faults,
    error_body: ErrorBody,
    sends_retry_after: bool,
) -> web.StreamResponse:
    if faults.take("rate_limit") or faults.roll(faults.rate_limit_ratio):
        headers = {}
        if sends_retry_after and faults.retry_after is not None:
            headers["Retry-After"] = f"{faults.retry_after:.2f}"
        return web.json_response(
            error_body(429, "Exceeded rate limit. Too many requests."), status=429, headers=headers
        )
    if faults.take("server_errors") or faults.roll(faults.server_error_ratio):
        status = faults._rng.choice((500, 502, 503))
        return web.json_response(error_body(status, "Internal error, try again"), status=status)
    if faults.take("slow"):
        await asyncio.sleep(faults.delay)
    response = await handler(request)
    if isinstance(response, web.Response) and response.body is not None:
        body = bytes(response.body)  # type: ignore[arg-type]
        if faults.take("truncate"):
            response.body = body[: len(body) // 2]
        elif faults.take("malformed"):
            response.body = b"<html><body>502 Bad Gateway</body></html>"
    return response


async def _set_faults(request: web.Request) -> web.Response:
    try:
        changes = await request.json()
        if not isinstance(changes, dict):
            raise ValueError("expected a JSON object")
        request.app[FAULTS].update(changes)
    except ValueError as exc:
        return web.json_response({"error": str(exc)}, status=400)
    return web.json_response({"ok": True})


async def _stats(request: web.Request) -> web.Response:
    stats = request.app[FAULTS].stats
    return web.json_response({"requests": sum(stats.values()), "by_status": dict(stats)})


def install_faults(app: web.Application, faults: Faults | None = None) -> Faults:
    """Attach a :class:`Faults` and its admin routes to ``app``; return it for direct use."""
    app[FAULTS] = faults or Faults()
    app.router.add_post(ADMIN_PREFIX + "faults", _set_faults)
    app.router.add_get(ADMIN_PREFIX + "stats", _stats)
    return app[FAULTS]


def json_body(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
