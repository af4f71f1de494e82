"""Live change events: an in-process fan-out from the hub's writers to GraphQL subscriptions.

Publishers (identity resolution after syncs and webhook batches, agents' decisions, recorded
consents) call :meth:`EventBus.publish` after their transaction commits, so a subscriber never
hears of a change it cannot read. Each subscriber has its own bounded queue; when a slow
consumer lets it fill, the OLDEST event is dropped to make room and the subscriber's ``dropped``
count grows: a live view wants the latest changes, and a writer must never wait for a reader.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from hub.identity.writing import ResolveCounts

log = logging.getLogger(__name__)

QUEUE_SIZE = 256
"""Events a subscriber may lag behind before the oldest are dropped."""

Cause = Literal["sync", "webhook", "decision", "consent", "replay", "resolution"]


@dataclass(frozen=True)
class ProfileChanged:
    """A profile was created, gained or lost records, or had a field or consent change."""

    profile_id: str
    change: str
    """``created``, ``updated``, ``merged``, ``split``, ``merged_away``, ``consent``."""
    cause: Cause
    by: str


@dataclass(frozen=True)
class IdentityChanged:
    """A merge, split, never-merge or undo, made by resolution (``auto``) or by someone."""

    kind: str
    profile_id: str
    other_profile_ids: tuple[str, ...]
    decided_by: str
    cause: Cause
    decision_id: int | None = None

    @property
    def automatic(self) -> bool:
        return self.decided_by == "auto"


Event = ProfileChanged | IdentityChanged


@dataclass(eq=False)
class Subscription:
    queue: asyncio.Queue[Event] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    dropped: int = 0

    def offer(self, event: Event) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(event)

    async def events(self) -> AsyncIterator[Event]:
        while True:
            yield await self.queue.get()


class EventBus:
    def __init__(self) -> None:
        self._subscriptions: set[Subscription] = set()

    @property
    def subscribers(self) -> int:
        return len(self._subscriptions)

    def publish(self, event: Event) -> None:
        """Hand ``event`` to every subscriber now; never blocks."""
        for subscription in tuple(self._subscriptions):
            subscription.offer(event)

    def publish_all(self, events: Iterable[Event]) -> None:
        for event in events:
            self.publish(event)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Subscription]:
        subscription = Subscription()
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)
            if subscription.dropped:
                log.info("a subscriber missed %d events (too slow)", subscription.dropped)


def resolution_events(counts: ResolveCounts, cause: Cause) -> list[Event]:
    """What a committed resolution run changed, as events: merges and splits first."""
    events: list[Event] = [
        IdentityChanged(kind, profile, others, "auto", cause)
        for kind, profile, others in counts.identity_changes
    ]
    events += [
        ProfileChanged(profile, change, cause, "auto")
        for profile, change in sorted(counts.changed_profiles.items())
    ]
    return events
