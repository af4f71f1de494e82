"""Lookup keys: a national phone without a region is tried in the countries the hub serves."""

from __future__ import annotations

import pytest

from hub.records import IdentifierKind
from schema.customers.queries import LOOKUP_REGIONS, lookup_key


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("+49 170 1234567", "+491701234567"),  # international: no region needed
        ("06 12 34 56 78", "+33612345678"),  # valid in France, tried first
        ("07737 783533", "+447737783533"),  # not French: British
        ("0170 1234567", "+491701234567"),  # neither French nor British: German
        # Spanish and Italian numbers have no trunk prefix: without +34 or +39 they are also
        # valid in an earlier plan, and the order decides (LOOKUP_REGIONS says why).
        ("612 345 678", "+33612345678"),
        ("+34 612 345 678", "+34612345678"),
        ("347 123 4567", "+443471234567"),
        ("+39 347 123 4567", "+393471234567"),
        ("12", None),  # valid nowhere
        ("0600000000", None),
    ],
)
def test_phones_are_read_in_the_first_country_where_they_are_valid(
    raw: str, key: str | None
) -> None:
    assert lookup_key(IdentifierKind.PHONE, raw) == key


def test_the_regions_are_the_hubs_countries_most_customers_first() -> None:
    assert LOOKUP_REGIONS == ("FR", "GB", "DE", "ES", "IT")


def test_other_kinds_are_keyed_as_identity_resolution_keys_them() -> None:
    assert lookup_key(IdentifierKind.EMAIL, " J.Dupont+x@GMAIL.com") == "jdupont@gmail.com"
    assert lookup_key(IdentifierKind.EMAIL, "06 12 34 56 78") is None
