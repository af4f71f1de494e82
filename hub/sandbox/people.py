"""A seedable population of people in several countries, languages and brands.

Each sandbox draws its customers from one :class:`Population`, so the same person turns up in
the web shop, at the tills and in a signed contract — each time spelled the way that source
spells people (:class:`SourceSpelling`): upper-case surnames, dropped accents, a nickname, a
phone in national format, an e-mail with a +tag, a missing field, a typo. ``person_id`` is the
ground truth that identity resolution is measured against; connectors never see it.

Names, streets and cities come from Faker's locales, drawn once into small pools so that a
population of 100,000 people is built in about a second.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from faker import Faker

# Country → (Faker locale, calling code, national trunk prefix, brands sold there).
COUNTRIES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "FR": ("fr_FR", "33", "0", ("lumiere", "vela")),
    "ES": ("es_ES", "34", "", ("vela",)),
    "DE": ("de_DE", "49", "0", ("nordhaus", "lumiere")),
    "IT": ("it_IT", "39", "", ("vela", "lumiere")),
    "GB": ("en_GB", "44", "0", ("nordhaus",)),
}
COUNTRY_WEIGHTS = {"FR": 40, "ES": 20, "DE": 20, "IT": 10, "GB": 10}
# Mobile ranges in use in each country's numbering plan; eight random digits follow.
MOBILE_PREFIXES = {"FR": "6", "ES": "6", "DE": "151", "IT": "34", "GB": "77"}
UNALLOCATED_LEADS = {"FR": {"3": "5", "9": "7"}, "GB": {"0": "8"}}
"""Subscriber first digits that, after the mobile prefix, fall in ranges the numbering plan does
not give to mobiles (+33 69… and +33 639… are overseas, +44 770… is unallocated), with the digit
that replaces them: a sandbox person's phone should be valid, as most customers' phones are."""
NICKNAMES = {
    "Robert": "Bob",
    "William": "Bill",
    "Elizabeth": "Liz",
    "Catherine": "Cathy",
    "Jean-Pierre": "JP",
    "Margaret": "Maggie",
    "Francisco": "Paco",
    "José": "Pepe",
    "Giuseppe": "Beppe",
    "Alexander": "Alex",
    "Alexandre": "Alex",
    "Maximilian": "Max",
    "Katharina": "Kathi",
    "Nicolas": "Nico",
    "Christophe": "Chris",
}
_POOL_SIZE = 400
_MAIL_DOMAINS = ("gmail.com", "yahoo.fr", "orange.fr", "gmx.de", "hotmail.com", "libero.it")


@dataclass(frozen=True)
class Person:
    person_id: str
    country: str
    locale: str
    brand: str
    first_name: str
    last_name: str
    email: str
    phone: str
    """E.164."""
    street: str
    postcode: str
    city: str
    birth_date: date

    def national_phone(self) -> str:
        """The phone as people write it at home: ``06 12 34 56 78``, ``612 345 678``."""
        _, calling, trunk, _ = COUNTRIES[self.country]
        digits = trunk + self.phone[1 + len(calling) :]
        step = 2 if self.country == "FR" else 3
        return " ".join(digits[i : i + step] for i in range(0, len(digits), step))


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _mail_local(first: str, last: str) -> str:
    # ß has no decomposition to fold: mailbox providers want ASCII, Weiß writes "weiss".
    local = _fold(f"{first}.{last}").lower().replace("ß", "ss")
    return local.replace(" ", "").replace("'", "")


class Population:
    """``size`` people drawn deterministically from ``seed``."""

    def __init__(self, size: int, seed: int = 0) -> None:
        self.seed = seed
        rng = random.Random(seed)
        pools = {code: _pools(locale, seed) for code, (locale, *_) in COUNTRIES.items()}
        countries = list(COUNTRY_WEIGHTS)
        weights = list(COUNTRY_WEIGHTS.values())
        self.people = [
            _person(i, rng.choices(countries, weights)[0], pools, rng) for i in range(size)
        ]

    def __len__(self) -> int:
        return len(self.people)

    def sample(self, share: float, salt: str) -> list[Person]:
        """A stable share of the population for one source: its customers."""
        rng = random.Random(f"{self.seed}:{salt}")
        return [person for person in self.people if rng.random() < share]


def _pools(locale: str, seed: int) -> dict[str, list[Any]]:
    fake = Faker(locale)
    fake.seed_instance(seed)
    return {
        "first": [fake.first_name() for _ in range(_POOL_SIZE)],
        "last": [fake.last_name() for _ in range(_POOL_SIZE)],
        "street": [fake.street_address() for _ in range(_POOL_SIZE)],
        "place": [(fake.postcode(), fake.city()) for _ in range(_POOL_SIZE // 4)],
    }


def _person(
    index: int, country: str, pools: dict[str, dict[str, list[Any]]], rng: random.Random
) -> Person:
    locale, calling, _, brands = COUNTRIES[country]
    pool = pools[country]
    first, last = rng.choice(pool["first"]), rng.choice(pool["last"])
    postcode, city = rng.choice(pool["place"])
    subscriber = "".join(rng.choice("0123456789") for _ in range(8))
    lead = UNALLOCATED_LEADS.get(country, {}).get(subscriber[0])
    if lead is not None:
        subscriber = lead + subscriber[1:]
    return Person(
        person_id=f"P{index:06d}",
        country=country,
        locale=locale,
        brand=rng.choice(brands),
        first_name=first,
        last_name=last,
        email=f"{_mail_local(first, last)}{rng.randint(1, 999)}@{rng.choice(_MAIL_DOMAINS)}",
        phone=f"+{calling}{MOBILE_PREFIXES[country]}{subscriber}",
        street=rng.choice(pool["street"]).replace("\n", " "),
        postcode=str(postcode),
        city=city,
        birth_date=date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 65)),
    )


@dataclass(frozen=True)
class SourceSpelling:
    """How one source distorts the people it holds; each knob is a probability."""

    upper_last_name: float = 0.1
    drop_accents: float = 0.1
    nickname: float = 0.05
    national_phone: float = 0.3
    missing_phone: float = 0.2
    missing_email: float = 0.05
    email_case: float = 0.1
    typo: float = 0.03

    def spell(self, person: Person, salt: str) -> Person:
        """The person as this source wrote it down; the same salt gives the same spelling."""
        rng = random.Random(f"{person.person_id}:{salt}")
        first, last, email, phone = person.first_name, person.last_name, person.email, person.phone
        if rng.random() < self.nickname and first in NICKNAMES:
            first = NICKNAMES[first]
        if rng.random() < self.typo and len(last) > 3:
            i = rng.randrange(1, len(last) - 2)
            last = last[:i] + last[i + 1] + last[i] + last[i + 2 :]
        if rng.random() < self.drop_accents:
            first, last = _fold(first), _fold(last)
        if rng.random() < self.upper_last_name:
            last = last.upper()
        if rng.random() < self.email_case:
            email = email.capitalize()
        if rng.random() < self.missing_email:
            email = ""
        if rng.random() < self.national_phone:
            phone = person.national_phone()
        if rng.random() < self.missing_phone:
            phone = ""
        return replace(person, first_name=first, last_name=last, email=email, phone=phone)
