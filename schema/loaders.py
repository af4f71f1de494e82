"""The per-request DataLoaders of profile data, backed by :mod:`hub.store.profile_batches`.

Every customer of a response asks its loaders, not the database: the loads of one tick are
gathered into one Core statement per kind of row, so a page of a hundred customers costs what a
page of ten does. Loaders cache for the life of their :class:`ProfileLoaders`, which is one
request (a subscription makes fresh ones per event: the data changed, that is why it came).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from hub.store.profile_batches import (
    ActivityFacts,
    DecisionFacts,
    FindingFacts,
    IdentifierFacts,
    LastActivityFacts,
    ProfileFacts,
    RecordFacts,
    activities_of,
    decisions_of,
    findings_of,
    identifiers_of,
    last_activities_of,
    payloads_of,
    profiles_by_id,
    records_of,
)

K = TypeVar("K", int, str)
V = TypeVar("V")

Batch = Callable[[AsyncSession, Iterable[K]], Awaitable[Mapping[K, V]]]


def _loader(
    sessions: async_sessionmaker[AsyncSession], batch: Batch[K, V], missing: Callable[[], V]
) -> DataLoader[K, V]:
    """A loader answering each key from one call of ``batch`` per tick (``missing()`` for a
    key the batch did not return)."""

    async def load(keys: list[K]) -> Sequence[V]:
        async with sessions() as session:
            found = await batch(session, keys)
        return [found[key] if key in found else missing() for key in keys]

    return DataLoader(load_fn=load)


def _none() -> None:
    return None


class ProfileLoaders:
    """One loader per kind of row a customer shows; keys are profile ids (record ids for
    payloads)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.profiles: DataLoader[str, ProfileFacts | None] = _loader(
            sessions, profiles_by_id, _none
        )
        """The live profile of an id (a merged-away id gives its survivor)."""
        self.records: DataLoader[str, list[RecordFacts]] = _loader(sessions, records_of, list)
        self.identifiers: DataLoader[str, list[IdentifierFacts]] = _loader(
            sessions, identifiers_of, list
        )
        self.activities: DataLoader[str, list[ActivityFacts]] = _loader(
            sessions, activities_of, list
        )
        self.last_activities: DataLoader[str, list[LastActivityFacts]] = _loader(
            sessions, last_activities_of, list
        )
        self.findings: DataLoader[str, list[FindingFacts]] = _loader(sessions, findings_of, list)
        self.decisions: DataLoader[str, list[DecisionFacts]] = _loader(sessions, decisions_of, list)
        self.payloads: DataLoader[int, Any] = _loader(sessions, payloads_of, _none)
