"""The seeded population every sandbox draws from, and how each source spells its people."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

import phonenumbers
import pytest
from phonenumbers import PhoneNumberType

from hub.sandbox import Person, Population, SourceSpelling
from hub.sandbox.people import COUNTRIES

E164 = re.compile(r"\+[1-9]\d{7,14}")
ASCII_EMAIL = re.compile(r"[a-z0-9.+\-]+@[a-z0-9.\-]+\.[a-z]+")


@pytest.fixture(scope="module")
def population() -> Population:
    return Population(2000, seed=42)


def test_the_same_seed_gives_the_same_people() -> None:
    assert Population(60, seed=1).people == Population(60, seed=1).people
    assert Population(60, seed=1).people != Population(60, seed=2).people


def test_the_size_is_honoured_with_distinct_ids() -> None:
    small = Population(37, seed=5)
    assert len(small) == 37
    assert [p.person_id for p in small.people] == [f"P{i:06d}" for i in range(37)]
    assert len(Population(0)) == 0


def test_every_country_and_brand_turns_up_and_brands_match_countries(
    population: Population,
) -> None:
    people = population.people
    assert {p.country for p in people} == set(COUNTRIES)
    assert {p.brand for p in people} == {"lumiere", "vela", "nordhaus"}
    for p in people:
        locale, _, _, brands = COUNTRIES[p.country]
        assert (p.locale, p.brand in brands) == (locale, True), p
    share_fr = Counter(p.country for p in people)["FR"] / len(people)
    assert 0.35 < share_fr < 0.45  # weighted 40 %


def test_people_look_like_people(population: Population) -> None:
    for p in population.people:
        assert p.first_name and p.last_name and p.street and p.postcode and p.city, p
        assert date(1940, 1, 1) <= p.birth_date < date(2006, 1, 1), p
        assert "\n" not in p.street, p
        assert ASCII_EMAIL.fullmatch(p.email), p.email


def test_phones_are_e164_with_the_country_calling_code(population: Population) -> None:
    for p in population.people:
        calling = COUNTRIES[p.country][1]
        assert E164.fullmatch(p.phone), p.phone
        assert p.phone.startswith("+" + calling), p


def test_phones_are_valid_mobile_numbers(population: Population) -> None:
    # identity resolution reads an invalid phone as a finding, not a key: sandbox people should
    # carry valid ones, as most real customers do
    for p in population.people:
        number = phonenumbers.parse(p.phone)
        assert phonenumbers.is_valid_number(number), p.phone
        assert phonenumbers.number_type(number) is PhoneNumberType.MOBILE, p.phone


@pytest.mark.parametrize("country", ["FR", "DE", "GB"])
def test_national_phone_starts_with_the_trunk_prefix(population: Population, country: str) -> None:
    calling = COUNTRIES[country][1]
    people = [p for p in population.people if p.country == country]
    assert people
    for p in people:
        national = p.national_phone()
        assert national.startswith("0"), national
        assert national.replace(" ", "") == "0" + p.phone.removeprefix("+" + calling)


def test_national_phone_is_grouped_as_at_home() -> None:
    person = Person(
        "P1", "FR", "fr_FR", "vela", "Amélie", "Durand", "a@example.fr", "+33612345678",
        "1 rue X", "69001", "Lyon", date(1990, 1, 1),
    )  # fmt: skip
    assert person.national_phone() == "06 12 34 56 78"
    spanish = replace(person, country="ES", phone="+34612345678")
    assert spanish.national_phone() == "612 345 678"  # no trunk prefix in Spain


def test_a_sample_is_stable_per_salt_and_about_the_share(population: Population) -> None:
    shop = population.sample(0.3, "shop")
    assert shop == population.sample(0.3, "shop")
    assert shop == Population(2000, seed=42).sample(0.3, "shop")
    assert shop != population.sample(0.3, "tills")
    assert 0.26 < len(shop) / len(population) < 0.34
    ids = [p.person_id for p in shop]
    assert ids == sorted(ids)  # in population order, no repeats
    assert len(set(ids)) == len(ids)
    assert population.sample(0.0, "none") == []
    assert population.sample(1.0, "all") == population.people


# --- source spellings --------------------------------------------------------------------------

EVERYTHING_OFF = SourceSpelling(
    upper_last_name=0,
    drop_accents=0,
    nickname=0,
    national_phone=0,
    missing_phone=0,
    missing_email=0,
    email_case=0,
    typo=0,
)
HÉLÈNE = Person(
    "P000007", "FR", "fr_FR", "lumiere", "Hélène", "Lefèvre", "helene.lefevre12@orange.fr",
    "+33612345678", "3 rue des Lilas", "69003", "Lyon", date(1980, 5, 17),
)  # fmt: skip


def test_a_spelling_is_the_same_for_the_same_salt(population: Population) -> None:
    spelling = SourceSpelling(upper_last_name=0.5, typo=0.5, national_phone=0.5, email_case=0.5)
    people = population.people[:200]
    shop = [spelling.spell(p, "shop") for p in people]
    assert shop == [spelling.spell(p, "shop") for p in people]
    assert shop != [spelling.spell(p, "tills") for p in people]
    assert [p.person_id for p in shop] == [p.person_id for p in people]


def test_with_every_knob_off_the_person_is_unchanged(population: Population) -> None:
    for p in population.people[:100]:
        assert EVERYTHING_OFF.spell(p, "shop") == p


@pytest.mark.parametrize(
    ("knob", "changed"),
    [
        ("upper_last_name", {"last_name": "LEFÈVRE"}),
        ("drop_accents", {"first_name": "Helene", "last_name": "Lefevre"}),
        ("email_case", {"email": "Helene.lefevre12@orange.fr"}),
        ("missing_email", {"email": ""}),
        ("national_phone", {"phone": "06 12 34 56 78"}),
        ("missing_phone", {"phone": ""}),
    ],
)
def test_a_knob_at_one_always_applies(knob: str, changed: dict[str, Any]) -> None:
    spelling = replace(EVERYTHING_OFF, **{knob: 1.0})
    for salt in ("shop", "tills", "contracts"):
        assert spelling.spell(HÉLÈNE, salt) == replace(HÉLÈNE, **changed)


def test_nickname_at_one_replaces_a_known_first_name_only() -> None:
    spelling = replace(EVERYTHING_OFF, nickname=1.0)
    assert spelling.spell(replace(HÉLÈNE, first_name="Robert"), "shop").first_name == "Bob"
    assert spelling.spell(HÉLÈNE, "shop") == HÉLÈNE  # no nickname known for Hélène


def test_typo_at_one_swaps_two_neighbouring_letters_inside_the_last_name() -> None:
    spelling = replace(EVERYTHING_OFF, typo=1.0)
    durand = replace(HÉLÈNE, last_name="Durand")  # all letters distinct: every swap shows
    seen = set()
    for salt in map(str, range(40)):
        spelled = spelling.spell(durand, salt)
        assert spelled == replace(durand, last_name=spelled.last_name)
        last = spelled.last_name
        assert last != "Durand" and sorted(last) == sorted("Durand")
        diff = [i for i, (a, b) in enumerate(zip(last, "Durand", strict=True)) if a != b]
        assert len(diff) == 2 and diff[1] == diff[0] + 1
        assert last[0] == "D"  # the first letter is kept
        seen.add(last)
    assert len(seen) > 1
    assert spelling.spell(replace(HÉLÈNE, last_name="Roy"), "shop").last_name == "Roy"


def test_every_knob_at_one_together() -> None:
    spelling = SourceSpelling(1, 1, 1, 1, 1, 1, 1, 1)
    spelled = spelling.spell(replace(HÉLÈNE, first_name="José"), "shop")
    assert spelled.first_name == "Pepe"
    assert spelled.last_name.isupper() and spelled.last_name.isascii()
    assert (spelled.email, spelled.phone) == ("", "")
