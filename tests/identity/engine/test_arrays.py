"""The engine's sort-based set operations answer as numpy's own do."""

from __future__ import annotations

import numpy as np
import pytest

from hub.identity.engine.arrays import isin, unique


@pytest.mark.parametrize("size", [0, 1, 2, 1000])
def test_unique_and_isin_agree_with_numpy(size: int) -> None:
    rng = np.random.default_rng(size)
    values = rng.integers(-50, 10**10 if size > 2 else 5, size, dtype=np.int64)
    pool = np.concatenate([values[: size // 3], rng.integers(0, 10**10, size // 2)])
    assert np.array_equal(unique(values), np.unique(values))
    assert unique(values).dtype == values.dtype
    assert np.array_equal(isin(values, pool), np.isin(values, pool))
    assert np.array_equal(
        isin(values.astype(np.int32), np.array([], np.int32)), np.isin(values, [])
    )


def test_values_past_the_largest_in_the_pool_are_not_in_it() -> None:
    assert isin(np.array([1, 9, 3]), np.array([3, 1])).tolist() == [True, False, True]
