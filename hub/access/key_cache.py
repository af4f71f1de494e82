"""Keys verified a moment ago, so that every request does not read its key's row again.

A front-office app sends the same key with every request; reading and checking its row costs a
database trip each time. A key found valid is trusted by this process for
:data:`VERIFIED_KEY_SECONDS`. Revoking a key through :func:`hub.access.keys.revoke_key` forgets
it here at once; another process serving the same database (a second worker, or ``hub keys
revoke`` run beside a server) cannot reach this memory, so there a revoked key keeps working
for at most that long.

Entries are found by the SHA-256 of the whole key, so the secret is not kept in memory and a
wrong secret never matches; only valid keys are remembered (a refused key is checked again).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from hub.access.viewer import Viewer

VERIFIED_KEY_SECONDS = 10.0
MAX_VERIFIED_KEYS = 1024
"""Distinct keys remembered; past it the oldest is dropped (a key is cheap to verify again)."""


class VerifiedKeys:
    """Valid keys and their viewers, each for ``seconds`` after it was verified."""

    def __init__(
        self,
        seconds: float = VERIFIED_KEY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        size: int = MAX_VERIFIED_KEYS,
    ) -> None:
        self._seconds, self._clock, self._size = seconds, clock, size
        self._entries: dict[bytes, tuple[float, Viewer]] = {}

    @staticmethod
    def _fingerprint(key: str) -> bytes:
        return hashlib.sha256(key.encode()).digest()

    def viewer(self, key: str) -> Viewer | None:
        """The viewer of ``key`` if it was verified less than ``seconds`` ago."""
        fingerprint = self._fingerprint(key)
        entry = self._entries.get(fingerprint)
        if entry is None:
            return None
        verified_at, viewer = entry
        if self._clock() - verified_at >= self._seconds:
            del self._entries[fingerprint]
            return None
        return viewer

    def remember(self, key: str, viewer: Viewer) -> None:
        if len(self._entries) >= self._size:
            del self._entries[next(iter(self._entries))]
        self._entries[self._fingerprint(key)] = (self._clock(), viewer)

    def forget(self, key_id: str) -> None:
        """Drop the key with this id (its viewer carries the id)."""
        for fingerprint, (_, viewer) in list(self._entries.items()):
            if viewer.key_id == key_id:
                del self._entries[fingerprint]

    def clear(self) -> None:
        self._entries.clear()


VERIFIED_KEYS = VerifiedKeys()
"""This process's keys, shared by every request (GraphQL, the console)."""
