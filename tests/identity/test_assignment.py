"""Profile ids stay with the records that hold them; merged-away ids point at the survivor."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping

from hypothesis import given
from hypothesis import strategies as st

from hub.identity.assignment import assign_profiles


def fresh_ids(prefix: str = "new") -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"{prefix}-{next(counter)}"


def by_name(profile: str) -> str:
    return profile  # in these tests "p1" is older than "p2"


def test_unlinked_records_get_new_profiles_in_cluster_order() -> None:
    result = assign_profiles([(1, 2), (3,)], {}, by_name, fresh_ids())
    assert result.profile_of_cluster == ["new-1", "new-2"]
    assert result.created == ["new-1", "new-2"]
    assert result.moved == {1: "new-1", 2: "new-1", 3: "new-2"}
    assert result.retired == {} and result.changes == []


def test_a_new_record_joins_the_profile_of_its_cluster() -> None:
    result = assign_profiles([(1, 2, 9)], {1: "p1", 2: "p1"}, by_name, fresh_ids())
    assert result.profile_of_cluster == ["p1"]
    assert result.moved == {9: "p1"}
    assert result.created == [] and result.changes == []


def test_a_bridging_record_merges_two_profiles_into_the_larger() -> None:
    current = {1: "p1", 2: "p2", 3: "p2"}
    result = assign_profiles([(1, 2, 3, 9)], current, by_name, fresh_ids())
    assert result.profile_of_cluster == ["p2"]
    assert result.retired == {"p1": "p2"}
    assert result.moved == {1: "p2", 9: "p2"}
    (change,) = result.changes
    assert (change.kind, change.profile_id, change.others) == ("merge", "p2", ("p1",))
    assert change.before == {"p2": (2, 3), "p1": (1,)}


def test_on_a_tie_the_oldest_profile_survives() -> None:
    result = assign_profiles([(1, 2)], {1: "p2", 2: "p1"}, by_name, fresh_ids())
    assert result.profile_of_cluster == ["p1"]
    assert result.retired == {"p2": "p1"}


def test_a_split_keeps_the_id_with_the_larger_part() -> None:
    current = {1: "p1", 2: "p1", 3: "p1"}
    result = assign_profiles([(1, 2), (3,)], current, by_name, fresh_ids())
    assert result.profile_of_cluster == ["p1", "new-1"]
    assert result.retired == {}
    (change,) = result.changes
    assert (change.kind, change.profile_id, change.others) == ("split", "p1", ("new-1",))
    assert change.before == {"p1": (1, 2, 3)}


clusterings = st.lists(st.integers(0, 5), min_size=1, max_size=14)


def as_clusters(labels: list[int]) -> list[tuple[int, ...]]:
    groups: dict[int, list[int]] = {}
    for record, label in enumerate(labels):
        groups.setdefault(label, []).append(record)
    return sorted(tuple(g) for g in groups.values())


@given(before=clusterings, after=clusterings)
def test_every_profile_id_ends_live_or_merged_into_a_live_one(
    before: list[int], after: list[int]
) -> None:
    size = min(len(before), len(after))
    first = assign_profiles(as_clusters(before[:size]), {}, by_name, fresh_ids())
    current: Mapping[int, str] = {
        r: first.profile_of_cluster[i]
        for i, cluster in enumerate(as_clusters(before[:size]))
        for r in cluster
    }
    second = assign_profiles(as_clusters(after[:size]), current, by_name, fresh_ids("next"))
    live = set(second.profile_of_cluster)
    assert len(live) == len(second.profile_of_cluster)  # one cluster per profile id
    for profile in set(current.values()):
        assert profile in live or second.retired.get(profile) in live
    # Applying the moves to the current links gives exactly the new partition.
    links = {**current, **second.moved}
    rebuilt = sorted(tuple(sorted(r for r, p in links.items() if p == profile)) for profile in live)
    assert rebuilt == as_clusters(after[:size])
