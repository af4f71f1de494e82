"""Estimating the match model from the data itself, the way Splink and the literature do.

*u* (how often two different people agree on a field) comes from random pairs: almost every
random pair is two different people. *m* (how often one person's records agree) comes from
expectation-maximisation over candidate pairs, one kind of tight blocking key at a time: pairs
proposed by "same surname and birth year" agree on those by construction, so that
EM run learns m for the other fields only and each field's m is averaged over the runs that did
not block on it. Without that, EM takes look-alikes for matches (every pair in one town, say).
The prior is the share of matches among all pairs, found as a fixed point over the candidates.
Term frequencies are counted over all records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt

from hub.identity.engine.columns import MISSING, Columns
from hub.identity.engine.comparisons import (
    CONFLICT_FIELDS,
    FIELD_INDEX,
    FIELDS,
    LEVELS,
    Compared,
    compare,
    conflicts,
)
from hub.identity.engine.match_model import (
    TF_FIELDS,
    TF_MIN_COUNT,
    MatchModel,
    configured_model,
)
from hub.identity.engine.settings import EngineSettings

EM_ITERATIONS = 30
PSEUDO_COUNT = 0.5
"""Added to every level's count so an unseen level keeps a small, finite probability."""
MIN_FAMILY_PAIRS = 50
"""A kind of key that proposed fewer pairs teaches too little to be used for m."""
OVERWRITTEN_SHARE = 0.03
"""One person's records may disagree on a field this often (a second first name used, a
number mistyped beyond recognition) before the base counts as one whose sources overwrite it."""

_PLACE = ("postcode", "city")
FAMILY_FIELDS: dict[str, tuple[str, ...]] = {
    "lf": ("first_name", "last_name"),
    "nm": ("first_name", "last_name"),
    "fd": ("first_name", "birth_date"),
    "ly": ("last_name", "birth_date"),
    "dp": ("birth_date", *_PLACE),
    "dl": ("birth_date", "last_name"),
    "di": ("birth_date", "first_name", "last_name"),
    "pi": (*_PLACE, "first_name", "last_name"),
    "lp": ("last_name", *_PLACE),
    "sh": ("street", *_PLACE),
    "e": ("email",),
    "p": ("phone",),
    "l": ("loyalty_card",),
    "n": ("national_id",),
}
"""The fields each kind of blocking key forces to agree (postcode and city go together)."""
TRAINING_FAMILIES = ("fd", "ly", "dp", "dl", "di", "e", "p", "l", "n")
"""Kinds of key whose pairs are mostly one person: EM over them finds matches, not towns.

Keys as loose as "same surname and postcode" propose mostly strangers; over those, EM fits
whatever mixture the strangers show (e-mails alike, one street) and calls it a match."""

Probabilities = dict[str, list[float]]


def _level_shares(levels: npt.NDArray[np.int8], weights: npt.NDArray[np.float64]) -> Probabilities:
    shares: Probabilities = {}
    for f, name in enumerate(FIELDS):
        size = len(LEVELS[name])
        counts = np.bincount(levels[:, f], weights=weights, minlength=size)[:size].astype(
            np.float64
        )
        counts[1:] += PSEUDO_COUNT
        total = counts[1:].sum()
        shares[name] = [0.0, *(float(c / total) for c in counts[1:])]
    return shares


def _log_table(probabilities: Probabilities) -> npt.NDArray[np.float64]:
    table = np.zeros((len(FIELDS), max(len(v) for v in LEVELS.values())))
    for f, name in enumerate(FIELDS):
        table[f, : len(probabilities[name])] = np.log(np.maximum(probabilities[name], 1e-12))
        table[f, 0] = 0.0  # missing: no evidence either way
    return table


def _posterior(
    levels: npt.NDArray[np.int8], m: Probabilities, u: Probabilities, prior: float
) -> npt.NDArray[np.float64]:
    rows = np.arange(len(FIELDS))[None, :]
    index = levels.astype(np.intp)
    match = np.log(prior) + _log_table(m)[rows, index].sum(axis=1)
    other = np.log(1 - prior) + _log_table(u)[rows, index].sum(axis=1)
    posterior: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(np.clip(other - match, -50, 50)))
    return posterior


def _em_m(levels: npt.NDArray[np.int8], u: Probabilities) -> Probabilities:
    """m by EM with u held fixed, from the configured model's m and a candidate prior."""
    m, prior = configured_model().m, 0.3
    for _ in range(EM_ITERATIONS):
        posterior = _posterior(levels, m, u, prior)
        prior = float(np.clip(posterior.mean(), 1e-4, 1 - 1e-4))
        m = _level_shares(levels, posterior)
    return m


def _m_by_family(
    levels: npt.NDArray[np.int8],
    conflict: npt.NDArray[np.int8],
    families: Mapping[str, npt.NDArray[np.bool_]],
    u: Probabilities,
    settings: EngineSettings,
    rng: np.random.Generator,
) -> Probabilities:
    learned: dict[str, list[list[float]]] = {name: [] for name in FIELDS}
    for family, mask in families.items():
        if family not in TRAINING_FAMILIES:
            continue
        blocked = FAMILY_FIELDS.get(family, ())
        # Pairs the guards call two people (twins, a parent and child, a couple) look like
        # matches on every household field; left in, EM learns that households are matches.
        # Pairs the guards call two people (twins, a parent and child, a couple) look like
        # matches on every household field; left in, EM learns that households are matches.
        rows = np.flatnonzero(mask & (conflict < 0))
        if len(rows) < MIN_FAMILY_PAIRS:
            continue
        if len(rows) > settings.em_pairs:
            rows = rng.choice(rows, settings.em_pairs, replace=False)
        sample = levels[rows].copy()
        for name in blocked:
            sample[:, FIELD_INDEX[name]] = 0  # agreed by construction: no evidence here
        m = _em_m(sample, u)
        for name in FIELDS:
            present = (sample[:, FIELD_INDEX[name]] != 0).sum()
            if name not in blocked and present >= MIN_FAMILY_PAIRS:
                learned[name].append(m[name])
    fallback = configured_model().m
    return {
        name: [float(x) for x in np.mean(found, axis=0)] if found else fallback[name]
        for name, found in learned.items()
    }


def _prior(
    levels: npt.NDArray[np.int8], m: Probabilities, u: Probabilities, all_pairs: float
) -> float:
    """Share of matches among all pairs: the fixed point of "expected matches / all pairs"."""
    if not len(levels):
        return 1.0 / max(all_pairs, 1.0)
    prior = min(0.5, len(levels) / max(all_pairs, 1.0) / 2)
    for _ in range(EM_ITERATIONS):
        matches = float(_posterior(levels, m, u, prior).sum())
        settled, prior = prior, float(np.clip(matches / max(all_pairs, 1.0), 1e-12, 0.5))
        if abs(prior - settled) <= 1e-4 * settled:
            break
    return prior


def _reliable_conflicts(candidates: Compared) -> tuple[str, ...]:
    """The conflict fields this base's own records show to be reliable.

    Some sources overwrite whole values (FEBRL's generator does, some CRMs do). Where records
    sharing a national id disagree on first names, or records agreeing on both names and the
    birth date disagree on national ids, more often than typos explain, that disagreement is
    not proof of another person and the score weighs it instead. Households cannot make these
    tests fail: twins never share a national id, and a parent has another birth date. Birth
    dates always count; without enough pairs to tell, every guard stays on.
    """
    levels = candidates.levels
    first, last = levels[:, FIELD_INDEX["first_name"]], levels[:, FIELD_INDEX["last_name"]]
    national, dob = levels[:, FIELD_INDEX["national_id"]], levels[:, FIELD_INDEX["birth_date"]]
    tests = {
        "first_name": ((national == 3) & (first != 0), first == 1),
        "national_id": ((first >= 4) & (last >= 4) & (dob == 3) & (national != 0), national == 1),
    }
    kept = ["birth_date"]
    for field, (population, disagree) in tests.items():
        if population.sum() < MIN_FAMILY_PAIRS or disagree[population].mean() <= OVERWRITTEN_SHARE:
            kept.append(field)
    return tuple(f for f in CONFLICT_FIELDS if f in kept)


def _random_pairs(
    size: int, count: int, group_of: npt.NDArray[np.int64], rng: np.random.Generator
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    left = rng.integers(0, size, count, dtype=np.int64)
    right = rng.integers(0, size, count, dtype=np.int64)
    keep = group_of[left] != group_of[right]
    return left[keep], right[keep]


def _frequencies(columns: Columns) -> dict[str, dict[str, float]]:
    frequencies: dict[str, dict[str, float]] = {}
    n = max(len(columns), 1)
    for name, column in TF_FIELDS.items():
        codes = columns.codes[column]
        counts = Counter(codes[codes != MISSING].tolist())
        values = columns.vocabulary(column).values
        frequencies[name] = {
            values[code]: count / n for code, count in counts.items() if count >= TF_MIN_COUNT
        }
    return frequencies


def estimate_model(
    columns: Columns,
    candidates: Compared,
    families: Mapping[str, npt.NDArray[np.bool_]],
    group_of: npt.NDArray[np.int64],
    shared: dict[str, set[int]],
    settings: EngineSettings,
    progress: Callable[[str, int, int], None] | None = None,
) -> MatchModel:
    """Estimate u from random pairs, m by EM per kind of blocking key, then the prior."""
    rng = np.random.default_rng(20261202)  # fixed: the same data gives the same model
    size = len(columns)
    if progress:
        progress("estimating", 0, 3)
    left, right = _random_pairs(size, settings.random_pairs, group_of, rng)
    u = _level_shares(compare(columns, left, right, shared).levels, np.ones(len(left)))
    if progress:
        progress("estimating", 1, 3)
    reliable = _reliable_conflicts(candidates)
    conflict = conflicts(candidates.levels, candidates.crossed, reliable)
    m = _m_by_family(candidates.levels, conflict, families, u, settings, rng)
    if progress:
        progress("estimating", 2, 3)
    sample = candidates.levels
    if len(sample) > settings.em_pairs:
        sample = sample[rng.choice(len(sample), settings.em_pairs, replace=False)]
    all_pairs = size * (size - 1) / 2 * len(sample) / max(len(candidates.levels), 1)
    prior = _prior(sample, m, u, all_pairs)
    if progress:
        progress("estimating", 3, 3)
    return MatchModel(
        m=m,
        u=u,
        prior=prior,
        records=size,
        frequencies=_frequencies(columns),
        conflicts=reliable,
    )
