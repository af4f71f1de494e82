"""Phone keys: E.164 in the record's country, fixed lines flagged, fillers and bad numbers found."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.identity.model import FindingKind
from hub.identity.normalisers.phones import PhoneKey, phone_key
from hub.identity.normalisers.unusable import Unusable


@pytest.mark.parametrize(
    ("raw", "region", "e164", "fixed_line"),
    [
        ("06 12 34 56 78", "FR", "+33612345678", False),
        ("06.12.34.56.78", "FR", "+33612345678", False),
        ("0612345678", "FR", "+33612345678", False),
        ("+33 (0)6 12 34 56 78", None, "+33612345678", False),
        ("+33 6 12 34 56 78", "DE", "+33612345678", False),  # international: region unused
        ("00 33 6 12 34 56 78", None, "+33612345678", False),
        ("0033612345678", "FR", "+33612345678", False),
        ("01 42 68 53 00", "FR", "+33142685300", True),  # Paris fixed line
        ("0170 1234567", "DE", "+491701234567", False),  # German mobile
        ("030 1234567", "DE", "+49301234567", True),  # Berlin fixed line
        ("+49 151 43915000", None, "+4915143915000", False),
        ("612 345 678", "ES", "+34612345678", False),  # Spain has no trunk prefix
        ("91 123 45 67", "ES", "+34911234567", True),  # Madrid fixed line
        ("347 123 4567", "IT", "+393471234567", False),
        ("06 6982 1234", "IT", "+390669821234", True),  # Rome: Italy keeps the leading zero
        ("07737 783533", "GB", "+447737783533", False),
        ("020 7946 0018", "GB", "+442079460018", True),  # London fixed line
        ("(650) 253-0000", "US", "+16502530000", False),  # fixed line or mobile: not fixed
    ],
)
def test_keys(raw: str, region: str | None, e164: str, fixed_line: bool) -> None:
    assert phone_key(raw, region) == PhoneKey(e164, fixed_line)


@pytest.mark.parametrize(
    ("raw", "region", "message"),
    [
        ("06 12 34 56 78", None, "a national number, and the record has no country to read it in"),
        ("06 12 34 56", "FR", "not a valid phone number in FR (+33)"),
        ("+44 7700 900123", None, "not a valid phone number in GB (+44)"),  # a drama number
        ("0170 1234567", "FR", "not a valid phone number in FR (+33)"),
        ("+999 1234 5678", None, "the country calling code is not valid"),
        ("12", "FR", "not a valid phone number in FR (+33)"),
        ("+33 1", "FR", "too short to be a phone number"),
        ("appelez-moi", "FR", "no digits: not a phone number"),
        ("0612345678" * 30, "FR", "too long to be a phone number"),
    ],
)
def test_invalid_numbers(raw: str, region: str | None, message: str) -> None:
    assert phone_key(raw, region) == Unusable(FindingKind.INVALID, message)


@pytest.mark.parametrize(
    "raw",
    [
        "0000000000",
        "1234567890",
        "0123456789",
        "0600000000",
        "+33 6 00 00 00 00",
        "06 11 11 11 11",
        "9999999999",
        "123",
        "none",
        "n/a",
        "aucun",
    ],
)
def test_placeholders(raw: str) -> None:
    answer = phone_key(raw, "FR")
    assert isinstance(answer, Unusable)
    assert answer.kind is FindingKind.PLACEHOLDER


def test_blank_is_no_value() -> None:
    assert phone_key(" ", "FR") is None


@settings(max_examples=500, deadline=None)
@given(
    st.from_regex(r"\+?[0-9 ]{4,16}", fullmatch=True),
    st.sampled_from([None, "FR", "GB", "DE", "ES", "IT", "US", "CH", "VA"]),
)
def test_a_key_is_given_exactly_to_the_numbers_phonenumbers_calls_valid(
    raw: str, region: str | None
) -> None:
    """phone_key asks number_type only; that must agree with is_valid_number."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return
    answer = phone_key(raw, region)
    if phonenumbers.is_valid_number(number):
        assert isinstance(answer, PhoneKey) or (
            isinstance(answer, Unusable) and answer.kind is FindingKind.PLACEHOLDER
        )
    else:
        assert isinstance(answer, Unusable)
