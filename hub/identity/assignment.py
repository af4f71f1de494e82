"""Which profile id each cluster keeps, so ids stay stable while clusters change.

The engine answers with clusters of record ids; profiles are what the outside world holds on to
(a front-office app stores a customer id). A cluster keeps the id of the profile most of its
records already belong to — the oldest such profile on a tie — and each profile id goes to one
cluster at most. A profile left with no cluster is merged into the profile that received most
of its records, so its id keeps resolving; a cluster of records no profile holds gets a new id.

Everything here is pure: the same clusters and links give the same answer, which the store then
writes (links, ``merged_into``, the decisions that record automatic merges and splits).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ProfileChange:
    """Profiles joined or divided by a run: ``before`` maps each involved profile to its records."""

    kind: str  # "merge" or "split"
    profile_id: str
    """The surviving profile of a merge; the divided profile of a split."""
    others: tuple[str, ...]
    """The profiles merged into ``profile_id``, or the profiles that took records from it."""
    before: Mapping[str, tuple[int, ...]]


@dataclass
class Assignment:
    profile_of_cluster: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    """New profile ids, in cluster order."""
    retired: dict[str, str] = field(default_factory=dict)
    """Profile id → the profile it is merged into."""
    moved: dict[int, str] = field(default_factory=dict)
    """Record id → its new profile, for every record whose profile changed (or had none)."""
    changes: list[ProfileChange] = field(default_factory=list)


def assign_profiles(
    clusters: Sequence[tuple[int, ...]],
    current: Mapping[int, str],
    age: Callable[[str], Any],
    new_id: Callable[[], str],
) -> Assignment:
    """Give each cluster a profile id.

    ``current`` maps the clusters' records to the profile they belong to now (records not yet
    linked are absent). ``age`` orders profile ids, oldest first (e.g. creation time, id).
    """
    held: list[Counter[str]] = [
        Counter(current[r] for r in cluster if r in current) for cluster in clusters
    ]
    offers = sorted(
        (
            (-count, age(profile), index, profile)
            for index, c in enumerate(held)
            for profile, count in c.items()
        ),
    )
    chosen: dict[int, str] = {}
    taken: set[str] = set()
    for _, _, index, profile in offers:
        if index not in chosen and profile not in taken:
            chosen[index] = profile
            taken.add(profile)
    result = Assignment()
    for index in range(len(clusters)):
        if index not in chosen:
            chosen[index] = new_id()
            result.created.append(chosen[index])
        result.profile_of_cluster.append(chosen[index])
    for index, cluster in enumerate(clusters):
        for record in cluster:
            if current.get(record) != chosen[index]:
                result.moved[record] = chosen[index]
    _retire_and_describe(clusters, current, chosen, taken, age, result)
    return result


def _retire_and_describe(
    clusters: Sequence[tuple[int, ...]],
    current: Mapping[int, str],
    chosen: Mapping[int, str],
    taken: set[str],
    age: Callable[[str], Any],
    result: Assignment,
) -> None:
    """Retire profiles that kept no cluster, and describe each merge and split that happened."""
    members: dict[str, list[int]] = {}
    for record, profile in current.items():
        members.setdefault(profile, []).append(record)
    before = {p: tuple(sorted(records)) for p, records in members.items()}
    destination = {record: chosen[i] for i, cluster in enumerate(clusters) for record in cluster}

    for profile in sorted(set(before) - taken, key=age):
        received = Counter(destination[r] for r in before[profile] if r in destination)
        if received:
            # Most records wins; on a tie the oldest receiving profile, like cluster ids above.
            result.retired[profile] = min(received, key=lambda p: (-received[p], age(p)))
    for index in sorted(chosen, key=lambda i: chosen[i]):
        survivor = chosen[index]
        joined = sorted({p for p, into in result.retired.items() if into == survivor}, key=age)
        if joined:
            involved = {p: before[p] for p in (survivor, *joined) if p in before}
            result.changes.append(ProfileChange("merge", survivor, tuple(joined), involved))
    for profile in sorted(taken & set(before), key=age):
        elsewhere = sorted({destination[r] for r in before[profile]} - {profile}, key=age)
        if elsewhere:
            involved = {p: before[p] for p in (profile, *elsewhere) if p in before}
            result.changes.append(ProfileChange("split", profile, tuple(elsewhere), involved))
