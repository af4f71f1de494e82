"""How each source writes its people down: which fields it keeps and the slips it makes.

- web shop: name, e-mail, phone, address (a second account now and then), and the loyalty
  card when the customer tied it to the account;
- store tills: loyalty card and name, typed by a cashier (capitals, typos);
- e-signature contracts: full name, ISO birth date, e-mail, national id (a digit wrong now
  and then), sometimes the web-shop account id as a cross-reference;
- partner products: name with an e-mail or a phone, and the postcode;
- legacy CRM: upper-case names without accents, more typos, national birth date and phone,
  old addresses, the loyalty card of the brand's programme now and then.

Traps decide some fields: a junk person types ``test@test.com`` or ``0000000000`` and pays at
a till with the store's guest card; a person who moved or married appears with the old address
or surname in the sources that kept them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from hub.identity.model import PersonRecord

from .people import COUPLE, JUNK, MARRIED, MOVED, PAIR_TRAPS, Address, Person, guest_card
from .pools import CountryPools
from .spelling import (
    abbreviate,
    fold_accents,
    mistype_digit,
    nickname,
    spell_date,
    spell_phone,
    street_line,
    typo,
)

WEB_SHOP = "webshop"
TILLS = "tills"
CONTRACTS = "esign"
PARTNER = "partner"
CRM = "crm"
# Source → share of people it holds.
SOURCE_SHARES = {WEB_SHOP: 0.6, TILLS: 0.45, CONTRACTS: 0.25, PARTNER: 0.3, CRM: 0.3}
# Traps that need two sources to bite: the two ways the person is written down.
TRAP_SOURCES = {
    MOVED: (WEB_SHOP, CRM),
    MARRIED: (WEB_SHOP, CONTRACTS),
    JUNK: (WEB_SHOP, TILLS),
}
CARD_ON_WEB_ACCOUNT = 0.35
CARD_IN_CRM = 0.3
JUNK_EMAIL = "test@test.com"
JUNK_PHONE = "0000000000"
GUEST_STORES = 3


@dataclass(frozen=True)
class Slips:
    """How often one source gets a value wrong; each is a probability per record."""

    typo: float = 0.03
    swapped_names: float = 0.015
    nickname: float = 0.05
    drop_accents: float = 0.2
    upper_names: float = 0.1
    abbreviate_street: float = 0.2


SLIPS = {
    WEB_SHOP: Slips(),
    TILLS: Slips(typo=0.05, upper_names=0.5, nickname=0.08, drop_accents=0.4),
    CONTRACTS: Slips(typo=0.01, swapped_names=0.005, nickname=0.0, drop_accents=0.05),
    PARTNER: Slips(typo=0.03, upper_names=0.2),
    CRM: Slips(typo=0.08, swapped_names=0.04, drop_accents=1.0, upper_names=1.0),
}


class RecordWriter:
    """Turns people into records with consecutive ids; one seeded ``random.Random`` for all."""

    def __init__(
        self, pools: dict[str, CountryPools], rng: random.Random, record_ids: list[int]
    ) -> None:
        self.pools = pools
        self.rng = rng
        self.record_ids = record_ids
        """The ids to give, in order; writing stops when they run out."""
        self.records: list[PersonRecord] = []
        self.truth: dict[int, str] = {}

    @property
    def full(self) -> bool:
        return len(self.records) >= len(self.record_ids)

    def sources_of(self, person: Person) -> list[str]:
        rng = self.rng
        chosen = [s for s, share in SOURCE_SHARES.items() if rng.random() < share]
        forced = TRAP_SOURCES.get(person.trap, (WEB_SHOP, CRM) if person.trap in PAIR_TRAPS else ())
        chosen += [s for s in forced if s not in chosen]
        if not chosen:
            chosen = [rng.choice(list(SOURCE_SHARES))]
        if WEB_SHOP in chosen and rng.random() < 0.08:
            chosen.append(WEB_SHOP)  # a second web-shop account
        if CONTRACTS in chosen and rng.random() < 0.1:
            chosen.append(CONTRACTS)
        return chosen

    def write(self, person: Person) -> None:
        shop_reference: str | None = None
        for source in self.sources_of(person):
            if self.full:
                return
            record_id = self.record_ids[len(self.records)]
            reference = f"{source}:{record_id}"
            if source == WEB_SHOP and shop_reference is None:
                shop_reference = reference
            writer = _WRITERS[source]
            record = writer(self, person, record_id, reference, shop_reference)
            self.records.append(record)
            self.truth[record_id] = person.entity_id

    # Values as one source spells them.

    def names(self, person: Person, source: str, last: str | None = None) -> tuple[str, str]:
        slips, rng = SLIPS[source], self.rng
        first, last = person.first_name, last or person.last_name
        short = nickname(first)
        if short and rng.random() < slips.nickname:
            first = short
        if rng.random() < slips.typo:
            last = typo(last, rng)
        if rng.random() < slips.typo / 2:
            first = typo(first, rng)
        if rng.random() < slips.drop_accents:
            first, last = fold_accents(first), fold_accents(last)
        if rng.random() < slips.upper_names:
            last = last.upper()
            if source in (CRM, TILLS):
                first = first.upper()
        if rng.random() < slips.swapped_names:
            first, last = last, first
        return first, last

    def phone(self, person: Person, e164: str) -> str:
        if person.trap == JUNK and self.rng.random() < 0.5:
            return JUNK_PHONE
        pool = self.pools[person.country]
        return spell_phone(e164, person.country, pool.calling_code, pool.trunk_prefix, self.rng)

    def email(self, person: Person) -> str:
        if person.trap == JUNK and self.rng.random() < 0.5:
            return JUNK_EMAIL
        email = person.email
        if self.rng.random() < 0.1:
            email = email.capitalize()
        return email

    def street(self, person: Person, source: str, address: Address) -> str:
        line = street_line(person.country, address.number, address.street)
        if self.rng.random() < SLIPS[source].abbreviate_street:
            line = abbreviate(line)
        return line.upper() if source == CRM else line

    def address_for(self, person: Person, stale: bool) -> Address:
        """The address a source holds: one that kept no change of address has the old one."""
        return person.old_address if stale and person.old_address else person.address


def _shop(
    w: RecordWriter, p: Person, record_id: int, reference: str, _: str | None
) -> PersonRecord:
    first, last = w.names(p, WEB_SHOP)
    phone = p.mobile if p.landline is None or w.rng.random() < 0.7 else p.landline
    address = w.address_for(p, stale=False)
    card = (p.cards[0],) if w.rng.random() < CARD_ON_WEB_ACCOUNT else ()
    return PersonRecord(
        record_id=record_id, source=WEB_SHOP, first_name=first, last_name=last,
        emails=(w.email(p),), phones=() if w.rng.random() < 0.2 else (w.phone(p, phone),),
        street=w.street(p, WEB_SHOP, address), postcode=address.postcode, city=address.city,
        country=p.country, brand=p.brands[0], loyalty_cards=card, references=(reference,),
    )  # fmt: skip


def _tills(
    w: RecordWriter, p: Person, record_id: int, reference: str, _: str | None
) -> PersonRecord:
    first, last = w.names(p, TILLS)
    brand_index = w.rng.randrange(len(p.brands))
    card = p.cards[brand_index]
    if p.trap == JUNK:
        card = guest_card(p.brands[brand_index], w.rng.randrange(GUEST_STORES))
    return PersonRecord(
        record_id=record_id, source=TILLS, first_name=first, last_name=last,
        country=p.country, brand=p.brands[brand_index], loyalty_cards=(card,),
        references=(reference,),
    )  # fmt: skip


def _contract(
    w: RecordWriter, p: Person, record_id: int, reference: str, shop: str | None
) -> PersonRecord:
    # Contracts signed before a marriage keep the maiden name.
    maiden = p.trap == MARRIED and p.maiden_name is not None and w.rng.random() < 0.7
    first, last = w.names(p, CONTRACTS, last=p.maiden_name if maiden else None)
    national = p.national_id
    if w.rng.random() < 0.02:
        national = mistype_digit(national, w.rng)
    references = (reference, shop) if shop and w.rng.random() < 0.15 else (reference,)
    return PersonRecord(
        record_id=record_id, source=CONTRACTS, first_name=first, last_name=last,
        birth_date=spell_date(p.birth_date, p.country, iso=True), emails=(w.email(p),),
        country=p.country, brand=p.brands[-1], national_id=national, references=references,
    )  # fmt: skip


def _partner(
    w: RecordWriter, p: Person, record_id: int, reference: str, _: str | None
) -> PersonRecord:
    first, last = w.names(p, PARTNER)
    by_email = w.rng.random() < 0.5
    phone = p.old_mobile if p.trap == MOVED and p.old_mobile else p.mobile
    address = w.address_for(p, stale=w.rng.random() < 0.5)
    return PersonRecord(
        record_id=record_id, source=PARTNER, first_name=first, last_name=last,
        emails=(w.email(p),) if by_email else (), phones=() if by_email else (w.phone(p, phone),),
        postcode=address.postcode, country=p.country, references=(reference,),
    )  # fmt: skip


def _crm(w: RecordWriter, p: Person, record_id: int, reference: str, _: str | None) -> PersonRecord:
    first, last = w.names(p, CRM, last=p.maiden_name if p.trap == MARRIED else None)
    address = w.address_for(p, stale=True)
    mobile = p.old_mobile if p.old_mobile else p.mobile
    household = p.trap in PAIR_TRAPS and p.trap != COUPLE
    phones = [p.landline] if p.landline and (household or w.rng.random() < 0.5) else [mobile]
    rng = w.rng
    email = w.email(p).upper() if rng.random() < 0.2 else w.email(p)
    return PersonRecord(
        record_id=record_id, source=CRM, first_name=first, last_name=last,
        birth_date=None if rng.random() < 0.3 else spell_date(p.birth_date, p.country, iso=False),
        emails=() if rng.random() < 0.4 else (email,),
        phones=tuple(w.phone(p, phone) for phone in phones),
        street=w.street(p, CRM, address), postcode=address.postcode,
        city=address.city.upper(), country=p.country, brand=p.brands[0], references=(reference,),
        loyalty_cards=(p.cards[0],) if rng.random() < CARD_IN_CRM else (),
    )  # fmt: skip


_WRITERS: dict[str, Callable[[RecordWriter, Person, int, str, str | None], PersonRecord]] = {
    WEB_SHOP: _shop,
    TILLS: _tills,
    CONTRACTS: _contract,
    PARTNER: _partner,
    CRM: _crm,
}
