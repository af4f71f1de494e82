"""Keys a person can be found by: identifiers, references and cheap blocking keys.

Blocking proposes the pairs worth comparing: two records are compared when they share at least
one key. Each key combines fields so that one typo in one field leaves another key intact
(surname + initial, first name + birth date, surname + birth year, birth date + postcode,
birth date + initials, postcode + initials, street + house number, the two names in either
order), plus every identifier. Keys held by too
many source identities (a common name in a big city, a junk e-mail) propose nothing.
"""

from __future__ import annotations

from hub.identity.model import NormalisedPerson

IDENTIFIER_PREFIXES = {"e": "email", "p": "phone", "l": "loyalty_card", "n": "national_id"}
"""Key prefix → the field an identifier key stands for (used for shared-identifier findings)."""


def identifier_keys(person: NormalisedPerson) -> list[str]:
    keys = [f"e:{v}" for v in person.emails]
    keys += [f"p:{v}" for v in person.phones]
    keys += [f"l:{v}" for v in person.loyalty_cards]
    if person.national_id:
        keys.append(f"n:{person.national_id}")
    return keys


def reference_keys(person: NormalisedPerson) -> list[str]:
    return [f"r:{v}" for v in person.references]


def name_keys(person: NormalisedPerson) -> list[str]:
    first, last = person.first_name, person.last_name
    born = person.birth_date
    dob = f"{born.year:04d}{born.month:02d}{born.day:02d}" if born else None
    postcode = person.postcode
    keys: list[str] = []
    if last and first:
        keys.append(f"lf:{last}|{first[0]}")
        keys.append(f"nm:{first}|{last}" if first <= last else f"nm:{last}|{first}")
    if first and dob:
        keys.append(f"fd:{person.first_name_root or first}|{dob}")
    if last and dob:
        keys.append(f"ly:{last}|{dob[:4]}")
    if dob and postcode:
        keys.append(f"dp:{dob}|{postcode}")
    if dob and last:
        keys.append(f"dl:{dob}|{last[0]}")
    if dob and first and last:
        a, b = first[0], last[0]
        keys.append(f"di:{dob}|{a}{b}" if a <= b else f"di:{dob}|{b}{a}")
    if person.street and person.house_number:
        keys.append(f"sh:{person.street}|{person.house_number}")
    if postcode and first and last:
        keys.append(f"pi:{postcode}|{first[0]}{last[0]}")
    if last and postcode:
        keys.append(f"lp:{last}|{postcode}")
    return keys


def blocking_keys(person: NormalisedPerson) -> list[str]:
    return identifier_keys(person) + name_keys(person)
