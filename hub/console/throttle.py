"""Failed sign-ins by account name, so that a password cannot be guessed at the speed of the
network: after :data:`MAX_FAILURES` failures in :data:`WINDOW`, that name is refused until the
window has passed, whatever password is sent.

Names are counted whether or not an account has them, so being throttled says nothing about
which names exist. The count lives in the serving process (each worker counts its own): a
floor against guessing, not an intrusion detector.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

MAX_FAILURES = 5
WINDOW = 15 * 60.0
"""Seconds: a person who mistyped five times waits a quarter of an hour."""
MAX_NAMES = 10_000
"""Names remembered at most: the oldest are forgotten first, so memory stays bounded."""


class SignInThrottle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: OrderedDict[str, list[float]] = OrderedDict()

    def _recent(self, name: str) -> list[float]:
        since = self._clock() - WINDOW
        kept = [moment for moment in self._failures.get(name, []) if moment > since]
        if kept:
            self._failures[name] = kept
        else:
            self._failures.pop(name, None)
        return kept

    def blocked(self, name: str) -> bool:
        return len(self._recent(name.lower())) >= MAX_FAILURES

    def failed(self, name: str) -> None:
        name = name.lower()
        self._failures[name] = [*self._recent(name), self._clock()]
        self._failures.move_to_end(name)
        while len(self._failures) > MAX_NAMES:
            self._failures.popitem(last=False)

    def succeeded(self, name: str) -> None:
        self._failures.pop(name.lower(), None)
