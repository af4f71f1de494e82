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
from hub.identity.engine.resolve import Progress, Run, run
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
        return cls.resolve_all(people, model, settings, constraints)[0]

    @classmethod
    def resolve_all(
        cls,
        people: Sequence[NormalisedPerson],
        model: MatchModel | None = None,
        settings: EngineSettings | None = None,
        constraints: Constraints | None = None,
        progress: Progress | None = None,
    ) -> tuple[ResolverIndex, Resolution]:
        """A full run (estimating the model unless given) and the index it leaves."""
        chosen = settings or EngineSettings()
        everything = list(people)
        result = run(
            everything,
            settings=chosen,
            constraints=constraints or Constraints(),
            model=model,
            progress=progress,
        )
        index = cls(result.model, chosen, constraints or Constraints())
        index._register(everything)
        index._store(result)
        return index, result.resolution

    def cluster_of(self, record_id: int) -> tuple[int, ...]:
        return self._cluster_of[record_id]

    def clusters(self) -> list[tuple[int, ...]]:
        return sorted(set(self._cluster_of.values()))

    def add(self, people: Sequence[NormalisedPerson]) -> Resolution:
        """Resolve new or changed records against the base; the answer covers the clusters
        they touched (a changed record's old cluster included)."""
        touched = {p.record_id for p in people}
        before = [self.people[p.record_id] for p in people if p.record_id in self.people]
        for old in before:
            component = self._component_of.get(old.record_id)
            touched |= self._members.get(component, set()) if component is not None else set()
            self._unregister(old)
        self._register(people)
        if any(reference_keys(old) != reference_keys(self.people[old.record_id]) for old in before):
            self._rebuild_identities()  # a reference dropped: identities may come apart
        limit = self._stop + len(people)
        for person in [*people, *before]:
            for key in blocking_keys(person):
                holders = self._holders.get(key, set())
                if distinct_roots(holders, self._identities, limit) <= limit:
                    touched |= holders
            for key in reference_keys(person):
                touched |= self._holders.get(key, set())
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

    def _unregister(self, person: NormalisedPerson) -> None:
        for key in [*blocking_keys(person), *reference_keys(person)]:
            holders = self._holders.get(key)
            if holders is not None:
                holders.discard(person.record_id)
                if not holders:
                    del self._holders[key]

    def _rebuild_identities(self) -> None:
        self._identities = UnionFind[int]()
        for record in self.people:
            self._identities.find(record)
        for key, holders in self._holders.items():
            if key.startswith("r:"):
                self._identities.union_all(sorted(holders))

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
