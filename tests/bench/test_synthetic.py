"""The synthetic customer-360 set: exact size, reproducible, and every trap really set."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

import pytest

from bench.identity.dataset import LabelledDataset
from bench.identity.synthetic import generate
from bench.identity.synthetic.people import (
    COMMON_NAME,
    COUPLE,
    JUNK,
    MARRIED,
    MOVED,
    PARENT_CHILD,
    TWIN,
    PersonDraws,
    pair_unit,
    single_unit,
)
from bench.identity.synthetic.pools import CountryPools, country_pools
from bench.identity.synthetic.sources import CONTRACTS, CRM, JUNK_EMAIL, PARTNER, TILLS
from bench.identity.synthetic.spelling import national_number, spell_phone

SIZE = 6000


@pytest.fixture(scope="module")
def dataset() -> LabelledDataset:
    return generate(SIZE, seed=3)


@pytest.fixture(scope="module")
def pools() -> dict[str, CountryPools]:
    return country_pools(3)


def _entities_by(dataset: LabelledDataset, key: str) -> dict[str, set[str]]:
    """Value of a record field → entities whose records carry it."""
    holders: dict[str, set[str]] = defaultdict(set)
    for record in dataset.records:
        values = getattr(record, key)
        for value in values if isinstance(values, tuple) else (values,):
            if value:
                holders[value.lower()].add(dataset.truth[record.record_id])
    return holders


def test_exactly_the_size_asked_with_ids_zero_to_size_and_a_truth_for_each(
    dataset: LabelledDataset,
) -> None:
    assert len(dataset.records) == SIZE
    assert sorted(r.record_id for r in dataset.records) == list(range(SIZE))
    assert set(dataset.truth) == set(range(SIZE))
    assert 0.3 * SIZE < dataset.entities < 0.6 * SIZE


def test_the_same_seed_gives_the_same_records_and_another_seed_others() -> None:
    assert generate(300, seed=5).records == generate(300, seed=5).records
    assert generate(300, seed=5).records != generate(300, seed=6).records


def test_a_person_s_records_are_not_numbered_together(dataset: LabelledDataset) -> None:
    records_of: dict[str, list[int]] = defaultdict(list)
    for record_id, entity in dataset.truth.items():
        records_of[entity].append(record_id)
    spans = [max(ids) - min(ids) for ids in records_of.values() if len(ids) > 1]
    assert sum(spans) / len(spans) > SIZE / 10


def test_every_trap_kind_labels_people(dataset: LabelledDataset) -> None:
    counts = dataset.trap_counts()
    for trap in (TWIN, PARENT_CHILD, COUPLE, JUNK, COMMON_NAME, MOVED, MARRIED):
        assert counts[trap] >= 10, trap


def test_each_source_keeps_its_own_fields(dataset: LabelledDataset) -> None:
    by_source = defaultdict(list)
    for record in dataset.records:
        by_source[record.source].append(record)
    assert len(by_source) == 5
    assert all(r.loyalty_cards and not r.emails and not r.street for r in by_source[TILLS])
    assert all(r.national_id and r.birth_date and "-" in r.birth_date for r in by_source[CONTRACTS])
    assert all(r.postcode and bool(r.emails) != bool(r.phones) for r in by_source[PARTNER])
    assert all(r.last_name and r.last_name.isupper() for r in by_source[CRM] if r.last_name)
    countries = {r.country for r in dataset.records}
    assert countries == {"FR", "GB", "DE", "ES", "IT"}
    assert len({r.brand for r in dataset.records if r.brand}) == 3


def test_identifiers_are_never_shared_by_chance(dataset: LabelledDataset) -> None:
    sharing_traps = {COUPLE, JUNK, TWIN, PARENT_CHILD}
    for field in ("emails", "phones", "loyalty_cards", "national_id"):
        for value, entities in _entities_by(dataset, field).items():
            if len(entities) > 1:
                traps = {dataset.traps.get(e) for e in entities}
                assert traps <= sharing_traps, (field, value, traps)


def test_junk_values_and_guest_cards_are_spread_over_many_people(dataset: LabelledDataset) -> None:
    assert len(_entities_by(dataset, "emails")[JUNK_EMAIL]) >= 5
    cards = _entities_by(dataset, "loyalty_cards")
    guest_cards = [card for card, entities in cards.items() if len(entities) >= 5]
    assert guest_cards
    for card in guest_cards:
        assert {dataset.traps[e] for e in cards[card]} == {JUNK}


def test_a_common_name_is_many_people_in_many_cities(dataset: LabelledDataset) -> None:
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    cities: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record in dataset.records:
        entity = dataset.truth[record.record_id]
        if dataset.traps.get(entity) == COMMON_NAME and record.source == "webshop":
            name = (record.first_name or "", record.last_name or "")
            holders[name].add(entity)
            cities[name].add(record.city or "")
    busiest = max(holders, key=lambda name: len(holders[name]))
    assert len(holders[busiest]) >= 3
    assert len(cities[busiest]) >= 3


def test_twins_share_surname_birth_date_address_and_landline_not_first_name_or_email(
    pools: dict[str, CountryPools],
) -> None:
    draws = PersonDraws(pools, 200, seed=3)
    for k in range(0, 200, 2):
        first, second = pair_unit(draws, k, TWIN, random.Random(k))
        assert (first.last_name, first.birth_date, first.address) == (
            second.last_name,
            second.birth_date,
            second.address,
        )
        assert first.landline and first.landline == second.landline
        assert first.first_name != second.first_name
        assert first.email != second.email and first.mobile != second.mobile
        assert first.entity_id != second.entity_id


def test_parent_and_child_share_names_and_address_but_not_birth_date(
    pools: dict[str, CountryPools],
) -> None:
    draws = PersonDraws(pools, 200, seed=4)
    for k in range(0, 200, 2):
        parent, child = pair_unit(draws, k, PARENT_CHILD, random.Random(k))
        assert (parent.first_name, parent.last_name, parent.address) == (
            child.first_name,
            child.last_name,
            child.address,
        )
        assert 20 <= (child.birth_date - parent.birth_date).days / 365 <= 40
        assert child.birth_date <= date(2009, 1, 1)
        assert parent.email != child.email


def test_couples_share_an_address_and_an_email_or_a_landline(
    pools: dict[str, CountryPools],
) -> None:
    draws = PersonDraws(pools, 400, seed=5)
    shared_email = shared_line = 0
    for k in range(0, 400, 2):
        first, partner = pair_unit(draws, k, COUPLE, random.Random(k))
        assert first.address == partner.address and first.first_name != partner.first_name
        shared_email += first.email == partner.email
        shared_line += first.landline is not None and first.landline == partner.landline
        assert (first.email == partner.email) or (first.landline == partner.landline)
    assert shared_email > 50 and shared_line > 50


def test_movers_keep_an_old_address_and_sometimes_an_old_phone(
    pools: dict[str, CountryPools],
) -> None:
    draws = PersonDraws(pools, 200, seed=6)
    movers = [single_unit(draws, k, MOVED, random.Random(k)) for k in range(200)]
    assert all(m.old_address and m.old_address != m.address for m in movers)
    with_new_phone = sum(m.old_mobile is not None and m.old_mobile != m.mobile for m in movers)
    assert 50 < with_new_phone < 150


def test_married_people_keep_first_name_birth_date_and_email_under_a_new_surname(
    pools: dict[str, CountryPools],
) -> None:
    draws = PersonDraws(pools, 100, seed=7)
    for k in range(100):
        before = draws.person(k, female=True)
        married = single_unit(draws, k, MARRIED, random.Random(k))
        assert married.maiden_name == before.last_name != married.last_name
        assert (married.first_name, married.birth_date, married.email) == (
            before.first_name,
            before.birth_date,
            before.email,
        )


@pytest.mark.parametrize(
    ("country", "e164", "national"),
    [
        ("FR", "+33612345678", "0612345678"),
        ("DE", "+4915112345678", "015112345678"),
        ("IT", "+390612345678", "0612345678"),  # fixed lines keep their 0, no trunk prefix
        ("ES", "+34612345678", "612345678"),
    ],
)
def test_phones_are_spelled_nationally_or_internationally(
    pools: dict[str, CountryPools], country: str, e164: str, national: str
) -> None:
    pool = pools[country]
    assert national_number(e164, pool.calling_code, pool.trunk_prefix) == national
    spellings = {
        spell_phone(e164, country, pool.calling_code, pool.trunk_prefix, random.Random(i))
        for i in range(60)
    }
    assert e164 in spellings and national in spellings and "00" + e164[1:] in spellings
    assert all("".join(c for c in s if c.isdigit()).endswith(e164[-8:]) for s in spellings)
