"""Comparison levels of candidate pairs, field by field, computed over whole arrays.

Each field of a pair gets a level, from "missing" (one side has no value: no evidence either way)
through "different" to "same". Equality is an integer compare of vocabulary codes; only unequal
pairs with both values present are scored with rapidfuzz, as aligned arrays (``cpdist``).

Some disagreements are *conflicts*: two birth dates that no typo explains, two national ids,
two first names that are neither the same name, a nickname, an initial nor a typo. A conflict
means two people, whatever else agrees (twins share a surname, a birth date and an address).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler, Levenshtein

from hub.identity.engine.arrays import isin
from hub.identity.engine.columns import MISSING, Codes, Columns

LEVELS: dict[str, tuple[str, ...]] = {
    "first_name": ("missing", "different", "initial", "similar", "close", "same"),
    "last_name": ("missing", "different", "contained", "similar", "close", "same"),
    "birth_date": ("missing", "different", "close", "same"),
    "email": ("missing", "different", "similar", "same"),
    "phone": ("missing", "different", "same_fixed_line", "same"),
    "postcode": ("missing", "different", "near", "same"),
    "city": ("missing", "different", "similar", "same"),
    "street": ("missing", "different", "similar", "same_street", "same"),
    "national_id": ("missing", "different", "close", "same"),
    "loyalty_card": ("missing", "different", "same"),
}
FIELDS = tuple(LEVELS)
FIELD_INDEX = {name: i for i, name in enumerate(FIELDS)}
SAME = {name: len(levels) - 1 for name, levels in LEVELS.items()}
CONFLICT_FIELDS = ("birth_date", "national_id", "first_name")
NO_CONFLICT = -1

Pairs = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]


@dataclass
class Compared:
    """Levels (``levels[k, f]`` for pair ``k`` and field ``FIELDS[f]``) and conflicts per pair."""

    left: Pairs
    right: Pairs
    levels: npt.NDArray[np.int8]
    conflict: npt.NDArray[np.int8]
    """Index into ``CONFLICT_FIELDS`` of the pair's first conflict, or ``NO_CONFLICT``."""
    crossed: Mask
    """A name of one side agrees with the *other* name of the other side ("webb sam" and
    "sma webb"): half of a swap, the other half too mistyped to be seen."""

    def take(self, rows: npt.NDArray[np.int64] | slice) -> Compared:
        """The pairs at ``rows``, with their levels and conflicts."""
        return Compared(
            self.left[rows], self.right[rows], self.levels[rows], self.conflict[rows],
            self.crossed[rows],
        )  # fmt: skip


def _text_similarity(
    a: npt.NDArray[np.object_],
    b: npt.NDArray[np.object_],
    where: Mask,
    scorer: Any = JaroWinkler.normalized_similarity,
) -> npt.NDArray[np.float64]:
    out = np.zeros(len(a), dtype=np.float64)
    if where.any():
        out[where] = process.cpdist(a[where], b[where], scorer=scorer, workers=1)
    return out


def _similarity(
    columns: Columns, name: str, a: Codes, b: Codes, where: Mask, scorer: Any
) -> npt.NDArray[np.float64]:
    return _text_similarity(columns.text(name, a), columns.text(name, b), where, scorer)


def _pairwise(
    columns: Columns,
    name: str,
    a: Codes,
    b: Codes,
    where: Mask,
    test: Callable[[str, str], bool],
) -> Mask:
    """``test`` of the texts of each pair ``where`` holds (False elsewhere), one call a pair."""
    out = np.zeros(len(a), dtype=np.bool_)
    if where.any():
        out[where] = [
            test(x, y)
            for x, y in zip(columns.text(name, a[where]), columns.text(name, b[where]), strict=True)
        ]
    return out


def _levels_of(
    present: Mask, same: Mask, grades: list[tuple[Mask, int]], size: int
) -> npt.NDArray[np.int8]:
    """Missing (0) where a side is empty, else the best grade that holds, else different (1)."""
    level = np.where(present, 1, 0).astype(np.int8)
    for holds, value in grades:
        level = np.where(present & holds & (level < value), value, level).astype(np.int8)
    return np.where(present & same, size - 1, level).astype(np.int8)


def _pair_codes(columns: Columns, name: str, left: Pairs, right: Pairs) -> tuple[Codes, Codes]:
    codes = columns.codes[name]
    return codes[left], codes[right]


def _any_equal(
    columns: Columns, names: tuple[str, str], left: Pairs, right: Pairs, excluded: set[int]
) -> tuple[Mask, Mask, Codes]:
    """Whether any value of one side equals any of the other (and which), and presence."""
    a0, b0 = _pair_codes(columns, names[0], left, right)
    a1, b1 = _pair_codes(columns, names[1], left, right)
    present = (a0 != MISSING) & (b0 != MISSING)
    equal_code = np.full(len(left), MISSING, dtype=np.int32)
    for a, b in ((a0, b0), (a0, b1), (a1, b0), (a1, b1)):
        hit = (a == b) & (a != MISSING) & (equal_code == MISSING)
        if excluded:
            hit &= ~np.isin(a, np.fromiter(excluded, dtype=np.int32))
        equal_code = np.where(hit, a, equal_code)
    return present, equal_code != MISSING, equal_code


def compare(
    columns: Columns,
    left: Pairs,
    right: Pairs,
    shared: dict[str, set[int]],
    conflict_fields: tuple[str, ...] = CONFLICT_FIELDS,
) -> Compared:
    """Levels of every pair ``(left[k], right[k])`` of rows of ``columns``.

    ``shared`` holds, per identifier field, the vocabulary codes of values held by too many
    source identities: equal shared values count as no evidence.
    """
    n = len(left)
    levels = np.zeros((n, len(FIELDS)), dtype=np.int8)

    fa, fb = _pair_codes(columns, "first", left, right)
    la, lb = _pair_codes(columns, "last", left, right)
    first_present = (fa != MISSING) & (fb != MISSING)
    last_present = (la != MISSING) & (lb != MISSING)
    # Names typed in each other's field ("MARTIN Jean" vs "Jean Martin"), typos included.
    maybe_swapped = first_present & last_present & (fa != fb) & (la != lb)
    swap_first = _text_similarity(
        columns.text("first", fa), columns.text("last", lb), maybe_swapped
    )
    swap_last = _text_similarity(columns.text("last", la), columns.text("first", fb), maybe_swapped)
    swapped = maybe_swapped & (swap_first >= 0.85) & (swap_last >= 0.85)
    crossed = maybe_swapped & ((swap_first >= 0.85) | (swap_last >= 0.85))
    # Half a swap: one side's first name is the other's surname and the other names are
    # missing, so there is nothing to contradict ("beelitz siawn" and "sian", no surname).
    half_swapped = ~swapped & (
        (
            (
                _text_similarity(columns.text("last", la), columns.text("first", fb), first_present)
                >= 0.85
            )
            & (lb == MISSING)
        )
        | (
            (
                _text_similarity(columns.text("first", fa), columns.text("last", lb), first_present)
                >= 0.85
            )
            & (la == MISSING)
        )
    )
    swapped_exact = swapped & (swap_first == 1.0) & (swap_last == 1.0)
    ra, rb = _pair_codes(columns, "first_root", left, right)
    first_sim = _similarity(
        columns, "first", fa, fb, first_present & (fa != fb), JaroWinkler.normalized_similarity
    )
    # Only pairs of two different values need a grade: "same" outranks every grade.
    initial = _pairwise(
        columns,
        "first",
        fa,
        fb,
        first_present & (fa != fb),
        lambda x, y: (len(x) == 1 or len(y) == 1) and x[:1] == y[:1],
    )
    levels[:, 0] = _levels_of(
        first_present,
        (fa == fb) | swapped_exact,
        [
            (initial, 2),
            ((first_sim >= 0.85) | half_swapped, 3),
            ((first_sim >= 0.92) | ((ra == rb) & (ra != MISSING)) | swapped, 4),
        ],
        6,
    )

    last_sim = _similarity(
        columns, "last", la, lb, last_present & (la != lb), JaroWinkler.normalized_similarity
    )
    contained = _pairwise(
        columns,
        "last",
        la,
        lb,
        last_present & (la != lb),
        lambda x, y: bool(x and y) and (x in y or y in x),
    )
    levels[:, 1] = _levels_of(
        last_present,
        (la == lb) | swapped_exact,
        [(contained, 2), (last_sim >= 0.85, 3), ((last_sim >= 0.92) | swapped, 4)],
        6,
    )

    da, db = _pair_codes(columns, "dob", left, right)
    dob_present = (da != MISSING) & (db != MISSING)
    dob_edits = _similarity(columns, "dob", da, db, dob_present & (da != db), Levenshtein.distance)
    dob_differ = dob_present & (da != db)
    dob_close = np.zeros(n, dtype=np.bool_)
    if dob_differ.any():
        dob_close[dob_differ] = [
            _dates_close(x, y, edits)
            for x, y, edits in zip(
                columns.text("dob", da[dob_differ]),
                columns.text("dob", db[dob_differ]),
                dob_edits[dob_differ].tolist(),
                strict=True,
            )
        ]
    levels[:, 2] = _levels_of(dob_present, da == db, [(dob_close, 2)], 4)

    present, equal, _ = _any_equal(
        columns, ("email0", "email1"), left, right, shared.get("email", set())
    )
    ea, eb = _pair_codes(columns, "email0", left, right)
    shared_equal = present & ~equal & _equal_any_codes(columns, ("email0", "email1"), left, right)
    # Alike only as a typo is: the same domain, the same digits, a letter or two apart.
    # Addresses are made of names and numbers, so two Stefan Fischers have alike addresses.
    alike = present & ~equal & ~shared_equal
    email_sim = np.zeros(n, dtype=np.float64)
    if alike.any():
        email_sim[alike] = [
            float(_typo_apart(x, y))
            for x, y in zip(
                columns.text("email0", ea[alike]), columns.text("email0", eb[alike]), strict=True
            )
        ]
    levels[:, 3] = np.where(shared_equal, 0, _levels_of(present, equal, [(email_sim > 0, 2)], 4))

    present, equal, code = _any_equal(
        columns, ("phone0", "phone1"), left, right, shared.get("phone", set())
    )
    shared_equal = present & ~equal & _equal_any_codes(columns, ("phone0", "phone1"), left, right)
    fixed = (
        isin(code, np.fromiter(columns.fixed_phones, dtype=np.int32))
        if columns.fixed_phones
        else np.zeros(n, dtype=np.bool_)
    )
    phone = _levels_of(present, equal & ~fixed, [(equal & fixed, 2)], 4)
    levels[:, 4] = np.where(shared_equal, 0, phone)

    pa, pb = _pair_codes(columns, "postcode", left, right)
    post_present = (pa != MISSING) & (pb != MISSING)
    near = post_present & (
        columns.text("postcode", pa).astype(str).astype("U3")
        == columns.text("postcode", pb).astype(str).astype("U3")
    )
    levels[:, 5] = _levels_of(post_present, pa == pb, [(near, 2)], 4)

    ca, cb = _pair_codes(columns, "city", left, right)
    city_present = (ca != MISSING) & (cb != MISSING)
    city_sim = _similarity(
        columns, "city", ca, cb, city_present & (ca != cb), JaroWinkler.normalized_similarity
    )
    levels[:, 6] = _levels_of(city_present, ca == cb, [(city_sim >= 0.9, 2)], 4)

    sta, stb = _pair_codes(columns, "street", left, right)
    ha, hb = _pair_codes(columns, "house", left, right)
    street_present = (sta != MISSING) & (stb != MISSING)
    street_sim = _similarity(
        columns,
        "street",
        sta,
        stb,
        street_present & (sta != stb),
        JaroWinkler.normalized_similarity,
    )
    same_house = (ha == hb) & (ha != MISSING)
    levels[:, 7] = _levels_of(
        street_present,
        (sta == stb) & same_house,
        [(street_sim >= 0.9, 2), (sta == stb, 3), ((street_sim >= 0.9) & same_house, 3)],
        5,
    )

    na, nb = _pair_codes(columns, "natid", left, right)
    nat_present = (na != MISSING) & (nb != MISSING)
    nat_edits = _similarity(
        columns, "natid", na, nb, nat_present & (na != nb), Levenshtein.distance
    )
    shared_nat = np.isin(na, np.fromiter(shared.get("national_id", set()), dtype=np.int32)) & (
        na == nb
    )
    nat = _levels_of(nat_present, na == nb, [(nat_edits <= 2, 2)], 4)
    levels[:, 8] = np.where(shared_nat, 0, nat)

    present, equal, _ = _any_equal(
        columns, ("card0", "card1"), left, right, shared.get("loyalty_card", set())
    )
    shared_equal = present & ~equal & _equal_any_codes(columns, ("card0", "card1"), left, right)
    levels[:, 9] = np.where(shared_equal, 0, _levels_of(present, equal, [], 3))

    conflict = conflicts(levels, crossed, conflict_fields)
    return Compared(left=left, right=right, levels=levels, conflict=conflict, crossed=crossed)


def conflicts(
    levels: npt.NDArray[np.int8], crossed: Mask, fields: tuple[str, ...] = CONFLICT_FIELDS
) -> npt.NDArray[np.int8]:
    """The first conflicting field of each pair, unless the other core fields outweigh it.

    Sources do replace a whole value by mistake (a contract's birth date, a CRM's first name),
    so a contradiction is forgiven when stronger identity fields agree exactly: the same
    national id, or for a national id the same names, birth date and place. Twins differ in
    first name and have their own national ids, a parent and child differ in birth date: they
    are never forgiven. Only ``fields`` can conflict (see :meth:`MatchModel.conflict_fields`).
    """
    first, last = levels[:, FIELD_INDEX["first_name"]], levels[:, FIELD_INDEX["last_name"]]
    dob, national = levels[:, FIELD_INDEX["birth_date"]], levels[:, FIELD_INDEX["national_id"]]
    place = (
        (levels[:, FIELD_INDEX["street"]] >= 2)
        | (levels[:, FIELD_INDEX["postcode"]] == 3)
        | (levels[:, FIELD_INDEX["city"]] == 3)
    )
    names_close = (first >= 4) & (last >= 4)
    # One person's national id, exactly: a parent, a child or a twin never has it. A name
    # typed in the other name's field still agrees ("webb sam" and "sma webb").
    same_person_id = (national == 3) & ((last >= 3) | (first >= 3) | (dob == 3) | crossed)
    against = {
        # A national id a typo or two away, with the same names, is the same person with a
        # mistyped birth date, wherever they live now; a parent has the names and the place,
        # not the id.
        "birth_date": (dob == 1) & ~(same_person_id | ((national == 2) & names_close)),
        "national_id": (national == 1) & ~((first >= 4) & (dob == 3) & place),
        "first_name": (first == 1) & ~same_person_id,
    }
    conflict = np.full(len(levels), NO_CONFLICT, dtype=np.int8)
    for index, field in enumerate(CONFLICT_FIELDS):
        if field not in fields:
            continue
        hit = (conflict == NO_CONFLICT) & against[field]
        conflict = np.where(hit, index, conflict).astype(np.int8)
    return conflict


def _equal_any_codes(columns: Columns, names: tuple[str, str], left: Pairs, right: Pairs) -> Mask:
    present, equal, _ = _any_equal(columns, names, left, right, set())
    return present & equal


def _typo_apart(left: str, right: str) -> bool:
    """Two e-mail addresses one slip of the keyboard apart: same domain and digits."""
    local_a, _, domain_a = left.rpartition("@")
    local_b, _, domain_b = right.rpartition("@")
    if domain_a != domain_b or [c for c in local_a if c.isdigit()] != [
        c for c in local_b if c.isdigit()
    ]:
        return False
    return Levenshtein.distance(local_a, local_b, score_cutoff=2) <= 2


def _dates_close(left: str, right: str, edits: float) -> bool:
    """A typo, not another person: day and month swapped, or two digits off within a decade."""
    if not left or not right or left == right:
        return False
    if left[:4] == right[:4] and left[4:6] == right[6:8] and left[6:8] == right[4:6]:
        return True
    return edits <= 2 and abs(int(left[:4]) - int(right[:4])) < 10
