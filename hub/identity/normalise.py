"""Matching keys for people and identifiers, computed beside the raw values, never replacing them.

:func:`normalise_person` turns a :class:`PersonRecord` into a :class:`NormalisedPerson`: every
field through its normaliser (``hub.identity.normalisers``), and every value that cannot be a
key reported as a :class:`Finding` named after the record's field (``"emails"``,
``"birth_date"`` …) with the raw value and what is wrong with it. It never raises.

:func:`normalise_identifier` gives the key the store saves beside each identifier and GraphQL
lookups search by: the same normaliser as :func:`normalise_person` for that kind, so a value
typed any supported way finds the record that holds it.

Phones in national format and postcodes are read in the record's country; a record without a
(recognisable) country is read in ``default_region`` when the caller knows one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from hub.identity.model import Finding, NormalisedPerson, PersonRecord
from hub.identity.normalisers.cities import city_key
from hub.identity.normalisers.countries import country_code, region_code
from hub.identity.normalisers.dates import birth_date
from hub.identity.normalisers.emails import email_key
from hub.identity.normalisers.identifiers import loyalty_card_key, national_id_key, reference_key
from hub.identity.normalisers.names import first_name_key, last_name_key
from hub.identity.normalisers.nicknames import first_name_root
from hub.identity.normalisers.phones import PhoneKey, phone_key
from hub.identity.normalisers.postcodes import postcode_key
from hub.identity.normalisers.streets import StreetKey, street_key
from hub.identity.normalisers.unusable import Unusable
from hub.records import IdentifierKind

T = TypeVar("T")


class _Findings:
    """Keys taken from normaliser answers; the unusable ones kept as findings on the record."""

    __slots__ = ("found", "record_id")

    def __init__(self, record_id: int) -> None:
        self.record_id = record_id
        self.found: list[Finding] = []

    def take(self, field: str, raw: str, answer: T | Unusable | None) -> T | None:
        if isinstance(answer, Unusable):
            self.found.append(Finding(self.record_id, field, answer.kind, raw, answer.message))
            return None
        return answer

    def take_all(
        self, field: str, raws: tuple[str, ...], key_of: Callable[[str], T | Unusable | None]
    ) -> tuple[T, ...]:
        """The distinct keys of ``raws``, in order; most records hold none or one."""
        if not raws:
            return ()
        keys: list[T] = []
        for raw in raws:
            key = self.take(field, raw, key_of(raw))
            if key is not None and key not in keys:
                keys.append(key)
        return tuple(keys)


def normalise_person(
    record: PersonRecord, *, default_region: str | None = None, today: date | None = None
) -> NormalisedPerson:
    """The matching keys of ``record`` and the findings on the values that give none.

    ``default_region`` (a country code or name) reads national phone numbers and postcodes of a
    record whose own country is missing or unknown; ``today`` (default: the current date) is
    what birth dates are checked against.
    """
    findings = _Findings(record.record_id)
    take = findings.take
    first = last = born = postcode = city = national_id = country = None
    address = _NO_STREET
    if record.country is not None:
        country = take("country", record.country, country_code(record.country))
    region = country or region_code(default_region)
    if record.first_name is not None:
        first = take("first_name", record.first_name, first_name_key(record.first_name))
    if record.last_name is not None:
        last = take("last_name", record.last_name, last_name_key(record.last_name))
    if record.birth_date is not None:
        checked_on = today or date.today()
        born = take("birth_date", record.birth_date, birth_date(record.birth_date, checked_on))
    if record.street is not None:
        address = take("street", record.street, street_key(record.street, region)) or address
    if record.postcode is not None:
        postcode = take("postcode", record.postcode, postcode_key(record.postcode, region))
    if record.city is not None:
        city = take("city", record.city, city_key(record.city, region))
    if record.national_id is not None:
        national_id = take("national_id", record.national_id, national_id_key(record.national_id))
    phones = findings.take_all("phones", record.phones, lambda raw: phone_key(raw, region))

    return NormalisedPerson(
        record_id=record.record_id,
        source=record.source,
        first_name=first,
        first_name_root=first_name_root(first) if first else None,
        last_name=last,
        birth_date=born,
        emails=findings.take_all("emails", record.emails, email_key),
        phones=tuple(phone.e164 for phone in phones),
        fixed_phones=tuple(phone.e164 for phone in phones if phone.fixed_line),
        street=address.street,
        house_number=address.house_number,
        postcode=postcode,
        city=city,
        country=country,
        brand=(record.brand or "").strip() or None,
        loyalty_cards=findings.take_all("loyalty_cards", record.loyalty_cards, loyalty_card_key),
        references=findings.take_all("references", record.references, reference_key),
        national_id=national_id,
        findings=tuple(findings.found),
    )


_NO_STREET = StreetKey(None, None)


def _usable(answer: str | Unusable | None) -> str | None:
    return answer if isinstance(answer, str) else None


def normalise_identifier(kind: IdentifierKind, raw: str, region: str | None = None) -> str | None:
    """The matching key of ``raw``, or ``None`` when the value cannot be a key of that kind.

    ``region`` is the country a national phone number is read in, as a code or a name (the
    record's country); without it only international numbers (+33…, 0033…) have a key.
    """
    if kind is IdentifierKind.EMAIL:
        return _usable(email_key(raw))
    if kind is IdentifierKind.PHONE:
        phone = phone_key(raw, region_code(region))
        return phone.e164 if isinstance(phone, PhoneKey) else None
    if kind is IdentifierKind.LOYALTY_CARD:
        return _usable(loyalty_card_key(raw))
    return reference_key(raw)
