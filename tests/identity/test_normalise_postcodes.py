"""Postcode keys by country: five digits in FR, DE, ES (province 01-52) and IT; British format."""

from __future__ import annotations

import pytest

from hub.identity.model import FindingKind
from hub.identity.normalisers.postcodes import postcode_key
from hub.identity.normalisers.unusable import Unusable


@pytest.mark.parametrize(
    ("raw", "country", "key"),
    [
        ("75016", "FR", "75016"),
        ("75 016", "FR", "75016"),
        ("F-75016", "FR", "75016"),
        ("6000", "FR", "06000"),  # Nice, after a spreadsheet dropped the zero
        ("20000", "FR", "20000"),  # Ajaccio
        ("97400", "FR", "97400"),  # Saint-Denis, La Réunion
        ("10115", "DE", "10115"),
        ("D-10115", "DE", "10115"),
        ("1067", "DE", "01067"),  # Dresden
        ("28013", "ES", "28013"),
        ("08001", "ES", "08001"),
        ("52001", "ES", "52001"),  # Melilla, the last province
        ("00184", "IT", "00184"),
        ("I-20121", "IT", "20121"),
        ("sw1a1aa", "GB", "SW1A 1AA"),
        ("SW1A 1AA", "GB", "SW1A 1AA"),
        ("nw1 6xe", "GB", "NW1 6XE"),
        ("M1 1AE", "GB", "M1 1AE"),
        ("B33 8TH", "GB", "B33 8TH"),
        ("CR2 6XH", "GB", "CR2 6XH"),
        ("DN55 1PT", "GB", "DN55 1PT"),
        ("EC1A 1BB", "GB", "EC1A 1BB"),
        ("W1A 0AX", "GB", "W1A 0AX"),
        ("1000", "BE", "1000"),  # countries without rules: upper case, single spaces
        ("1012  ab", "NL", "1012 AB"),
        ("k1a 0b1", None, "K1A 0B1"),
    ],
)
def test_keys(raw: str, country: str | None, key: str) -> None:
    assert postcode_key(raw, country) == key


@pytest.mark.parametrize(
    ("raw", "country"),
    [
        ("750", "FR"),
        ("750166", "FR"),
        ("75O16", "FR"),  # a letter O for a zero
        ("SW1A 1AA", "FR"),
        ("101", "DE"),
        ("53001", "ES"),  # no province 53
        ("00001", "ES"),
        ("184", "IT"),
        ("75016", "GB"),
        ("QW1 1AA", "GB"),  # no Q in the first place
        ("SW1A 1AC", "GB"),  # no C in the inward code
        ("SW1A", "GB"),
        ("--", "NL"),
        ("1" * 40, None),
    ],
)
def test_invalid_postcodes(raw: str, country: str | None) -> None:
    answer = postcode_key(raw, country)
    assert isinstance(answer, Unusable)
    assert answer.kind is FindingKind.INVALID


@pytest.mark.parametrize(("raw", "country"), [("00000", "FR"), ("99999", "DE"), ("11111", "IT")])
def test_filler_postcodes_are_placeholders(raw: str, country: str) -> None:
    answer = postcode_key(raw, country)
    assert isinstance(answer, Unusable)
    assert answer.kind is FindingKind.PLACEHOLDER


def test_blank_is_no_value() -> None:
    assert postcode_key("  ", "FR") is None
