"""A seeded customer-360 population with ground truth and traps, as person records.

``generate(size, seed)`` gives exactly ``size`` records of people from FR, GB, DE, ES and IT,
spread over five sources that each spell people their own way (``sources``), with about one
person in five built as a trap (``people``): twins, parent and child, couples sharing an e-mail
or a fixed line, junk identifiers, very common names, people who moved, people who married.
Record ids are a random permutation, so a person's records are not neighbours.
"""

from __future__ import annotations

import random
from itertools import accumulate

import numpy as np

from ..dataset import LabelledDataset
from .people import NO_TRAP, PAIR_TRAPS, UNIT_SHARES, PersonDraws, pair_unit, single_unit
from .pools import country_pools
from .sources import RecordWriter

PEOPLE_PER_DRAW = 65_536
_KINDS = list(UNIT_SHARES)
_BOUNDS = list(accumulate(UNIT_SHARES.values()))


def _unit_kind(rng: random.Random) -> str:
    draw = rng.random()
    for kind, bound in zip(_KINDS, _BOUNDS, strict=True):
        if draw < bound:
            return kind
    return NO_TRAP


def generate(size: int, seed: int = 0) -> LabelledDataset:
    if size < 0:
        raise ValueError(f"a data set cannot have {size} records")
    pools = country_pools(seed)
    rng = random.Random(seed)
    record_ids = np.random.default_rng(seed).permutation(size).tolist()
    writer = RecordWriter(pools, rng, record_ids)
    traps: dict[str, str] = {}
    first_serial = 0
    while not writer.full:
        draws = PersonDraws(pools, PEOPLE_PER_DRAW, seed, first_serial)
        k = 0
        while k < len(draws) and not writer.full:
            kind = _unit_kind(rng)
            if kind in PAIR_TRAPS and k + 1 < len(draws):
                people = pair_unit(draws, k, kind, rng)
            else:
                people = [single_unit(draws, k, NO_TRAP if kind in PAIR_TRAPS else kind, rng)]
            for person in people:
                writer.write(person)
                if person.trap != NO_TRAP:
                    traps[person.entity_id] = person.trap
            k += len(people)
        first_serial += len(draws)
    present = set(writer.truth.values())
    records = sorted(writer.records, key=lambda record: record.record_id)
    return LabelledDataset(
        name="synthetic",
        records=records,
        truth=writer.truth,
        traps={entity: trap for entity, trap in traps.items() if entity in present},
    )
