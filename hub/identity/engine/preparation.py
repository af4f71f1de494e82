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

from hub.identity.engine.groups import UnionFind
from hub.identity.engine.keys import blocking_keys, reference_keys
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
        pairs = np.unique(np.stack([self.member_key, self.rep_group[self.member_row]]), axis=1)
        return np.bincount(pairs[0], minlength=len(self.key_names)).astype(np.int64)


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
    identities = UnionFind[int]()
    holders: dict[str, list[int]] = {}
    for person in ordered:
        identities.find(person.record_id)
        for key in reference_keys(person):
            holders.setdefault(key, []).append(person.record_id)
    prepared = Prepared(people=ordered)
    for key, records in holders.items():
        if len(records) > 1:
            identities.union_all(records)
            prepared.group_reference.setdefault(identities.find(records[0]), key[2:])
    row_of_content: dict[tuple[object, ...], int] = {}
    groups: list[int] = []
    code_of_key: dict[str, int] = {}
    member_key: list[int] = []
    member_row: list[int] = []
    for person in ordered:
        group = identities.find(person.record_id)
        prepared.group_records.setdefault(group, []).append(person.record_id)
        content = _content(person, group)
        row = row_of_content.get(content)
        if row is None:
            row = row_of_content[content] = len(prepared.reps)
            prepared.reps.append(person)
            prepared.rep_records.append([])
            groups.append(group)
            prepared.group_rows.setdefault(group, []).append(row)
            keys = blocking_keys(person)
            member_key.extend([code_of_key.setdefault(key, len(code_of_key)) for key in keys])
            member_row.extend([row] * len(keys))
        prepared.rep_records[row].append(person.record_id)
        prepared.record_row[person.record_id] = row
    prepared.rep_group = np.array(groups, dtype=np.int64)
    prepared.key_names = list(code_of_key)
    prepared.member_key = np.array(member_key, dtype=np.int64)
    prepared.member_row = np.array(member_row, dtype=np.int64)
    return prepared
