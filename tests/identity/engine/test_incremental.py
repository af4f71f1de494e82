"""Records arriving one batch at a time, in any order, give the partition of one full run."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.identity.engine import EngineSettings, ResolverIndex, resolve_batch
from hub.identity.engine.match_model import configured_model
from tests.identity.engine.population import population

SMALL_CAPS = EngineSettings(block_cap=8, shared_cap=3, max_cluster_size=6)
"""Caps low enough that random arrivals cross them, so the index must re-judge keys."""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    size=st.integers(2, 40),
    order_seed=st.integers(0, 10_000),
    first_share=st.floats(0.0, 0.9),
    chunk=st.integers(1, 7),
)
def test_incremental_arrival_equals_one_batch(
    seed: int, size: int, order_seed: int, first_share: float, chunk: int
) -> None:
    people, _ = population(seed, size)
    model = configured_model()
    batch = resolve_batch(people, model=model, settings=SMALL_CAPS).resolution.clusters

    arrival = people[:]
    random.Random(order_seed).shuffle(arrival)
    cut = int(len(arrival) * first_share)
    index = ResolverIndex.build(arrival[:cut], model, SMALL_CAPS)
    for start in range(cut, len(arrival), chunk):
        index.add(arrival[start : start + chunk])

    assert index.clusters() == batch


def test_a_new_record_answers_only_the_clusters_it_touched() -> None:
    people, _ = population(7, 200)
    model = configured_model()
    index = ResolverIndex.build(people[:-1], model)
    newcomer = people[-1]
    answer = index.add([newcomer])
    touched = [c for c in answer.clusters if newcomer.record_id in c]
    assert len(touched) == 1
    assert len(answer.clusters) < len(index.clusters()) / 4
    assert index.cluster_of(newcomer.record_id) == touched[0]


def test_adding_a_record_twice_is_refused() -> None:
    people, _ = population(3, 5)
    index = ResolverIndex.build(people, configured_model())
    try:
        index.add([people[0]])
    except ValueError as error:
        assert "already in the index" in str(error)
    else:
        raise AssertionError("a second copy of a record was accepted")
