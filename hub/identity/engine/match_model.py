"""The match model: how much each comparison level says about "same person", in bits.

In the Fellegi-Sunter way, each field level has an *m* probability (how often a true match
shows it) and a *u* probability (how often two different people do); the level weighs
log2(m/u) bits, and a pair's match weight is the prior log-odds plus the sum over fields.
Agreement on a rare value says more than on a common one: for the fields in ``TF_FIELDS`` the
"same" level uses the value's own frequency as *u* (term-frequency adjustment), so two Dupont
records weigh less than two Przybyszewski records. Missing values weigh nothing.

The model is estimated from the data (:mod:`hub.identity.engine.fitting`) and saved, so
incremental runs score new records exactly as the full run that estimated it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from hub.identity.engine.columns import Columns
from hub.identity.engine.comparisons import (
    CONFLICT_FIELDS,
    FIELD_INDEX,
    FIELDS,
    LEVELS,
    SAME,
    Compared,
)

TF_FIELDS = {
    "first_name": "first",
    "last_name": "last",
    "email": "email0",
    "postcode": "postcode",
    "city": "city",
}
"""Fields whose "same" level is weighed by the frequency of the value (→ its column)."""
TF_MIN_COUNT = 2
"""Values seen fewer times than this are not kept in the model: they weigh as the rarest."""

Weights = npt.NDArray[np.float64]


@dataclass
class MatchModel:
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float
    """Probability that two records of the base, drawn at random, are one person."""
    records: int
    frequencies: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per TF field: value → share of records holding it (values seen at least twice)."""
    conflicts: tuple[str, ...] = CONFLICT_FIELDS
    """The fields whose disagreement means two people in this base (see fitting)."""

    @property
    def prior_weight(self) -> float:
        p = min(max(self.prior, 1e-9), 1 - 1e-9)
        return math.log2(p / (1 - p))

    def weight(self, field_name: str, level: int) -> float:
        if level == 0:
            return 0.0
        return math.log2(self.m[field_name][level] / self.u[field_name][level])

    @cached_property
    def weight_table(self) -> npt.NDArray[np.float64]:
        """``table[f, level]``: the weight of each level of each field (0 where missing)."""
        width = max(len(levels) for levels in LEVELS.values())
        table = np.zeros((len(FIELDS), width), dtype=np.float64)
        for f, name in enumerate(FIELDS):
            for level in range(1, len(LEVELS[name])):
                table[f, level] = self.weight(name, level)
        return table

    def tf_weights(self, columns: Columns, field_name: str) -> Weights:
        """The "same" weight of each vocabulary value of ``field_name``'s column, plus a 0 slot."""
        vocabulary = columns.vocabulary(TF_FIELDS[field_name])
        frequencies = self.frequencies.get(field_name, {})
        rarest = 1.0 / max(self.records, 2)
        m_same = self.m[field_name][SAME[field_name]]
        weights = np.fromiter(
            (
                math.log2(m_same / max(frequencies.get(v, rarest), rarest))
                for v in vocabulary.values
            ),
            dtype=np.float64,
            count=len(vocabulary.values),
        )
        return np.append(weights, 0.0)

    def field_weights(self, columns: Columns, compared: Compared) -> Weights:
        """``weights[k, f]``: what field ``f`` of pair ``k`` contributes, TF-adjusted."""
        table = self.weight_table
        weights = table[np.arange(len(FIELDS))[None, :], compared.levels.astype(np.intp)]
        for name, column in TF_FIELDS.items():
            f = FIELD_INDEX[name]
            same = compared.levels[:, f] == SAME[name]
            if same.any():
                codes = columns.codes[column][compared.left[same]]
                tf = columns.derived.get(("tf", name))
                if tf is None:
                    tf = columns.derived[("tf", name)] = self.tf_weights(columns, name)
                weights[same, f] = tf[codes]
        return weights

    def scores(self, columns: Columns, compared: Compared) -> Weights:
        total: Weights = self.prior_weight + self.field_weights(columns, compared).sum(axis=1)
        return total

    def to_json(self) -> dict[str, Any]:
        return {
            "m": self.m,
            "u": self.u,
            "prior": self.prior,
            "records": self.records,
            "frequencies": self.frequencies,
            "conflicts": list(self.conflicts),
            "levels": {name: list(levels) for name, levels in LEVELS.items()},
        }

    @classmethod
    def from_json(cls, document: dict[str, Any] | str) -> MatchModel:
        data = json.loads(document) if isinstance(document, str) else document
        saved_levels = data.get("levels", {})
        for name, levels in LEVELS.items():
            if saved_levels.get(name) != list(levels):
                raise ValueError(
                    f"saved match model has other levels for {name!r}; run a full resolution"
                )
        return cls(
            m={k: list(v) for k, v in data["m"].items()},
            u={k: list(v) for k, v in data["u"].items()},
            prior=float(data["prior"]),
            records=int(data["records"]),
            frequencies={k: dict(v) for k, v in data.get("frequencies", {}).items()},
            conflicts=tuple(
                f for f in data.get("conflicts", CONFLICT_FIELDS) if f in CONFLICT_FIELDS
            ),
        )


_CONFIGURED = {
    # field: [(m, u) for each level after "missing"], in LEVELS order.
    "first_name": [(0.03, 0.97), (0.02, 0.005), (0.05, 0.01), (0.15, 0.005), (0.75, 0.01)],
    "last_name": [(0.05, 0.98), (0.01, 0.002), (0.05, 0.005), (0.12, 0.002), (0.77, 0.011)],
    "birth_date": [(0.02, 0.99), (0.05, 0.0099), (0.93, 0.0001)],
    "email": [(0.35, 0.9999), (0.05, 0.0001), (0.60, 0.000001)],
    "phone": [(0.40, 0.99995), (0.10, 0.00005), (0.50, 0.000001)],
    "postcode": [(0.15, 0.978), (0.05, 0.02), (0.80, 0.002)],
    "city": [(0.12, 0.99), (0.08, 0.002), (0.80, 0.008)],
    "street": [(0.15, 0.999), (0.10, 0.0005), (0.15, 0.0004), (0.60, 0.0001)],
    "national_id": [(0.01, 0.99998), (0.04, 0.00002), (0.95, 0.0000001)],
    "loyalty_card": [(0.30, 0.999999), (0.70, 0.000001)],
}


def configured_model(records: int = 10_000) -> MatchModel:
    """A model set by hand, for bases too small to estimate one (a new hub, a test).

    The values are typical of customer data: one person's records rarely disagree on a first
    name or a birth date, often lack a shared e-mail or phone; two strangers almost never share
    an identifier. The prior assumes about one duplicate per record among all pairs of a base
    of ``records``. A full resolution over enough records replaces it with an estimate.
    """
    return MatchModel(
        m={name: [0.0, *(m for m, _ in levels)] for name, levels in _CONFIGURED.items()},
        u={name: [0.0, *(u for _, u in levels)] for name, levels in _CONFIGURED.items()},
        prior=1.0 / max(records, 10),
        records=max(records, 10),
    )
