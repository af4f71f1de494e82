"""What a typed text may be: the kinds of identifier the search tries."""

from __future__ import annotations

import pytest

from hub.console.search import identifier_kinds


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Amelie.Durand@Example.fr", ["EMAIL"]),
        ("06 12 34 56 78", ["PHONE", "LOYALTY_CARD"]),
        ("+33 (0)6.12.34.56.78", ["PHONE"]),
        ("MX-4471-2290", ["LOYALTY_CARD"]),
        ("crm:A1", ["SOURCE_CUSTOMER_ID"]),
        ("12-34", ["LOYALTY_CARD"]),  # too few digits for a phone
        ("Amélie Durand", []),  # names need the ranked search
    ],
)
def test_identifier_kinds(text: str, kinds: list[str]) -> None:
    assert identifier_kinds(text) == kinds
