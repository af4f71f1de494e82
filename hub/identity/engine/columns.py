"""People as columns: each field a numpy array of codes into a vocabulary of its values.

Comparing millions of candidate pairs one Python call at a time is too slow, so the engine turns
normalised people into arrays once: equality becomes an integer compare over whole arrays, and
only pairs that are not equal reach rapidfuzz, as aligned arrays of strings. Multi-valued fields
(e-mails, phones, loyalty cards) keep their first two values, which covers real records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from hub.identity.model import NormalisedPerson

MISSING = -1
Codes = npt.NDArray[np.int32]


@dataclass
class Vocabulary:
    """Distinct values of one kind of field; code ``i`` stands for ``values[i]``."""

    values: list[str] = field(default_factory=list)
    _codes: dict[str, int] = field(default_factory=dict)

    def code(self, value: str | None) -> int:
        if not value:
            return MISSING
        code = self._codes.get(value)
        if code is None:
            code = self._codes[value] = len(self.values)
            self.values.append(value)
        return code

    def array(self) -> npt.NDArray[np.object_]:
        """The values as an object array with ``""`` appended, so code -1 gathers ``""``."""
        return np.array([*self.values, ""], dtype=object)


TEXT_FIELDS = (
    "first",
    "first_root",
    "last",
    "dob",
    "email0",
    "email1",
    "phone0",
    "phone1",
    "postcode",
    "city",
    "street",
    "house",
    "natid",
    "card0",
    "card1",
)
_VOCABULARY_OF = {
    "first_root": "first",
    "email1": "email0",
    "phone1": "phone0",
    "card1": "card0",
}


@dataclass
class Columns:
    """Column ``name`` of record ``i`` is ``codes[name][i]``; its text is ``text(name, codes)``."""

    record_ids: npt.NDArray[np.int64]
    codes: dict[str, Codes]
    vocabularies: dict[str, Vocabulary]
    fixed_phones: set[int]
    """Codes (in the phone vocabulary) of fixed-line numbers."""
    derived: dict[object, Any] = field(default_factory=dict)
    """Arrays derived from the vocabularies by one model (term-frequency weights), cached."""
    _arrays: dict[str, npt.NDArray[np.object_]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.record_ids)

    def vocabulary(self, name: str) -> Vocabulary:
        return self.vocabularies[_VOCABULARY_OF.get(name, name)]

    def text(self, name: str, codes: Codes) -> npt.NDArray[np.object_]:
        """The values of ``codes`` (codes of column ``name``), ``""`` where missing."""
        key = _VOCABULARY_OF.get(name, name)
        array = self._arrays.get(key)
        if array is None or len(array) != len(self.vocabularies[key].values) + 1:
            array = self._arrays[key] = self.vocabularies[key].array()
        return array[codes]


def _two(values: Sequence[str]) -> tuple[str | None, str | None]:
    return (values[0] if values else None, values[1] if len(values) > 1 else None)


def build_columns(people: Sequence[NormalisedPerson]) -> Columns:
    vocabularies = {name: Vocabulary() for name in TEXT_FIELDS if name not in _VOCABULARY_OF}
    rows: dict[str, list[int]] = {name: [] for name in TEXT_FIELDS}
    fixed: set[int] = set()
    phones = vocabularies["phone0"]
    for person in people:
        born = person.birth_date
        email0, email1 = _two(person.emails)
        phone0, phone1 = _two(person.phones)
        card0, card1 = _two(person.loyalty_cards)
        values = {
            "first": person.first_name,
            "first_root": person.first_name_root,
            "last": person.last_name,
            "dob": f"{born.year:04d}{born.month:02d}{born.day:02d}" if born else None,
            "email0": email0,
            "email1": email1,
            "phone0": phone0,
            "phone1": phone1,
            "postcode": person.postcode,
            "city": person.city,
            "street": person.street,
            "house": person.house_number,
            "natid": person.national_id,
            "card0": card0,
            "card1": card1,
        }
        for name, value in values.items():
            rows[name].append(vocabularies[_VOCABULARY_OF.get(name, name)].code(value))
        fixed.update(phones.code(p) for p in person.fixed_phones)
    return Columns(
        record_ids=np.array([p.record_id for p in people], dtype=np.int64),
        codes={name: np.array(codes, dtype=np.int32) for name, codes in rows.items()},
        vocabularies=vocabularies,
        fixed_phones=fixed,
    )
