"""Greedy clustering with guards: strongest links first, each join checked across both sides.

Links are taken in a fixed order — agents' merges, then deterministic rules, then scores from
high to low, ties by record id — so the same links give the same clusters in any arrival order.
Two clusters join only if

- no agent said "never merge" between any of their records,
- together they stay within the size cap (source identities, not orders),
- no pair across them is a conflict (birth dates, national ids, first names) and none weighs
  below the chain floor: a cluster never grows through a weak chain to someone it contradicts.

Refusals are kept with their reason: a refused strong link goes to an agent for review.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from hub.identity.engine.comparisons import CONFLICT_FIELDS, NO_CONFLICT
from hub.identity.engine.groups import UnionFind
from hub.identity.engine.settings import EngineSettings

MUST, RULE, SCORE = 0, 1, 2
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Link:
    priority: int
    score: float
    left_id: int
    right_id: int
    left: int
    """Row of the left record's representative."""
    right: int
    rule: str

    def order(self) -> tuple[int, float, int, int]:
        return (self.priority, -self.score, self.left_id, self.right_id)


@dataclass
class Clustering:
    root_of_group: dict[int, int] = field(default_factory=dict)
    joined: list[Link] = field(default_factory=list)
    refused: list[tuple[Link, str]] = field(default_factory=list)


def cluster_groups(
    groups: Sequence[int],
    rows_of_group: Mapping[int, Sequence[int]],
    group_of_row: Sequence[int],
    links: Sequence[Link],
    cross: Mapping[int, tuple[float, int]],
    row_count: int,
    cannot: Mapping[int, set[int]],
    settings: EngineSettings,
) -> Clustering:
    """Join source identities (``groups``) along ``links``, guarded.

    ``cross`` maps ``left * row_count + right`` (left < right, rows) to the pair's score and
    conflict for pairs known inside would-be clusters; pairs not in it count as neutral.
    """
    found = UnionFind[int]()
    # Per cluster root, once it has joined another: its rows, identities, never-merge partners.
    rows: _Lazy[list[int]] = _Lazy(lambda g: list(rows_of_group[g]))
    identities: _Lazy[int] = _Lazy(lambda g: 1)
    never: _Lazy[set[int]] = _Lazy(lambda g: set(cannot.get(g, ())))
    result = Clustering()
    for link in sorted(links, key=Link.order):
        a, b = found.find(group_of_row[link.left]), found.find(group_of_row[link.right])
        if a == b:
            continue
        if link.priority != MUST:
            reason = _refusal(a, b, found, rows, identities, never, cross, row_count, settings)
            if reason:
                result.refused.append((link, reason))
                continue
        keep = found.union(a, b)
        drop = b if keep == a else a
        rows[keep].extend(rows.take(drop))
        identities[keep] += identities.take(drop)
        never[keep] |= never.take(drop)
        result.joined.append(link)
    result.root_of_group = {g: found.find(g) for g in groups}
    return result


class _Lazy(dict[int, T]):
    """A dict that fills a missing key from ``make(key)``: most groups never join anything."""

    def __init__(self, make: Callable[[int], T]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: int) -> T:
        value = self[key] = self._make(key)
        return value

    def take(self, key: int) -> T:
        value = self[key]
        del self[key]
        return value


def _refusal(
    a: int,
    b: int,
    found: UnionFind[int],
    rows: _Lazy[list[int]],
    identities: _Lazy[int],
    never: _Lazy[set[int]],
    cross: Mapping[int, tuple[float, int]],
    row_count: int,
    settings: EngineSettings,
) -> str | None:
    small, large = (a, b) if len(never[a]) <= len(never[b]) else (b, a)
    if any(found.find(g) == large for g in never[small]):
        return "guard:never_merge"
    if identities[a] + identities[b] > settings.max_cluster_size:
        return "guard:cluster_size"
    for x in rows[a]:
        for y in rows[b]:
            known = cross.get(min(x, y) * row_count + max(x, y))
            if known is None:
                continue
            score, conflict = known
            if conflict != NO_CONFLICT:
                return "guard:" + CONFLICT_FIELDS[conflict]
            if score < settings.chain_floor:
                return "guard:weak_chain"
    return None
