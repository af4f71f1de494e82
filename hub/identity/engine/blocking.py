"""Candidate pairs from shared keys, as arrays: a sort and a few shifted compares, never all pairs.

Rows holding the same key sit next to each other once sorted by key; comparing the sorted key
array with itself shifted by 1, 2, … finds every pair inside each key's group. Groups larger
than the cap were dropped before, so the number of pairs grows with the data, not its square.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hub.identity.engine.arrays import isin, unique

Rows = npt.NDArray[np.int64]


def pairs_from_members(member_key: Rows, member_row: Rows, group_of: Rows, size: int) -> Rows:
    """Codes ``left * size + right`` (left < right) of rows sharing a key, not one identity."""
    if not len(member_key):
        return np.zeros(0, np.int64)
    order = np.lexsort((member_row, member_key))
    keys, rows = member_key[order], member_row[order]
    found: list[Rows] = []
    shift = 1
    while shift < len(keys):
        same = keys[:-shift] == keys[shift:]
        if not same.any():
            break
        left, right = rows[:-shift][same], rows[shift:][same]
        apart = group_of[left] != group_of[right]
        lo, hi = np.minimum(left, right)[apart], np.maximum(left, right)[apart]
        found.append(lo * size + hi)
        shift += 1
    return unique(np.concatenate(found)) if found else np.zeros(0, np.int64)


@dataclass
class KeyFamilies:
    """The kind of every key (``"lp"`` for surname + postcode, ``"e"`` for e-mail: its prefix):
    ``names[codes[k]]`` is the family of key ``k``, worked out once per run."""

    names: list[str]
    codes: Rows


def key_families(key_names: Sequence[str]) -> KeyFamilies:
    names: dict[str, int] = {}
    codes = np.fromiter(
        (names.setdefault(key.partition(":")[0], len(names)) for key in key_names),
        np.int64,
        len(key_names),
    )
    return KeyFamilies(list(names), codes)


def pairs_by_family(
    member_key: Rows,
    member_row: Rows,
    kinds: KeyFamilies,
    usable: npt.NDArray[np.bool_],
    group_of: Rows,
    size: int,
) -> tuple[Rows, Rows, dict[str, npt.NDArray[np.bool_]]]:
    """All candidate pairs from ``usable`` keys, and for each kind of key which it proposed."""
    kept = usable[member_key]
    member_key, member_row = member_key[kept], member_row[kept]
    member_family = kinds.codes[member_key]
    proposed = {
        name: pairs_from_members(
            member_key[member_family == code], member_row[member_family == code], group_of, size
        )
        for code, name in sorted(enumerate(kinds.names), key=lambda item: item[1])
    }
    proposed = {name: codes for name, codes in proposed.items() if len(codes)}
    union = unique(np.concatenate(list(proposed.values()))) if proposed else np.zeros(0, np.int64)
    masks = {name: isin(union, codes) for name, codes in proposed.items()}
    return union // size, union % size, masks
