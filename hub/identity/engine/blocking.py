"""Candidate pairs from shared keys, as arrays: a sort and a few shifted compares, never all pairs.

Rows holding the same key sit next to each other once sorted by key; comparing the sorted key
array with itself shifted by 1, 2, … finds every pair inside each key's group. Groups larger
than the cap were dropped before, so the number of pairs grows with the data, not its square.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

Rows = npt.NDArray[np.int64]


def pairs_from_keys(
    members: Mapping[str, Sequence[int]],
    keys: Iterable[str],
    group_of: npt.NDArray[np.int64],
    size: int,
) -> tuple[Rows, Rows]:
    """Unique pairs ``(left < right)`` of rows sharing one of ``keys`` and not one identity."""
    key_codes: list[int] = []
    rows: list[int] = []
    for code, key in enumerate(keys):
        holders = members[key]
        if len(holders) > 1:
            key_codes.extend([code] * len(holders))
            rows.extend(holders)
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    key_array = np.array(key_codes, dtype=np.int64)
    row_array = np.array(rows, dtype=np.int64)
    order = np.lexsort((row_array, key_array))
    key_array, row_array = key_array[order], row_array[order]
    found: list[npt.NDArray[np.int64]] = []
    shift = 1
    while shift < len(key_array):
        same = key_array[:-shift] == key_array[shift:]
        if not same.any():
            break
        left, right = row_array[:-shift][same], row_array[shift:][same]
        apart = group_of[left] != group_of[right]
        lo, hi = np.minimum(left, right)[apart], np.maximum(left, right)[apart]
        found.append(lo * size + hi)
        shift += 1
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    codes = np.unique(np.concatenate(found))
    return codes // size, codes % size


def family(key: str) -> str:
    """The kind of a key (``"lp"`` for surname + postcode, ``"e"`` for e-mail): its prefix."""
    return key.split(":", 1)[0]


def pairs_by_family(
    members: Mapping[str, Sequence[int]],
    keys: Iterable[str],
    group_of: npt.NDArray[np.int64],
    size: int,
) -> tuple[Rows, Rows, dict[str, npt.NDArray[np.bool_]]]:
    """All candidate pairs, and for each kind of key which of them it proposed."""
    by_family: dict[str, list[str]] = {}
    for key in keys:
        by_family.setdefault(family(key), []).append(key)
    proposed = {
        name: pairs_from_keys(members, family_keys, group_of, size)
        for name, family_keys in sorted(by_family.items())
    }
    codes = [left * size + right for left, right in proposed.values()]
    union = np.unique(np.concatenate(codes)) if codes else np.zeros(0, np.int64)
    masks = {
        name: np.isin(union, family_codes)
        for name, family_codes in zip(proposed, codes, strict=True)
    }
    return union // size, union % size, masks
