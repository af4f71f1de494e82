"""Country keys: alpha-2 from codes, alpha-3 and names in several languages."""

from __future__ import annotations

import pytest

from hub.identity.model import FindingKind
from hub.identity.normalisers.countries import country_code, region_code
from hub.identity.normalisers.unusable import Unusable


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("FR", "FR"),
        ("fr", "FR"),
        (" Fr ", "FR"),
        ("FRA", "FR"),
        ("France", "FR"),
        ("FRANCE", "FR"),
        ("Frankreich", "FR"),
        ("Francia", "FR"),
        ("GB", "GB"),
        ("GBR", "GB"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("United Kingdom", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("Royaume-Uni", "GB"),
        ("Royaume Uni", "GB"),
        ("Vereinigtes Königreich", "GB"),
        ("Reino Unido", "GB"),
        ("Regno Unito", "GB"),
        ("DE", "DE"),
        ("DEU", "DE"),
        ("Deutschland", "DE"),
        ("Germany", "DE"),
        ("Allemagne", "DE"),
        ("Alemania", "DE"),
        ("Germania", "DE"),
        ("ES", "ES"),
        ("ESP", "ES"),
        ("España", "ES"),
        ("Espana", "ES"),
        ("Spain", "ES"),
        ("Espagne", "ES"),
        ("Spanien", "ES"),
        ("IT", "IT"),
        ("ITA", "IT"),
        ("Italia", "IT"),
        ("Italy", "IT"),
        ("Italie", "IT"),
        ("Italien", "IT"),
        ("Belgique", "BE"),
        ("Schweiz", "CH"),
        ("Pays-Bas", "NL"),
        ("Holland", "NL"),
        ("Österreich", "AT"),
        ("États-Unis", "US"),
        ("USA", "US"),
    ],
)
def test_codes(raw: str, code: str) -> None:
    assert country_code(raw) == code


@pytest.mark.parametrize("raw", ["Narnia", "EU", "ZZ", "XX", "12", "F R A N C E X", "x" * 500])
def test_unknown_countries_are_invalid(raw: str) -> None:
    answer = country_code(raw)
    assert isinstance(answer, Unusable)
    assert answer.kind is FindingKind.INVALID


def test_region_code_is_the_code_or_none() -> None:
    assert region_code("Espagne") == "ES"
    assert region_code("Narnia") is None
    assert region_code(None) is None
    assert country_code("  ") is None
