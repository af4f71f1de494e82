"""normalise_person and normalise_identifier: whole records per country, findings for every
unusable value, no exception on any text, and identifier keys equal to the person's keys."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.identity.model import Finding, FindingKind, NormalisedPerson, PersonRecord
from hub.identity.normalise import normalise_identifier, normalise_person
from hub.records import IdentifierKind

TODAY = date(2026, 6, 1)


def normalised(record: PersonRecord, default_region: str | None = None) -> NormalisedPerson:
    return normalise_person(record, default_region=default_region, today=TODAY)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            PersonRecord(
                record_id=1,
                source="crm",
                first_name="Jean-Pierre",
                last_name="DE LA FONTAINE",
                birth_date="03/07/1961",
                emails=("JP.Fontaine+crm@Example.fr",),
                phones=("06 98 76 54 32", "01 42 68 53 00"),
                street="12 bis av. Victor-Hugo",
                postcode="75 016",
                city="PARIS 16E",
                country="France",
                brand=" maison ",
                loyalty_cards=("fid-000456",),
                references=(" crm:C-1002 ",),
                national_id="1 61 07 75 116 042 21",
            ),
            NormalisedPerson(
                record_id=1,
                source="crm",
                first_name="jean pierre",
                first_name_root="jean pierre",
                last_name="delafontaine",
                birth_date=date(1961, 7, 3),
                emails=("jp.fontaine@example.fr",),
                phones=("+33698765432", "+33142685300"),
                fixed_phones=("+33142685300",),
                street="avenue victor hugo",
                house_number="12bis",
                postcode="75016",
                city="paris",
                country="FR",
                brand="maison",
                loyalty_cards=("FID000456",),
                references=("crm:C-1002",),
                national_id="161077511604221",
            ),
        ),
        (
            PersonRecord(
                record_id=2,
                first_name="Liz",
                last_name="O'Brien",
                birth_date="1992-06-05T00:00:00Z",
                emails=("Liz.OBrien@GoogleMail.com",),
                phones=("07700 123456", "020 7946 0018"),
                street="221B Baker St",
                postcode="nw16xe",
                city="London",
                country="UK",
            ),
            NormalisedPerson(
                record_id=2,
                first_name="liz",
                first_name_root="elizabeth",
                last_name="obrien",
                birth_date=date(1992, 6, 5),
                emails=("lizobrien@gmail.com",),
                phones=("+447700123456", "+442079460018"),
                fixed_phones=("+442079460018",),
                street="baker street",
                house_number="221b",
                postcode="NW1 6XE",
                city="london",
                country="GB",
            ),
        ),
        (
            PersonRecord(
                record_id=3,
                first_name="Sepp",
                last_name="von Müller",
                birth_date="12.12.1970",
                phones=("0170 1234567",),
                street="Hauptstr. 5a",
                postcode="D-10115",
                city="Berlin",
                country="Deutschland",
            ),
            NormalisedPerson(
                record_id=3,
                first_name="sepp",
                first_name_root="josef",
                last_name="vonmuller",
                birth_date=date(1970, 12, 12),
                phones=("+491701234567",),
                street="hauptstrasse",
                house_number="5a",
                postcode="10115",
                city="berlin",
                country="DE",
            ),
        ),
        (
            PersonRecord(
                record_id=4,
                first_name="Sra. María Dolores",
                last_name="García López",
                birth_date="19830401",
                phones=("+34 612 345 678",),
                street="C/ Mayor, 10, 3º izq",
                postcode="28013",
                city="Madrid",
                country="ESP",
            ),
            NormalisedPerson(
                record_id=4,
                first_name="maria dolores",
                first_name_root="maria dolores",
                last_name="garcia lopez",
                birth_date=date(1983, 4, 1),
                phones=("+34612345678",),
                street="calle mayor",
                house_number="10",
                postcode="28013",
                city="madrid",
                country="ES",
            ),
        ),
        (
            PersonRecord(
                record_id=5,
                first_name="Beppe",
                last_name="D'Amico",
                birth_date="08-09-1987",
                phones=("320 123 4567",),
                street="P.za Garibaldi, 3",
                postcode="00184",
                city="Roma",
                country="Italia",
            ),
            NormalisedPerson(
                record_id=5,
                first_name="beppe",
                first_name_root="giuseppe",
                last_name="damico",
                birth_date=date(1987, 9, 8),
                phones=("+393201234567",),
                street="piazza garibaldi",
                house_number="3",
                postcode="00184",
                city="roma",
                country="IT",
            ),
        ),
    ],
    ids=["FR", "GB", "DE", "ES", "IT"],
)
def test_whole_records(record: PersonRecord, expected: NormalisedPerson) -> None:
    assert normalised(record) == expected


def test_every_unusable_value_is_a_finding_with_its_raw_value() -> None:
    record = PersonRecord(
        record_id=7,
        first_name="Inconnu",
        last_name="12345",
        birth_date="31/02/1980",
        emails=("test@test.com", "amelie@", "amelie.durand@example.fr"),
        phones=("0000000000", "06 12 34", "06 12 34 56 78"),
        street="xxx",
        postcode="7501X",
        city="Lyon",
        country="FR",
        loyalty_cards=("000000",),
        national_id="0000000000000",
    )
    person = normalised(record)
    found = {(f.field, f.kind, f.value) for f in person.findings}
    assert found == {
        ("first_name", FindingKind.PLACEHOLDER, "Inconnu"),
        ("last_name", FindingKind.SUSPICIOUS, "12345"),
        ("birth_date", FindingKind.INVALID, "31/02/1980"),
        ("emails", FindingKind.PLACEHOLDER, "test@test.com"),
        ("emails", FindingKind.INVALID, "amelie@"),
        ("phones", FindingKind.PLACEHOLDER, "0000000000"),
        ("phones", FindingKind.INVALID, "06 12 34"),
        ("street", FindingKind.PLACEHOLDER, "xxx"),
        ("postcode", FindingKind.INVALID, "7501X"),
        ("loyalty_cards", FindingKind.PLACEHOLDER, "000000"),
        ("national_id", FindingKind.PLACEHOLDER, "0000000000000"),
    }
    assert all(f.record_id == 7 and f.message for f in person.findings)
    assert (person.first_name, person.last_name, person.birth_date) == (None, None, None)
    assert (person.street, person.postcode, person.loyalty_cards) == (None, None, ())
    assert person.emails == ("amelie.durand@example.fr",)
    assert person.phones == ("+33612345678",)
    assert person.city == "lyon"


def test_a_finding_says_what_is_wrong() -> None:
    person = normalised(PersonRecord(record_id=1, phones=("06 12 34 56 78",)))
    assert person.findings == (
        Finding(
            1,
            "phones",
            FindingKind.INVALID,
            "06 12 34 56 78",
            "a national number, and the record has no country to read it in",
        ),
    )


def test_the_default_region_reads_records_without_a_known_country() -> None:
    record = PersonRecord(record_id=1, phones=("06 12 34 56 78",), postcode="6000")
    person = normalised(record, default_region="FR")
    assert (person.phones, person.postcode, person.country, person.findings) == (
        ("+33612345678",),
        "06000",
        None,  # the default reads values; it is no fact about the person
        (),
    )
    unknown = normalised(
        PersonRecord(record_id=2, phones=("06 12 34 56 78",), country="Narnia"), "FR"
    )
    assert unknown.phones == ("+33612345678",)
    assert [(f.field, f.kind) for f in unknown.findings] == [("country", FindingKind.INVALID)]


def test_the_records_country_wins_over_the_default_region() -> None:
    record = PersonRecord(record_id=1, phones=("030 1234567",), country="DE")
    assert normalised(record, default_region="FR").phones == ("+49301234567",)


def test_spellings_of_one_key_are_kept_once() -> None:
    record = PersonRecord(
        record_id=1,
        country="FR",
        emails=("Amelie@Example.fr", " amelie+news@example.fr "),
        phones=("06 12 34 56 78", "+33612345678", "0033 6 12 34 56 78"),
        loyalty_cards=("FID-1", "fid 1"),
        references=("crm:1", " crm:1"),
    )
    person = normalised(record)
    assert person.emails == ("amelie@example.fr",)
    assert person.phones == ("+33612345678",)
    assert person.loyalty_cards == ("FID1",)
    assert person.references == ("crm:1",)


def test_blank_values_are_no_keys_and_no_findings() -> None:
    record = PersonRecord(
        record_id=1, first_name=" ", last_name="", emails=("",), phones=("  ",), city=" ", brand=" "
    )
    assert normalised(record) == NormalisedPerson(record_id=1)


# Text of every kind: letters of any script, digits, punctuation, control characters, lone
# surrogates, and long runs of one character.
_ANY_CHARACTER = st.characters(categories=["L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Cs"])
_SHAPED = st.sampled_from("0123456789 +-./@()'\u2019ºxX\t\n\x00éßﬁ")
_TEXT = st.one_of(
    st.text(_ANY_CHARACTER, max_size=40),
    st.text(_SHAPED, max_size=40),
    st.builds(lambda c, n: c * n, st.sampled_from("a9.@ é\ud800"), st.integers(0, 10_000)),
    st.sampled_from(["", " ", "12345", "0000000000", "+33", "@", "00/00/0000", "Mme", "c/"]),
)
_OPTIONAL = st.none() | _TEXT
_SEVERAL = st.lists(_TEXT, max_size=3).map(tuple)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.builds(
        PersonRecord,
        record_id=st.integers(1, 10**9),
        source=_TEXT,
        first_name=_OPTIONAL,
        last_name=_OPTIONAL,
        birth_date=_OPTIONAL,
        emails=_SEVERAL,
        phones=_SEVERAL,
        street=_OPTIONAL,
        postcode=_OPTIONAL,
        city=_OPTIONAL,
        country=st.none() | st.sampled_from(["FR", "GB", "DE", "ES", "IT", "US"]) | _TEXT,
        brand=_OPTIONAL,
        loyalty_cards=_SEVERAL,
        references=_SEVERAL,
        national_id=_OPTIONAL,
    ),
    st.none() | st.sampled_from(["FR", "GB", "DE", "ES", "IT", "Narnia"]),
)
def test_normalise_person_never_raises_and_reports_every_value_it_drops(
    record: PersonRecord, default_region: str | None
) -> None:
    person = normalise_person(record, default_region=default_region)
    assert person.record_id == record.record_id
    assert all(f.record_id == record.record_id and f.message for f in person.findings)
    reported = {(f.field, f.value) for f in person.findings}
    scalars = ["first_name", "last_name", "birth_date", "postcode", "city", "country"]
    for field in [*scalars, "national_id"]:
        raw = getattr(record, field)
        if raw is not None and raw.strip():
            kept = getattr(person, field) is not None
            assert kept != ((field, raw) in reported), field  # a key or a finding, not both
    for field in ["emails", "phones", "loyalty_cards"]:
        for raw in getattr(record, field):
            if raw.strip() and (field, raw) not in reported:
                assert getattr(person, field), field  # its key is there
    if record.street is not None and record.street.strip():
        kept = person.street is not None or person.house_number is not None
        assert kept != (("street", record.street) in reported)


_PHONES = st.sampled_from(
    ["06 12 34 56 78", "+33 6 12 34 56 78", "0170 1234567", "030 1234567", "612 345 678",
     "07737 783533", "347 123 4567", "0033 1 42 68 53 00", "12", "0000000000"]
)  # fmt: skip
_EMAILS = st.sampled_from(
    ["Amelie.Durand@Example.FR", "j.p+x@googlemail.com", "test@test.com", "a@", "é@é.fr"]
)
_CARDS = st.sampled_from([" FID-000123 ", "fid 000123", "000000", "LOY.77"])


@settings(deadline=None)
@given(
    st.lists(_PHONES, max_size=3),
    st.lists(_EMAILS, max_size=3),
    st.lists(_CARDS, max_size=2),
    st.sampled_from([None, "FR", "Deutschland", "ESP", "Italia", "UK", "Narnia"]),
)
def test_identifier_keys_are_the_persons_keys(
    phones: list[str], emails: list[str], cards: list[str], country: str | None
) -> None:
    """What the store saves beside each identifier is what identity resolution compares."""
    record = PersonRecord(
        record_id=1,
        phones=tuple(phones),
        emails=tuple(emails),
        loyalty_cards=tuple(cards),
        references=(" crm:1 ",),
        country=country,
    )
    person = normalise_person(record)

    def keys(kind: IdentifierKind, values: list[str]) -> tuple[str, ...]:
        found = (normalise_identifier(kind, raw, country) for raw in values)
        return tuple(dict.fromkeys(key for key in found if key))

    assert keys(IdentifierKind.PHONE, phones) == person.phones
    assert keys(IdentifierKind.EMAIL, emails) == person.emails
    assert keys(IdentifierKind.LOYALTY_CARD, cards) == person.loyalty_cards
    assert keys(IdentifierKind.SOURCE_CUSTOMER_ID, [" crm:1 "]) == person.references


@pytest.mark.parametrize(
    ("kind", "raw", "region", "key"),
    [
        (IdentifierKind.PHONE, "06.12.34.56.78", "FR", "+33612345678"),
        (IdentifierKind.PHONE, "06.12.34.56.78", "France", "+33612345678"),
        (IdentifierKind.PHONE, "06.12.34.56.78", None, None),
        (IdentifierKind.PHONE, "0033 6 12 34 56 78", None, "+33612345678"),
        (IdentifierKind.PHONE, "0170 1234567", "DE", "+491701234567"),
        (IdentifierKind.PHONE, "0000000000", "FR", None),
        (IdentifierKind.EMAIL, "Jean.Dupont+shop@Gmail.com", None, "jeandupont@gmail.com"),
        (IdentifierKind.EMAIL, "noemail@orange.fr", None, None),
        (IdentifierKind.LOYALTY_CARD, "fid-000123", None, "FID000123"),
        (IdentifierKind.SOURCE_CUSTOMER_ID, " shop-fr:123 ", None, "shop-fr:123"),
        (IdentifierKind.CROSS_REFERENCE, "crm:A-77", None, "crm:A-77"),
        (IdentifierKind.ANONYMOUS_ID, " 5f1c-77 ", None, "5f1c-77"),
        (IdentifierKind.ANONYMOUS_ID, "  ", None, None),
    ],
)
def test_normalise_identifier(
    kind: IdentifierKind, raw: str, region: str | None, key: str | None
) -> None:
    assert normalise_identifier(kind, raw, region) == key
