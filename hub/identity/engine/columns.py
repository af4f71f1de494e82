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


def _encode(vocabulary: Vocabulary, values: list[str | None]) -> npt.NDArray[np.int32]:
    """Codes of ``values`` in order, new values joining ``vocabulary`` as :meth:`code` does."""
    codes = vocabulary._codes
    # New values in order of first appearance, then every value looked up: both in C.
    for value in dict.fromkeys(values):
        if value and value not in codes:
            codes[value] = len(codes)
    vocabulary.values = list(codes)
    lookup: dict[str | None, int] = {None: MISSING, "": MISSING}
    lookup.update(codes)
    return np.fromiter(map(lookup.__getitem__, values), np.int32, len(values))


def _pairs(vocabulary: Vocabulary, firsts: list[str | None], seconds: list[str | None]) -> Codes:
    """Codes of two columns sharing a vocabulary, encoded record by record (first, second)."""
    both: list[str | None] = [None] * (2 * len(firsts))
    both[0::2], both[1::2] = firsts, seconds
    return _encode(vocabulary, both)


def build_columns(people: Sequence[NormalisedPerson]) -> Columns:
    """The columns of ``people``, field by field (each vocabulary fills in record order)."""
    vocabularies = {name: Vocabulary() for name in TEXT_FIELDS if name not in _VOCABULARY_OF}
    codes: dict[str, Codes] = {}
    first = _pairs(
        vocabularies["first"],
        [p.first_name for p in people],
        [p.first_name_root for p in people],
    )
    codes["first"], codes["first_root"] = first[0::2], first[1::2]
    codes["last"] = _encode(vocabularies["last"], [p.last_name for p in people])
    codes["dob"] = _encode(
        vocabularies["dob"],
        [p.birth_date.isoformat().replace("-", "") if p.birth_date else None for p in people],
    )
    emails = _pairs(
        vocabularies["email0"],
        [p.emails[0] if p.emails else None for p in people],
        [p.emails[1] if len(p.emails) > 1 else None for p in people],
    )
    codes["email0"], codes["email1"] = emails[0::2], emails[1::2]
    # A record's fixed lines join the phone vocabulary right after its first two numbers.
    flat: list[str | None] = []
    for person in people:
        phones = person.phones
        flat.append(phones[0] if phones else None)
        flat.append(phones[1] if len(phones) > 1 else None)
        flat.extend(person.fixed_phones)
    phone_codes = _encode(vocabularies["phone0"], flat)
    sizes = np.array([2 + len(p.fixed_phones) for p in people], dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    codes["phone0"], codes["phone1"] = phone_codes[starts], phone_codes[starts + 1]
    fixed_at = np.ones(len(phone_codes), dtype=np.bool_)
    fixed_at[starts], fixed_at[starts + 1] = False, False
    for name, attribute in (
        ("postcode", "postcode"),
        ("city", "city"),
        ("street", "street"),
        ("house", "house_number"),
        ("natid", "national_id"),
    ):
        codes[name] = _encode(vocabularies[name], [getattr(p, attribute) for p in people])
    cards = _pairs(
        vocabularies["card0"],
        [p.loyalty_cards[0] if p.loyalty_cards else None for p in people],
        [p.loyalty_cards[1] if len(p.loyalty_cards) > 1 else None for p in people],
    )
    codes["card0"], codes["card1"] = cards[0::2], cards[1::2]
    return Columns(
        record_ids=np.array([p.record_id for p in people], dtype=np.int64),
        codes={name: np.ascontiguousarray(codes[name]) for name in TEXT_FIELDS},
        vocabularies=vocabularies,
        fixed_phones=set(phone_codes[fixed_at].tolist()),
    )
