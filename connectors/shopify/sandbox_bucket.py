"""Shopify's leaky bucket of API calls, as the sandbox keeps it for one app on one shop."""

from __future__ import annotations

import math
import time


class CallBucket:
    """Shopify's leaky bucket: each call adds one, it drains steadily, a full one answers 429.

    The default drains fast enough never to slow a test or a benchmark down; a standard plan
    is ``CallBucket(40, 2.0)``.
    """

    def __init__(self, capacity: int = 40, leak_per_second: float = 1000.0, used: float = 0):
        self.capacity = capacity
        self.leak_per_second = leak_per_second
        self.used = float(used)
        self._at = time.monotonic()

    def _drain(self) -> None:
        now = time.monotonic()
        self.used = max(0.0, self.used - (now - self._at) * self.leak_per_second)
        self._at = now

    def take(self) -> float | None:
        """Count one call; when the bucket is full, return the seconds until one fits."""
        self._drain()
        if self.used + 1 > self.capacity:
            return (self.used + 1 - self.capacity) / self.leak_per_second
        self.used += 1
        return None

    def header(self) -> str:
        return f"{math.ceil(self.used)}/{self.capacity}"
