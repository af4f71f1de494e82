"""The hub's side of the benchmarks: normalise, resolve, and a clear word without the engine."""

from __future__ import annotations

import importlib.util

import pytest

from bench.identity.hub_runner import EngineMissing, engine, run_hub
from bench.identity.metrics import pairwise_scores
from bench.identity.synthetic import generate

ENGINE_HERE = importlib.util.find_spec("hub.identity.engine") is not None


@pytest.mark.skipif(ENGINE_HERE, reason="the engine is here")
def test_without_the_engine_a_run_says_so() -> None:
    with pytest.raises(EngineMissing, match="resolution engine is not here yet"):
        engine()
    with pytest.raises(EngineMissing):
        run_hub(generate(10, seed=1).records)


@pytest.mark.skipif(not ENGINE_HERE, reason="the engine has not landed on this branch")
def test_the_hub_returns_a_partition_of_every_record_with_its_timings() -> None:
    dataset = generate(2000, seed=4)
    run = run_hub(dataset.records)
    scores = pairwise_scores(run.clusters, dataset.truth)  # refuses anything but a partition
    assert scores.records == 2000
    assert run.candidate_pairs > 0 and scores.true_positive_pairs > 0
    assert run.seconds == run.normalise_seconds + run.resolve_seconds > 0
