"""City keys: folded, saints spelled out, CEDEX and arrondissements dropped."""

from __future__ import annotations

import pytest

from hub.identity.model import FindingKind
from hub.identity.normalisers.cities import city_key
from hub.identity.normalisers.unusable import Unusable


@pytest.mark.parametrize(
    ("raw", "country", "key"),
    [
        ("Lyon", "FR", "lyon"),
        ("Saint-Étienne", "FR", "saint etienne"),
        ("ST ETIENNE CEDEX 1", "FR", "saint etienne"),
        ("St-Étienne", "FR", "saint etienne"),
        ("Ste-Foy-lès-Lyon", "FR", "sainte foy les lyon"),
        ("Paris", "FR", "paris"),
        ("Paris 16e", "FR", "paris"),
        ("PARIS 16", "FR", "paris"),
        ("Paris 1er", "FR", "paris"),
        ("Paris XVIe", "FR", "paris"),
        ("Paris Cedex 08", "FR", "paris"),
        ("75016 Paris", "FR", "paris"),
        ("Lyon 3ème", "FR", "lyon"),
        ("Marseille 8e arrondissement", "FR", "marseille"),
        ("Nice Cedex", "FR", "nice"),
        ("Paris La Défense Cedex", "FR", "paris la defense"),
        ("Aix-en-Provence", "FR", "aix en provence"),
        ("München", "DE", "munchen"),
        ("St. Ingbert", "DE", "sankt ingbert"),
        ("Frankfurt am Main", "DE", "frankfurt am main"),
        ("St Albans", "GB", "saint albans"),
        ("London", "GB", "london"),
        ("Sta. Cruz de Tenerife", "ES", "santa cruz de tenerife"),
        ("A Coruña", "ES", "a coruna"),
        ("S. Giovanni Rotondo", "IT", "san giovanni rotondo"),
        ("Reggio nell'Emilia", "IT", "reggio nellemilia"),
        ("Lyon 3", None, "lyon"),
    ],
)
def test_keys(raw: str, country: str | None, key: str) -> None:
    assert city_key(raw, country) == key


def test_a_number_with_a_city_name_is_kept_elsewhere() -> None:
    assert city_key("Bordeaux 2", "FR") == "bordeaux 2"  # only three cities have districts


@pytest.mark.parametrize(("raw", "kind"), [("75016", FindingKind.INVALID),
                                           ("Cedex 08", FindingKind.INVALID),
                                           ("Inconnue", FindingKind.PLACEHOLDER),
                                           ("xxx", FindingKind.PLACEHOLDER),
                                           ("-", FindingKind.PLACEHOLDER)])  # fmt: skip
def test_unusable_cities(raw: str, kind: FindingKind) -> None:
    answer = city_key(raw, "FR")
    assert isinstance(answer, Unusable)
    assert answer.kind is kind


def test_blank_is_no_value() -> None:
    assert city_key(" ", "FR") is None
