"""Pairwise precision, recall and F1 of a partition against the truth, from contingency counts.

A pair of records is *predicted* when the partition puts both in one cluster and *true* when
both belong to one entity. Every figure comes from the counts ``n[c, e]`` of records of entity
``e`` in cluster ``c``: true positives are ``Σ C(n[c, e], 2)``, predicted pairs
``Σ_c C(n[c], 2)``, true pairs ``Σ_e C(n[e], 2)``, so a million records cost one sort, never
the half-trillion pairs they form.

False merges (pairs of different entities in one cluster) and missed pairs (pairs of one entity
in different clusters) are also counted per trap kind, the label a synthetic data set gives
each entity. A false merge between two entities of one kind counts under that kind; between an
untrapped entity and a trapped one, under the trap; between two different traps, under both
names joined by ``+`` (``"couple+twin"``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

NO_TRAP = "none"

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class PairScores:
    records: int
    true_positive_pairs: int
    """Pairs of one entity that the partition puts in one cluster."""
    predicted_pairs: int
    true_pairs: int

    @property
    def false_merges(self) -> int:
        return self.predicted_pairs - self.true_positive_pairs

    @property
    def missed_pairs(self) -> int:
        return self.true_pairs - self.true_positive_pairs

    @property
    def precision(self) -> float:
        # No predicted pair means nothing was wrongly merged.
        return self.true_positive_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class TrapPairs:
    false_merges: dict[str, int]
    """Trap kind → pairs of different entities put in one cluster."""
    missed_pairs: dict[str, int]
    """Trap kind → pairs of one entity left in different clusters."""


@dataclass(frozen=True)
class _Contingency:
    cluster: IntArray
    """One row per non-empty (cluster, entity) cell: its cluster index …"""
    entity: IntArray
    """… its entity index …"""
    count: IntArray
    """… and how many records it holds."""
    entity_names: list[str]


def _pairs(counts: IntArray) -> int:
    return int((counts * (counts - 1) // 2).sum())


def _label_records(
    clusters: Iterable[Sequence[int]], truth: Mapping[int, str]
) -> tuple[IntArray, IntArray, list[str]]:
    """Cluster index and entity index of every record; the partition must cover the truth."""
    entity_index: dict[str, int] = {}
    cluster_labels: list[int] = []
    entity_labels: list[int] = []
    seen: set[int] = set()
    for index, cluster in enumerate(clusters):
        for record in cluster:
            if record in seen:
                raise ValueError(f"record {record} is in more than one cluster")
            entity = truth.get(record)
            if entity is None:
                raise ValueError(f"record {record} is in a cluster but not in the truth")
            seen.add(record)
            cluster_labels.append(index)
            entity_labels.append(entity_index.setdefault(entity, len(entity_index)))
    if len(seen) != len(truth):
        missing = sorted(set(truth) - seen)
        raise ValueError(
            f"{len(missing)} records of the truth are in no cluster (first: {missing[:5]})"
        )
    return (
        np.asarray(cluster_labels, dtype=np.int64),
        np.asarray(entity_labels, dtype=np.int64),
        list(entity_index),
    )


def _contingency(clusters: Iterable[Sequence[int]], truth: Mapping[int, str]) -> _Contingency:
    cluster_of, entity_of, names = _label_records(clusters, truth)
    width = max(len(names), 1)
    cells, counts = np.unique(cluster_of * width + entity_of, return_counts=True)
    return _Contingency(cells // width, cells % width, counts.astype(np.int64), names)


def _scores(table: _Contingency) -> PairScores:
    records = int(table.count.sum())
    cluster_sizes = np.bincount(table.cluster, weights=table.count).astype(np.int64)
    entity_sizes = np.bincount(table.entity, weights=table.count).astype(np.int64)
    return PairScores(
        records=records,
        true_positive_pairs=_pairs(table.count),
        predicted_pairs=_pairs(cluster_sizes),
        true_pairs=_pairs(entity_sizes),
    )


def pairwise_scores(clusters: Iterable[Sequence[int]], truth: Mapping[int, str]) -> PairScores:
    """Pairwise counts of ``clusters`` (a partition of the truth's record ids) against it."""
    return _scores(_contingency(clusters, truth))


def _merge_label(first: str, second: str) -> str:
    if first == second or second == NO_TRAP:
        return first
    if first == NO_TRAP:
        return second
    return "+".join(sorted((first, second)))


def _false_merges_by_trap(table: _Contingency, kinds: list[str]) -> dict[str, int]:
    """Per cluster and kind: K records and S = Σ n² over its entities; pairs follow from both."""
    by_cluster: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for cluster, entity, count in zip(
        table.cluster.tolist(), table.entity.tolist(), table.count.tolist(), strict=True
    ):
        kind = kinds[entity]
        records, squares = by_cluster[cluster].get(kind, (0, 0))
        by_cluster[cluster][kind] = (records + count, squares + count * count)
    merges: dict[str, int] = defaultdict(int)
    for per_kind in by_cluster.values():
        ordered = sorted(per_kind.items())
        for position, (kind, (records, squares)) in enumerate(ordered):
            within = (records * records - squares) // 2
            if within:
                merges[kind] += within
            for other, (other_records, _) in ordered[position + 1 :]:
                merges[_merge_label(kind, other)] += records * other_records
    return dict(merges)


def _missed_by_trap(table: _Contingency, kinds: list[str]) -> dict[str, int]:
    entity_sizes = np.bincount(table.entity, weights=table.count).astype(np.int64)
    kept = np.bincount(
        table.entity, weights=table.count * (table.count - 1) // 2, minlength=len(entity_sizes)
    ).astype(np.int64)
    missed_per_entity = entity_sizes * (entity_sizes - 1) // 2 - kept
    missed: dict[str, int] = defaultdict(int)
    for entity in np.flatnonzero(missed_per_entity).tolist():
        missed[kinds[entity]] += int(missed_per_entity[entity])
    return dict(missed)


def pairs_by_trap(
    clusters: Iterable[Sequence[int]],
    truth: Mapping[int, str],
    trap_of: Mapping[str, str],
) -> TrapPairs:
    """False merges and missed pairs per trap kind; entities absent from ``trap_of`` have none."""
    table = _contingency(clusters, truth)
    kinds = [trap_of.get(name, NO_TRAP) for name in table.entity_names]
    return TrapPairs(_false_merges_by_trap(table, kinds), _missed_by_trap(table, kinds))
