"""A resolved base kept in memory, so a new record is resolved in milliseconds, not a full run.

The index remembers who holds each key and which *component* (records joined by merge-strength
links, the unit inside which clustering decides) every record belongs to. Adding records
re-runs the engine on the new records, the holders of their keys and the components those
touch — with the saved model and with key counts taken over the whole base — which is exactly
the part of the answer a full run could change: the partition equals a full run's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hub.identity.engine.groups import UnionFind, distinct_roots
from hub.identity.engine.keys import blocking_keys, reference_keys
from hub.identity.engine.match_model import MatchModel
from hub.identity.engine.resolve import Run, run
from hub.identity.engine.settings import EngineSettings
from hub.identity.model import Constraints, NormalisedPerson, Resolution


class ResolverIndex:
    def __init__(
        self, model: MatchModel, settings: EngineSettings, constraints: Constraints
    ) -> None:
        self.model, self.settings, self.constraints = model, settings, constraints
        self.people: dict[int, NormalisedPerson] = {}
        self._holders: dict[str, set[int]] = {}
        self._identities = UnionFind[int]()
        self._component_of: dict[int, int] = {}
        self._members: dict[int, set[int]] = {}
        self._cluster_of: dict[int, tuple[int, ...]] = {}
        self._stop = max(settings.block_cap, settings.shared_cap) + 1

    @classmethod
    def build(
        cls,
        people: Sequence[NormalisedPerson],
        model: MatchModel,
        settings: EngineSettings | None = None,
        constraints: Constraints | None = None,
    ) -> ResolverIndex:
        index = cls(model, settings or EngineSettings(), constraints or Constraints())
        index._register(people)
        index._store(index._run(list(people), extra=0))
        return index

    def cluster_of(self, record_id: int) -> tuple[int, ...]:
        return self._cluster_of[record_id]

    def clusters(self) -> list[tuple[int, ...]]:
        return sorted(set(self._cluster_of.values()))

    def add(self, people: Sequence[NormalisedPerson]) -> Resolution:
        """Resolve new records against the base; the answer covers the clusters they touched."""
        known = [p.record_id for p in people if p.record_id in self.people]
        if known:
            raise ValueError(f"record {known[0]} is already in the index; build a new index")
        self._register(people)
        touched = {p.record_id for p in people}
        limit = self._stop + len(people)
        for person in people:
            for key in blocking_keys(person):
                holders = self._holders[key]
                if distinct_roots(holders, self._identities, limit) <= limit:
                    touched |= holders
            for key in reference_keys(person):
                touched |= self._holders[key]
        affected: set[int] = set(touched)
        for record in touched:
            component = self._component_of.get(record)
            if component is not None:
                affected |= self._members[component]
        result = self._run([self.people[r] for r in sorted(affected)], extra=len(people))
        self._store(result)
        return result.resolution

    def _count(self, key: str, extra: int) -> int:
        return distinct_roots(self._holders.get(key, ()), self._identities, self._stop + extra)

    def _run(self, people: list[NormalisedPerson], extra: int) -> Run:
        return run(
            people,
            settings=self.settings,
            constraints=self.constraints,
            model=self.model,
            counter=lambda key: self._count(key, extra),
        )

    def _register(self, people: Iterable[NormalisedPerson]) -> None:
        for person in people:
            self.people[person.record_id] = person
            self._identities.find(person.record_id)
            for key in blocking_keys(person):
                self._holders.setdefault(key, set()).add(person.record_id)
            for key in reference_keys(person):
                holders = self._holders.setdefault(key, set())
                for other in holders:
                    self._identities.union(person.record_id, other)
                    break
                holders.add(person.record_id)

    def _store(self, result: Run) -> None:
        for record in result.component_of:
            old = self._component_of.get(record)
            if old is not None and old in self._members:
                self._members[old].discard(record)
                if not self._members[old]:
                    del self._members[old]
        for record, component in result.component_of.items():
            self._component_of[record] = component
            self._members.setdefault(component, set()).add(record)
        for cluster in result.resolution.clusters:
            for record in cluster:
                self._cluster_of[record] = cluster
