"""Union-find over hashable items, and source identities: records tied by shared references.

A source says two of its records are one person when they carry the same reference (an order
carries its buyer's customer id; a contract the CRM id it was signed under). Such a *source
identity* is never split by the engine and counts once toward caps, however many orders it has.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    def __init__(self) -> None:
        self._parent: dict[T, T] = {}

    def find(self, item: T) -> T:
        parent = self._parent
        root = parent.setdefault(item, item)
        while parent[root] != root:
            root = parent[root]
        while item != root:  # path compression, iteratively: chains can be long
            item, parent[item] = parent[item], root
        return root

    def union(self, left: T, right: T) -> T:
        """Join the sets of ``left`` and ``right``; the smaller root (by value order) survives."""
        a, b = self.find(left), self.find(right)
        if a == b:
            return a
        keep, drop = (a, b) if a < b else (b, a)  # type: ignore[operator]
        self._parent[drop] = keep
        return keep

    def union_all(self, items: Iterable[T]) -> None:
        first: T | None = None
        for item in items:
            if first is None:
                first = item
                self.find(item)
            else:
                self.union(first, item)


class IndexForest:
    """Union-find over the positions ``0 … size-1``, as a list of parents.

    The engine's big unions (records tied by references, identities joined by strong links)
    run over dense positions, so a list of ints does what the dict of :class:`UnionFind`
    does at a fraction of the cost per call. As there, the smaller root survives a union.
    """

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:  # path compression, iteratively: chains can be long
            parent[item], item = root, parent[item]
        return root

    def union(self, left: int, right: int) -> int:
        a, b = self.find(left), self.find(right)
        if a == b:
            return a
        keep, drop = (a, b) if a < b else (b, a)
        self.parent[drop] = keep
        return keep

    def union_all(self, items: Sequence[int]) -> None:
        first = items[0]
        for item in items[1:]:
            self.union(first, item)

    def roots(self) -> list[int]:
        """The root of every position."""
        find = self.find
        return [find(item) for item in range(len(self.parent))]


def distinct_roots(holders: Iterable[int], groups: UnionFind[int], stop_after: int) -> int:
    """How many source identities hold a key, counting no further than ``stop_after``."""
    roots: set[int] = set()
    for record in holders:
        roots.add(groups.find(record))
        if len(roots) > stop_after:
            break
    return len(roots)
