"""Golden fields: for each person field, which record's value the profile shows, and why.

A rule orders a profile's candidate values; ties fall through to source trust, then recency,
then the record id, so the choice never depends on the order records were read. Each golden
value keeps the record it came from, that record's source, the rule that chose it and the
other values seen, so an agent can check the choice and see the alternatives.

Rules:

- ``most_recent``: the newest value, by the source's own update time, then when the hub saw the
  change;
- ``source_trust``: the value of the most trusted source (``[resolution] sources_by_trust``);
- ``most_complete``: the longest value ("Jean-Pierre" over "JP", "12 bis rue …" over "rue …");
- ``most_frequent``: the value most records agree on (compared without case and spacing).

The address fields (street, postcode, city, country) are chosen together, from one record, so
a profile never shows one record's street with another's city.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

RULE_MOST_RECENT = "most_recent"
RULE_SOURCE_TRUST = "source_trust"
RULE_MOST_COMPLETE = "most_complete"
RULE_MOST_FREQUENT = "most_frequent"
RULES = (RULE_MOST_RECENT, RULE_SOURCE_TRUST, RULE_MOST_COMPLETE, RULE_MOST_FREQUENT)

ADDRESS_FIELDS = ("street", "postcode", "city", "country")
SURVIVORSHIP_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "birth_date",
    "brand",
)
"""What a rule can be set for: person fields, with the address fields as one group."""

DEFAULT_RULES: Mapping[str, str] = {
    "first_name": RULE_MOST_FREQUENT,
    "last_name": RULE_MOST_RECENT,
    "email": RULE_MOST_RECENT,
    "phone": RULE_MOST_RECENT,
    "address": RULE_MOST_RECENT,
    "birth_date": RULE_MOST_FREQUENT,
    "brand": RULE_MOST_FREQUENT,
}


class RecordFacts(Protocol):
    """What survivorship reads of a source record (the store's row has all of it)."""

    @property
    def id(self) -> int: ...
    @property
    def connector(self) -> str: ...
    @property
    def person(self) -> Mapping[str, Any]: ...
    @property
    def source_updated_at(self) -> datetime | None: ...
    @property
    def changed_at(self) -> datetime: ...


Candidate = tuple[RecordFacts, str]
"""A record and the value it offers (for the address group: its street, or its postcode)."""


def _recency(record: RecordFacts) -> tuple[float, float]:
    updated = record.source_updated_at or record.changed_at
    return (updated.timestamp(), record.changed_at.timestamp())


def _comparable(value: str) -> str:
    return " ".join(value.casefold().split())


def _ordered(
    candidates: Sequence[Candidate], rule: str, trust_rank: Callable[[str], int]
) -> list[Candidate]:
    """Best candidate first under ``rule``, ties broken by trust, recency, then record id."""
    frequency = Counter(_comparable(value) for _, value in candidates)

    def key(candidate: Candidate) -> tuple[Any, ...]:
        record, value = candidate
        newest = tuple(-t for t in _recency(record))
        trust = trust_rank(record.connector)
        fallback = (trust, *newest, record.id)
        if rule == RULE_MOST_RECENT:
            return (*newest, trust, record.id)
        if rule == RULE_MOST_COMPLETE:
            return (-len(value.strip()), *fallback)
        if rule == RULE_MOST_FREQUENT:
            return (-frequency[_comparable(value)], *fallback)
        return fallback  # RULE_SOURCE_TRUST

    return sorted(candidates, key=key)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _golden_value(
    winner: RecordFacts, value: str, rule: str, alternatives: Iterable[str]
) -> dict[str, Any]:
    return {
        "value": value,
        "record_id": winner.id,
        "source": winner.connector,
        "rule": rule,
        "alternatives": sorted({v for v in alternatives if _comparable(v) != _comparable(value)}),
    }


def golden_fields(
    records: Iterable[RecordFacts],
    rules: Mapping[str, str] = DEFAULT_RULES,
    trust_rank: Callable[[str], int] = lambda source: 0,
) -> dict[str, Any]:
    """``{field: {"value", "record_id", "source", "rule", "alternatives"}}`` per person field."""
    chosen = list(records)
    golden: dict[str, Any] = {}
    for name in SURVIVORSHIP_FIELDS:
        rule = rules.get(name, DEFAULT_RULES[name])
        if name == "address":
            golden.update(_address(chosen, rule, trust_rank))
            continue
        candidates = [(r, _text(r.person.get(name))) for r in chosen]
        candidates = [(r, v) for r, v in candidates if v]
        if candidates:
            ranked = _ordered(candidates, rule, trust_rank)
            winner, value = ranked[0]
            golden[name] = _golden_value(winner, value, rule, (v for _, v in ranked[1:]))
    return golden


def _address(
    records: Sequence[RecordFacts], rule: str, trust_rank: Callable[[str], int]
) -> dict[str, Any]:
    """The address fields of the one record the rule prefers among those with an address."""

    def line(record: RecordFacts) -> str:
        return ", ".join(
            _text(record.person.get(f)) for f in ADDRESS_FIELDS if record.person.get(f)
        )

    # A record counts as having an address when it has a street, a postcode or a city: a
    # country alone (often filled from a connector's settings) is not an address.
    candidates = [
        (r, line(r)) for r in records if any(_text(r.person.get(f)) for f in ADDRESS_FIELDS[:3])
    ]
    if not candidates:
        country = [(r, _text(r.person.get("country"))) for r in records if r.person.get("country")]
        if not country:
            return {}
        ranked_countries = _ordered(country, rule, trust_rank)
        winner, value = ranked_countries[0]
        others = (v for _, v in ranked_countries[1:])
        return {"country": _golden_value(winner, value, rule, others)}
    ranked = _ordered(candidates, rule, trust_rank)
    winner = ranked[0][0]
    golden: dict[str, Any] = {}
    for name in ADDRESS_FIELDS:
        value = _text(winner.person.get(name))
        if value:
            others = (_text(r.person.get(name)) for r, _ in ranked[1:])
            golden[name] = _golden_value(winner, value, rule, (v for v in others if v))
    return golden
