"""From records to what the engine compares: source identities, representatives and keys.

Records tied by a reference form one *source identity* (a customer and its orders). Inside an
identity, records with the same normalised content are one *representative*: a customer's 300
orders that all repeat the buyer's name and e-mail are compared once, not 300 times.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from hub.identity.engine.arrays import unique
from hub.identity.engine.groups import IndexForest
from hub.identity.engine.keys import blocking_keys
from hub.identity.model import NormalisedPerson

KeyCounter = Callable[[str], int]
"""Source identities holding a key (counting may stop a little past the caps)."""


@dataclass
class Prepared:
    people: list[NormalisedPerson]
    reps: list[NormalisedPerson] = field(default_factory=list)
    rep_records: list[list[int]] = field(default_factory=list)
    rep_group: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    """The source identity of each representative: the smallest record id in it."""
    group_rows: dict[int, list[int]] = field(default_factory=dict)
    group_records: dict[int, list[int]] = field(default_factory=dict)
    group_reference: dict[int, str] = field(default_factory=dict)
    """A reference shared inside each identity of several records, for the evidence."""
    record_row: dict[int, int] = field(default_factory=dict)
    key_names: list[str] = field(default_factory=list)
    """Every key any representative holds; its index is the key's code."""
    member_key: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    member_row: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    """Who holds which key: representative ``member_row[i]`` holds key ``member_key[i]``."""

    def rows_holding(self, code: int) -> list[int]:
        return [int(row) for row in self.member_row[self.member_key == code]]

    def identities_per_key(self, counter: KeyCounter | None) -> npt.NDArray[np.int64]:
        """How many source identities hold each key: here, or in the whole base (``counter``)."""
        if counter is not None:
            return np.fromiter((counter(k) for k in self.key_names), np.int64, len(self.key_names))
        _, group_index = np.unique(self.rep_group, return_inverse=True)
        count = max(len(self.reps), 1)
        # One code per (key, identity) pair: a flat unique is far cheaper than a 2-D one.
        pairs = unique(self.member_key * count + group_index[self.member_row])
        return np.bincount(pairs // count, minlength=len(self.key_names)).astype(np.int64)


def _content(person: NormalisedPerson, group: int) -> tuple[object, ...]:
    return (
        group,
        person.first_name,
        person.first_name_root,
        person.last_name,
        person.birth_date,
        person.emails,
        person.phones,
        person.fixed_phones,
        person.street,
        person.house_number,
        person.postcode,
        person.city,
        person.loyalty_cards,
        person.national_id,
    )


def prepare(people: Sequence[NormalisedPerson]) -> Prepared:
    ordered = sorted(people, key=lambda p: p.record_id)
    record_ids = [person.record_id for person in ordered]
    # Positions in record-id order, so the smallest position of an identity is its smallest
    # record id, the identity's name.
    identities = IndexForest(len(ordered))
    holders: dict[str, list[int]] = {}
    for position, person in enumerate(ordered):
        for reference in person.references:
            holders.setdefault(reference, []).append(position)
    prepared = Prepared(people=ordered)
    for reference, positions in holders.items():
        if len(positions) > 1:
            identities.union_all(positions)
            root = record_ids[identities.find(positions[0])]
            prepared.group_reference.setdefault(root, reference)
    row_of_content: dict[tuple[object, ...], int] = {}
    groups: list[int] = []
    member_keys: list[str] = []
    member_row: list[int] = []
    group_records, group_rows = prepared.group_records, prepared.group_rows
    reps, rep_records, record_row = prepared.reps, prepared.rep_records, prepared.record_row
    for person, root in zip(ordered, identities.roots(), strict=True):
        group = record_ids[root]
        record_id = person.record_id
        group_records.setdefault(group, []).append(record_id)
        content = _content(person, group)
        row = row_of_content.get(content)
        if row is None:
            row = row_of_content[content] = len(reps)
            reps.append(person)
            rep_records.append([])
            groups.append(group)
            group_rows.setdefault(group, []).append(row)
            keys = blocking_keys(person)
            member_keys.extend(keys)
            member_row.extend([row] * len(keys))
        rep_records[row].append(record_id)
        record_row[record_id] = row
    prepared.rep_group = np.array(groups, dtype=np.int64)
    # Keys are coded in order of first appearance, with the dict work done in C.
    prepared.key_names = list(dict.fromkeys(member_keys))
    code_of_key = {key: code for code, key in enumerate(prepared.key_names)}
    prepared.member_key = np.fromiter(
        map(code_of_key.__getitem__, member_keys), np.int64, len(member_keys)
    )
    prepared.member_row = np.array(member_row, dtype=np.int64)
    return prepared
