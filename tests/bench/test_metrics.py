"""Pairwise metrics on partitions small enough to count their pairs by hand."""

from __future__ import annotations

import pytest

from bench.identity.metrics import pairs_by_trap, pairwise_scores

# Entities: A holds records 1, 2, 3; B holds 4, 5; C holds 6.
TRUTH = {1: "A", 2: "A", 3: "A", 4: "B", 5: "B", 6: "C"}


def test_a_partition_that_splits_one_entity_and_lumps_three_others() -> None:
    # {1, 2} keeps the pair 1-2 of A. {3, 4, 5, 6} keeps the pair 4-5 of B and wrongly joins
    # 3-4, 3-5, 3-6, 4-6 and 5-6. True pairs: three in A (1-2, 1-3, 2-3) and one in B (4-5).
    scores = pairwise_scores([(1, 2), (3, 4, 5, 6)], TRUTH)
    assert scores.records == 6
    assert scores.true_positive_pairs == 2
    assert scores.predicted_pairs == 1 + 6
    assert scores.true_pairs == 3 + 1
    assert scores.false_merges == 5
    assert scores.missed_pairs == 2  # 1-3 and 2-3
    assert scores.precision == pytest.approx(2 / 7)
    assert scores.recall == pytest.approx(2 / 4)
    # F1 = 2·(2/7)·(1/2) / (2/7 + 1/2) = (2/7) / (11/14) = 4/11
    assert scores.f1 == pytest.approx(4 / 11)


def test_the_true_partition_scores_one_whatever_the_order_of_clusters() -> None:
    scores = pairwise_scores([(6,), (5, 4), (3, 1, 2)], TRUTH)
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)
    assert scores.false_merges == scores.missed_pairs == 0


def test_singletons_merge_nothing_wrongly_and_find_nothing() -> None:
    scores = pairwise_scores([(r,) for r in TRUTH], TRUTH)
    assert scores.predicted_pairs == 0
    assert scores.precision == 1.0
    assert scores.recall == 0.0
    assert scores.f1 == 0.0
    assert scores.missed_pairs == 4


def test_one_cluster_of_everything_finds_every_pair_among_fifteen() -> None:
    scores = pairwise_scores([tuple(TRUTH)], TRUTH)
    assert scores.predicted_pairs == 15  # C(6, 2)
    assert scores.recall == 1.0
    assert scores.precision == pytest.approx(4 / 15)


def test_false_merges_are_counted_per_trap_kind() -> None:
    # A and B are twins, C belongs to a couple. {3, 4, 5, 6} joins A with B twice (3-4, 3-5),
    # so two twin false merges; C with A once and with B twice: three mixed ones.
    traps = pairs_by_trap([(1, 2), (3, 4, 5, 6)], TRUTH, {"A": "twin", "B": "twin", "C": "couple"})
    assert traps.false_merges == {"twin": 2, "couple+twin": 3}
    assert traps.missed_pairs == {"twin": 2}


def test_a_false_merge_with_an_untrapped_entity_counts_under_the_trap() -> None:
    # Only C is labelled; A and B have no trap. {3, 4, 5, 6}: A-B pairs (3-4, 3-5) are "none",
    # the pairs with C (3-6, 4-6, 5-6) are C's trap.
    traps = pairs_by_trap([(1, 2), (3, 4, 5, 6)], TRUTH, {"C": "common_name"})
    assert traps.false_merges == {"none": 2, "common_name": 3}
    assert traps.missed_pairs == {"none": 2}


def test_a_record_in_two_clusters_is_refused() -> None:
    with pytest.raises(ValueError, match="record 3 is in more than one cluster"):
        pairwise_scores([(1, 2, 3), (3, 4, 5, 6)], TRUTH)


def test_a_record_unknown_to_the_truth_is_refused() -> None:
    with pytest.raises(ValueError, match="record 7 is in a cluster but not in the truth"):
        pairwise_scores([(1, 2, 3), (4, 5, 6, 7)], TRUTH)


def test_records_left_out_of_the_partition_are_refused() -> None:
    with pytest.raises(
        ValueError, match=r"2 records of the truth are in no cluster \(first: \[5, 6\]\)"
    ):
        pairwise_scores([(1, 2, 3), (4,)], TRUTH)
