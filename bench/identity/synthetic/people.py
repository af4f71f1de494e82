"""The true people of the synthetic set, each labelled with the trap it sets.

Ordinary attributes are drawn in bulk with numpy (one array per attribute, for every person at
once); the Python loop only assembles them. Identifiers that must not collide by chance
(mobiles, fixed lines, cards, national ids, e-mails) come from a serial number through an
affine map that is a bijection on their digit range, so two people share one only when a trap
says so.

Traps come in units: twins, parent and child, and couples are two people (both labelled);
junk identifiers, very common names, moving house and changing surname at marriage are one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from hub.sandbox.people import COUNTRY_WEIGHTS

from .pools import FIXED_AREAS, CountryPools
from .spelling import fold_accents, national_id

TWIN = "twin"
PARENT_CHILD = "parent_child"
COUPLE = "couple"
JUNK = "junk_identifier"
COMMON_NAME = "common_name"
MOVED = "moved"
MARRIED = "married"
NO_TRAP = "none"
# Unit kind → share of units; each pair unit makes two people.
UNIT_SHARES = {
    TWIN: 0.010,
    PARENT_CHILD: 0.010,
    COUPLE: 0.020,
    JUNK: 0.020,
    COMMON_NAME: 0.030,
    MOVED: 0.040,
    MARRIED: 0.030,
}
PAIR_TRAPS = (TWIN, PARENT_CHILD, COUPLE)
MOBILE_RANGES = {
    "FR": ("6", "7"),
    "ES": ("6",),
    "DE": ("151", "160", "176"),
    "IT": ("34", "33"),
    "GB": ("77", "75"),
}
BRAND_CODES = {"lumiere": "LUM", "vela": "VEL", "nordhaus": "NOR"}
LANDLINE_SHARE = 0.4
SECOND_BRAND_SHARE = 0.3
_OLD_MOBILE_OFFSET = 5_000_000
GUEST_CARD_SERIAL = 9_000_000
_EPOCH = date(1940, 1, 1)
_BIRTH_SPAN_DAYS = 365 * 66


@dataclass(frozen=True, slots=True)
class Address:
    number: int
    street: str
    postcode: str
    city: str


@dataclass(frozen=True, slots=True)
class Person:
    entity_id: str
    trap: str
    country: str
    female: bool
    first_name: str
    last_name: str
    birth_date: date
    email: str
    mobile: str
    """E.164."""
    landline: str | None
    address: Address
    brands: tuple[str, ...]
    cards: tuple[str, ...]
    """One loyalty card per brand, in the order of ``brands``."""
    national_id: str
    maiden_name: str | None = None
    """The surname before marriage (``married`` trap): older records still carry it."""
    old_address: Address | None = None
    """Where the person lived before moving (``moved`` trap)."""
    old_mobile: str | None = None


def _affine(serial: int, digits: int, multiplier: int, offset: int) -> str:
    """A bijection of serials onto ``digits``-digit strings (the multiplier is prime to 10)."""
    return f"{(serial * multiplier + offset) % 10**digits:0{digits}d}"


def mobile(country: CountryPools, serial: int) -> str:
    ranges = MOBILE_RANGES[country.code]
    prefix = ranges[serial % len(ranges)]
    return f"+{country.calling_code}{prefix}{_affine(serial, 8, 91_352_587, 31_415_926)}"


def landline(country: CountryPools, serial: int) -> str:
    areas, digits = FIXED_AREAS[country.code]
    area = areas[serial % len(areas)]
    return f"+{country.calling_code}{area}{_affine(serial, digits, 7_368_319, 2_718_281)}"


def loyalty_card(brand: str, serial: int) -> str:
    return f"{BRAND_CODES[brand]}{_affine(serial, 12, 982_451_653, 104_729)}"


def guest_card(brand: str, store: int) -> str:
    """The card a store's till uses for customers without one: it ends up on many receipts."""
    return loyalty_card(brand, GUEST_CARD_SERIAL + store)


@lru_cache(maxsize=1 << 16)
def _mailbox_word(name: str) -> str:
    return fold_accents(name).lower().replace(" ", "").replace("'", "").replace("-", "")


def email_of(first: str, last: str, serial: int, domain: str, style: int) -> str:
    f, la = _mailbox_word(first), _mailbox_word(last)
    local = (f"{f}.{la}", f"{f[:1]}{la}", f"{la}.{f}", f"{f}{la}")[style % 4]
    return f"{local}{serial}@{domain}"


class PersonDraws:
    """Attributes of ``count`` people drawn at once; ``person(k)`` assembles the k-th."""

    def __init__(
        self, pools: dict[str, CountryPools], count: int, seed: int, first_serial: int = 0
    ) -> None:
        rng = np.random.default_rng((seed, first_serial))
        self.pools = pools
        self.first_serial = first_serial
        codes = list(pools)
        weights = np.array([COUNTRY_WEIGHTS[c] for c in codes], dtype=float)
        self.country = [codes[i] for i in rng.choice(len(codes), count, p=weights / weights.sum())]
        self.female = (rng.random(count) < 0.5).tolist()
        self.first_pick = rng.random(count).tolist()
        last_by_country = {
            code: rng.choice(len(p.last), count, p=p.last_weights).tolist()
            for code, p in pools.items()
        }
        self.last_index = [last_by_country[c][k] for k, c in enumerate(self.country)]
        self.birth_day = rng.integers(0, _BIRTH_SPAN_DAYS, count).tolist()
        self.street_pick = rng.random(count).tolist()
        self.place_pick = rng.random(count).tolist()
        self.house_number = rng.integers(1, 160, count).tolist()
        self.domain_pick = rng.random(count).tolist()
        self.email_style = rng.integers(0, 4, count).tolist()
        self.has_landline = (rng.random(count) < LANDLINE_SHARE).tolist()
        self.brand_pick = rng.random(count).tolist()
        self.second_brand = (rng.random(count) < SECOND_BRAND_SHARE).tolist()

    def __len__(self) -> int:
        return len(self.country)

    def first_name(self, k: int, female: bool) -> str:
        pool = self.pools[self.country[k]]
        names = pool.female_first if female else pool.male_first
        return names[int(self.first_pick[k] * len(names))]

    def address(self, k: int) -> Address:
        pool = self.pools[self.country[k]]
        postcode, city = pool.places[int(self.place_pick[k] * len(pool.places))]
        street = pool.streets[int(self.street_pick[k] * len(pool.streets))]
        return Address(self.house_number[k], street, postcode, city)

    def email(self, k: int, first: str, last: str) -> str:
        domains = self.pools[self.country[k]].mail_domains
        domain = domains[int(self.domain_pick[k] * len(domains))]
        return email_of(first, last, self.first_serial + k, domain, self.email_style[k])

    def person(self, k: int, trap: str = NO_TRAP, female: bool | None = None) -> Person:
        code = self.country[k]
        pool = self.pools[code]
        serial = self.first_serial + k
        female = self.female[k] if female is None else female
        first = self.first_name(k, female)
        last = pool.last[self.last_index[k]]
        born = _EPOCH + timedelta(days=self.birth_day[k])
        brand_count = min(len(pool.brands), 2 if self.second_brand[k] else 1)
        start = int(self.brand_pick[k] * len(pool.brands))
        brands = tuple(pool.brands[(start + i) % len(pool.brands)] for i in range(brand_count))
        return Person(
            entity_id=f"S{serial:07d}",
            trap=trap,
            country=code,
            female=female,
            first_name=first,
            last_name=last,
            birth_date=born,
            email=self.email(k, first, last),
            mobile=mobile(pool, serial),
            landline=landline(pool, serial) if self.has_landline[k] else None,
            address=self.address(k),
            brands=brands,
            cards=tuple(loyalty_card(b, serial * 3 + i) for i, b in enumerate(brands)),
            national_id=national_id(code, serial, born, female),
        )


def _with_country(draws: PersonDraws, k: int, country: str) -> None:
    """Household members live in one country: the second person's draws follow the first's."""
    draws.country[k] = country
    draws.last_index[k] %= len(draws.pools[country].last)


def pair_unit(draws: PersonDraws, k: int, trap: str, rng: random.Random) -> list[Person]:
    """People ``k`` and ``k + 1`` made into twins, parent and child, or a couple."""
    first = draws.person(k, trap)
    _with_country(draws, k + 1, first.country)
    other = draws.person(k + 1, trap)
    if trap == TWIN:
        second = replace(
            other, last_name=first.last_name, birth_date=first.birth_date,
            landline=first.landline or landline(draws.pools[first.country], draws.first_serial + k),
            email=draws.email(k + 1, other.first_name, first.last_name), address=first.address,
        )  # fmt: skip
        first = replace(first, landline=second.landline)
        if second.first_name == first.first_name:
            second = replace(second, first_name=draws.first_name(k + 1, not other.female))
        return [first, second]
    if trap == PARENT_CHILD:
        born = first.birth_date
        # Parents born 1945-1969, so a child 22-38 years younger is born by 2008.
        parent = replace(
            first, birth_date=date(1945 + born.year % 25, born.month, min(born.day, 28))
        )
        years = rng.randrange(22, 38)
        child_born = parent.birth_date + timedelta(days=365 * years + rng.randrange(0, 300))
        child = replace(
            other, first_name=parent.first_name, last_name=parent.last_name, female=parent.female,
            birth_date=child_born, landline=parent.landline,
            email=draws.email(k + 1, parent.first_name, parent.last_name), address=first.address,
        )  # fmt: skip
        return [parent, child]
    # A couple: one address, and either one e-mail or one fixed line between them.
    last = first.last_name if rng.random() < 0.6 else other.last_name
    partner_first = draws.first_name(k + 1, not first.female)
    partner = replace(other, first_name=partner_first, last_name=last, female=not first.female,
                      address=first.address)  # fmt: skip
    if rng.random() < 0.5:
        return [first, replace(partner, email=first.email)]
    line = first.landline or landline(draws.pools[first.country], draws.first_serial + k)
    email = draws.email(k + 1, partner_first, last)
    return [replace(first, landline=line), replace(partner, email=email, landline=line)]


def single_unit(draws: PersonDraws, k: int, trap: str, rng: random.Random) -> Person:
    person = draws.person(k, trap, female=True if trap == MARRIED else None)
    pool = draws.pools[person.country]
    if trap == COMMON_NAME:
        first, last = rng.choice(pool.common_names)
        return replace(person, first_name=first, last_name=last,
                       email=draws.email(k, first, last))  # fmt: skip
    if trap == MOVED:
        moved_from = draws.address((k + 1) % len(draws))
        if draws.country[(k + 1) % len(draws)] != person.country:
            moved_from = replace(person.address, number=person.address.number + 1,
                                 street=rng.choice(pool.streets))  # fmt: skip
        old_mobile = mobile(pool, draws.first_serial + k + _OLD_MOBILE_OFFSET)
        changed_phone = rng.random() < 0.5
        return replace(
            person, old_address=moved_from, old_mobile=old_mobile if changed_phone else None
        )
    if trap == MARRIED:
        married = pool.last[draws.last_index[(k + 1) % len(draws)] % len(pool.last)]
        if married == person.last_name:
            married = pool.last[(draws.last_index[k] + 1) % len(pool.last)]
        return replace(person, maiden_name=person.last_name, last_name=married)
    return person
