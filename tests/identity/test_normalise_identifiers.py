"""National ids, loyalty cards and references: compacted, upper-cased, placeholders found."""

from __future__ import annotations

import pytest

from hub.identity.model import FindingKind
from hub.identity.normalisers.identifiers import loyalty_card_key, national_id_key, reference_key
from hub.identity.normalisers.unusable import Unusable


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("1 80 05 75 116 042 21", "180057511604221"),  # French social security number
        ("1.80.05.75.116.042-21", "180057511604221"),
        ("12345678z", "12345678Z"),  # Spanish DNI
        ("RSSMRA85T10A562S", "RSSMRA85T10A562S"),  # Italian codice fiscale
        ("rssmra 85t10 a562s", "RSSMRA85T10A562S"),
        ("QQ 12 34 56 C", "QQ123456C"),  # British National Insurance number
        ("65 180539 W 002", "65180539W002"),  # German pension insurance number
    ],
)
def test_national_ids(raw: str, key: str) -> None:
    assert national_id_key(raw) == key


@pytest.mark.parametrize("raw", ["0000000000000", "1111111111111", "000 00 00", "---", "9"])
def test_national_id_placeholders(raw: str) -> None:
    answer = national_id_key(raw)
    assert isinstance(answer, Unusable)
    assert answer.kind is FindingKind.PLACEHOLDER


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (" FID-000123 ", "FID000123"),
        ("fid 000 123", "FID000123"),
        ("4000 1234 5678 9010", "4000123456789010"),
        ("LOY.77", "LOY.77"),  # only spaces and dashes go
    ],
)
def test_loyalty_cards(raw: str, key: str) -> None:
    assert loyalty_card_key(raw) == key


@pytest.mark.parametrize("raw", ["000000", "FID-000000", "0000 0000 0000"])
def test_all_zero_cards_are_placeholders(raw: str) -> None:
    answer = loyalty_card_key(raw)
    assert isinstance(answer, Unusable)
    assert answer.kind is FindingKind.PLACEHOLDER


def test_a_card_repeating_another_digit_is_kept() -> None:
    """Only zeros are a placeholder; a card shared by many people is the engine's finding."""
    assert loyalty_card_key("1111") == "1111"


def test_overlong_ids_are_invalid() -> None:
    for key in (national_id_key, loyalty_card_key):
        answer = key("A1" * 100)
        assert isinstance(answer, Unusable)
        assert answer.kind is FindingKind.INVALID


def test_references_are_trimmed_and_kept_as_sent() -> None:
    assert reference_key("  shop-fr:123 ") == "shop-fr:123"
    assert reference_key("crm:A-77") == "crm:A-77"
    assert reference_key("   ") is None
