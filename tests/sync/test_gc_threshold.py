"""The collector's young threshold is raised while syncs run and put back after the last."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from hub.sync.gc_threshold import SYNC_YOUNG_THRESHOLD, fewer_collections


@pytest.fixture(autouse=True)
def _thresholds_restored() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_the_threshold_is_raised_for_the_block_and_put_back_after() -> None:
    gc.set_threshold(700, 10, 10)
    with fewer_collections():
        assert gc.get_threshold() == (SYNC_YOUNG_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_overlapping_syncs_put_it_back_only_when_the_last_ends() -> None:
    gc.set_threshold(500, 10, 10)
    first, second = fewer_collections(), fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[0] == SYNC_YOUNG_THRESHOLD
    second.__exit__(None, None, None)
    assert gc.get_threshold() == (500, 10, 10)


def test_it_is_put_back_when_the_sync_fails() -> None:
    gc.set_threshold(700, 10, 10)
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("source down")
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("young", [0, 50_000], ids=["collector-off", "rarer-already"])
def test_a_collector_set_otherwise_is_left_as_it_is(young: int) -> None:
    gc.set_threshold(young, 10, 10)
    with fewer_collections():
        assert gc.get_threshold() == (young, 10, 10)
    assert gc.get_threshold() == (young, 10, 10)


def test_a_threshold_changed_during_the_sync_is_kept() -> None:
    gc.set_threshold(700, 10, 10)
    with fewer_collections():
        gc.set_threshold(1_000, 10, 10)
    assert gc.get_threshold() == (1_000, 10, 10)
