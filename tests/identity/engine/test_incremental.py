"""Records arriving one batch at a time, in any order, give the partition of one full run."""

from __future__ import annotations

import random
from dataclasses import replace

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
    changes=st.integers(0, 6),
)
def test_incremental_arrival_equals_one_batch(
    seed: int, size: int, order_seed: int, first_share: float, chunk: int, changes: int
) -> None:
    people, _ = population(seed, size)
    rng = random.Random(order_seed)
    # Some records change after they arrived (a moved customer, an e-mail removed).
    later = [
        replace(p, emails=(), street="rue neuve", house_number="1")
        for p in rng.sample(people, min(changes, len(people)))
    ]
    final = {p.record_id: p for p in people} | {p.record_id: p for p in later}
    model = configured_model()
    batch = resolve_batch(list(final.values()), model=model, settings=SMALL_CAPS)

    arrival = people[:] + later
    rng.shuffle(arrival)
    arrival.sort(key=lambda p: p in later)  # a change arrives after its first version
    cut = int(len(people) * first_share)
    index = ResolverIndex.build(arrival[:cut], model, SMALL_CAPS)
    for start in range(cut, len(arrival), chunk):
        index.add(arrival[start : start + chunk])

    assert index.clusters() == batch.resolution.clusters


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


def test_a_changed_record_is_resolved_again_as_a_full_run_would() -> None:
    people, _ = population(9, 60)
    model = configured_model()
    index = ResolverIndex.build(people, model, SMALL_CAPS)
    rng = random.Random(4)
    changed = [
        replace(p, emails=(), birth_date=None, last_name="zz" + (p.last_name or ""), references=())
        for p in rng.sample(people, 12)
    ]
    index.add(changed)
    by_id = {p.record_id: p for p in people} | {p.record_id: p for p in changed}
    batch = resolve_batch(list(by_id.values()), model=model, settings=SMALL_CAPS)
    assert index.clusters() == batch.resolution.clusters
