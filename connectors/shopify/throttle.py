"""Staying under Shopify's leaky bucket instead of bouncing off it.

Every REST response says how full the app's bucket is (``X-Shopify-Shop-Api-Call-Limit: 32/40``).
The bucket drains at a steady rate and a request into a full bucket gets a 429. Retrying after
the 429 works, but it costs a round trip and counts against the shop; waiting just long enough
before the next call, when the bucket is nearly full, never gets one.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable

CALL_LIMIT_HEADER = "X-Shopify-Shop-Api-Call-Limit"
DRAIN_SECONDS = 20.0
"""A full bucket empties in 20 s on every plan: 40 at 2/s, 80 at 4/s, 400 at 20/s."""
_CALL_LIMIT = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class CallLimitThrottle:
    """Remembers the last call-limit header and waits before a call that would fill the bucket.

    ``headroom`` calls are kept free (at least one), so that a webhook handler or another app
    sharing the bucket is not pushed into a 429 either.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._used = 0
        self._capacity = 0
        self._seen_at = 0.0
        self.waited = 0.0
        """Seconds spent waiting so far, for logs and tests."""

    def observe(self, header: str | None) -> None:
        """Read ``X-Shopify-Shop-Api-Call-Limit`` from a response; ignore what is unreadable."""
        match = _CALL_LIMIT.match(header or "")
        if match is None or int(match.group(2)) <= 0:
            return
        self._used, self._capacity = int(match.group(1)), int(match.group(2))
        self._seen_at = self._clock()

    def delay(self) -> float:
        """Seconds to wait before the next call, counting what drained since the last one."""
        if self._capacity <= 0:
            return 0.0
        headroom = max(1, self._capacity // 20)
        leak_per_second = self._capacity / DRAIN_SECONDS
        drained = (self._clock() - self._seen_at) * leak_per_second
        excess = self._used - drained - (self._capacity - headroom)
        return max(0.0, excess / leak_per_second)

    async def pause(self) -> None:
        wait = self.delay()
        if wait > 0:
            self.waited += wait
            await self._sleep(wait)
