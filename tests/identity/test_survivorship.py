"""Golden fields follow each field's rule, keep where the value came from, and never depend on
the order the records were read."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hub.identity.survivorship import (
    RULE_MOST_COMPLETE,
    RULE_MOST_FREQUENT,
    RULE_MOST_RECENT,
    RULE_SOURCE_TRUST,
    golden_fields,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Record:
    id: int
    connector: str
    person: Mapping[str, Any] = field(default_factory=dict)
    days_old: int = 0

    @property
    def source_updated_at(self) -> datetime | None:
        return T0 - timedelta(days=self.days_old)

    @property
    def changed_at(self) -> datetime:
        return T0


CRM = Record(
    1, "crm", {"first_name": "Jean-Pierre", "last_name": "Martin", "email": "jp@old.fr"}, 300
)
SHOP = Record(
    2, "shop", {"first_name": "JP", "last_name": "Martin-Durand", "email": "JP@new.fr"}, 1
)
TILL = Record(3, "till", {"first_name": "jean-pierre", "street": "3 rue Haute", "city": "Lyon"}, 50)
SIGN = Record(4, "sign", {"postcode": "69002", "city": "Lyon 2e", "country": "FR"}, 10)
RECORDS = (CRM, SHOP, TILL, SIGN)


def trust(order: list[str]) -> Any:
    return lambda source: order.index(source) if source in order else len(order)


def test_each_rule_picks_its_winner_and_names_its_source() -> None:
    rules = {"first_name": RULE_MOST_COMPLETE, "last_name": RULE_SOURCE_TRUST}
    golden = golden_fields(RECORDS, rules, trust(["crm", "shop"]))
    assert golden["first_name"]["value"] == "Jean-Pierre"
    assert golden["first_name"]["rule"] == RULE_MOST_COMPLETE
    assert golden["last_name"] == {
        "value": "Martin",
        "record_id": CRM.id,
        "source": "crm",
        "rule": RULE_SOURCE_TRUST,
        "alternatives": ["Martin-Durand"],
    }
    golden = golden_fields(RECORDS, {"last_name": RULE_MOST_RECENT})
    assert golden["last_name"]["value"] == "Martin-Durand"
    assert golden["email"]["record_id"] == SHOP.id  # most recent by default


def test_most_frequent_counts_values_without_case_or_spacing() -> None:
    golden = golden_fields(RECORDS, {"first_name": RULE_MOST_FREQUENT}, trust(["till"]))
    # "Jean-Pierre" and "jean-pierre" are one value seen twice; the more trusted spelling wins.
    assert golden["first_name"]["value"] == "jean-pierre"
    assert golden["first_name"]["alternatives"] == ["JP"]


def test_address_fields_come_from_one_record() -> None:
    golden = golden_fields(RECORDS, {"address": RULE_SOURCE_TRUST}, trust(["till", "sign"]))
    assert {name: golden[name]["record_id"] for name in ("street", "city")} == {
        "street": TILL.id,
        "city": TILL.id,
    }
    assert "postcode" not in golden  # the till's address has none; never borrowed from SIGN
    golden = golden_fields(RECORDS, {"address": RULE_MOST_RECENT})
    assert {golden[name]["record_id"] for name in ("postcode", "city", "country")} == {SIGN.id}
    assert "street" not in golden


def test_a_country_alone_is_kept_when_no_record_has_an_address() -> None:
    golden = golden_fields([Record(9, "shop", {"country": "DE", "first_name": "Uwe"})])
    assert golden["country"]["value"] == "DE"


@pytest.mark.parametrize(
    "rule", [RULE_MOST_RECENT, RULE_SOURCE_TRUST, RULE_MOST_COMPLETE, RULE_MOST_FREQUENT]
)
def test_the_choice_never_depends_on_reading_order(rule: str) -> None:
    tied = (
        Record(5, "a", {"first_name": "Anna", "city": "Roma", "postcode": "00100"}, 5),
        Record(6, "b", {"first_name": "Anne", "city": "Milano", "postcode": "20100"}, 5),
        *RECORDS,
    )
    rules = dict.fromkeys(("first_name", "last_name", "email", "address", "brand"), rule)
    results = [
        golden_fields(order, rules, trust(["b", "a"])) for order in itertools.permutations(tied)
    ]
    assert all(result == results[0] for result in results)


def test_empty_values_are_not_candidates() -> None:
    golden = golden_fields([Record(1, "x", {"first_name": "  ", "last_name": None}), SHOP])
    assert golden["first_name"]["record_id"] == SHOP.id
    assert golden["last_name"]["record_id"] == SHOP.id
