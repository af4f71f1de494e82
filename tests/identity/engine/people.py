"""Normalised people written the short way, for the engine's tests."""

from __future__ import annotations

from datetime import date

from hub.identity.model import NormalisedPerson


def person(
    record_id: int,
    first: str | None = None,
    last: str | None = None,
    born: str | None = None,
    *,
    root: str | None = None,
    emails: tuple[str, ...] = (),
    phones: tuple[str, ...] = (),
    fixed: tuple[str, ...] = (),
    street: str | None = None,
    house: str | None = None,
    postcode: str | None = None,
    city: str | None = None,
    cards: tuple[str, ...] = (),
    references: tuple[str, ...] = (),
    national_id: str | None = None,
    source: str = "test",
) -> NormalisedPerson:
    return NormalisedPerson(
        record_id=record_id,
        source=source,
        first_name=first,
        first_name_root=root or first,
        last_name=last,
        birth_date=date.fromisoformat(born) if born else None,
        emails=emails,
        phones=phones + fixed,
        fixed_phones=fixed,
        street=street,
        house_number=house,
        postcode=postcode,
        city=city,
        loyalty_cards=cards,
        references=references,
        national_id=national_id,
    )


def home(
    record_id: int, first: str, last: str, born: str | None, **more: object
) -> NormalisedPerson:
    """Someone living at the Dupont household's address, with its landline."""
    fields: dict[str, object] = {
        "street": "rue victor hugo",
        "house": "12",
        "postcode": "69003",
        "city": "lyon",
        "fixed": ("+33478000000",),
    }
    fields.update(more)
    return person(record_id, first, last, born, **fields)  # type: ignore[arg-type]
