"""Street keys: house numbers taken apart and street types spelled out, by country."""

from __future__ import annotations

import pytest

from hub.identity.model import FindingKind
from hub.identity.normalisers.streets import StreetKey, street_key
from hub.identity.normalisers.unusable import Unusable


@pytest.mark.parametrize(
    ("raw", "country", "street", "number"),
    [
        # France: number first, types abbreviated at the start
        ("12 bis rue Victor Hugo", "FR", "rue victor hugo", "12bis"),
        ("12bis, r. Victor-Hugo", "FR", "rue victor hugo", "12bis"),
        ("12 rue des Lilas", "FR", "rue des lilas", "12"),
        ("43, avenue de Gillet", "FR", "avenue de gillet", "43"),
        ("4 av. Foch", "FR", "avenue foch", "4"),
        ("27 Bd Victor Hugo", "FR", "boulevard victor hugo", "27"),
        ("8 pl. Bellecour", "FR", "place bellecour", "8"),
        ("3 imp. du Moulin", "FR", "impasse du moulin", "3"),
        ("5 all. des Tilleuls", "FR", "allee des tilleuls", "5"),
        ("10 ch. des Vignes", "FR", "chemin des vignes", "10"),
        ("2 rte de Lyon", "FR", "route de lyon", "2"),
        ("14 fbg Saint-Honoré", "FR", "faubourg saint honore", "14"),
        ("1 sq. Rapp", "FR", "square rapp", "1"),
        ("9 quai St-Antoine", "FR", "quai saint antoine", "9"),
        ("6 rue Ste-Catherine", "FR", "rue sainte catherine", "6"),
        ("12 rue du 8 Mai 1945", "FR", "rue du 8 mai 1945", "12"),
        ("rue de la Paix", "FR", "rue de la paix", None),
        ("12 rue des Lilas, Bâtiment B", "FR", "rue des lilas", "12"),
        # Britain: number first, types abbreviated at the end, St before the end is Saint
        ("221B Baker Street", "GB", "baker street", "221b"),
        ("221b Baker St", "GB", "baker street", "221b"),
        ("10 Downing St.", "GB", "downing street", "10"),
        ("Flat 2, 10 Downing Street", "GB", "downing street", "10"),
        ("Flat 32 Shannon Estates", "GB", "shannon estates", None),
        ("5 Abbey Rd", "GB", "abbey road", "5"),
        ("1 Park Ave", "GB", "park avenue", "1"),
        ("7 Church Ln", "GB", "church lane", "7"),
        ("3 Kings Dr", "GB", "kings drive", "3"),
        ("2 Queens Ct", "GB", "queens court", "2"),
        ("4 Berkeley Sq", "GB", "berkeley square", "4"),
        ("8 Royal Cres", "GB", "royal crescent", "8"),
        ("12 St John's Rd", "GB", "saint johns road", "12"),
        ("10-12 High Street", "GB", "high street", "10-12"),
        # Germany: number last, Str. and -str. spelled out
        ("Hauptstr. 5a", "DE", "hauptstrasse", "5a"),
        ("Hauptstraße 5 a", "DE", "hauptstrasse", "5a"),
        ("Berliner Str. 12", "DE", "berliner strasse", "12"),
        ("Gutestraße 6/3", "DE", "gutestrasse", "6/3"),
        ("Roggestr. 4-8", "DE", "roggestrasse", "4-8"),
        ("Marktpl. 3", "DE", "marktplatz", "3"),
        ("Straße des 17. Juni 5", "DE", "strasse des 17 juni", "5"),
        ("St.-Anna-Platz 2", "DE", "sankt anna platz", "2"),
        ("Adlerweg", "DE", "adlerweg", None),
        # Spain: number last, floor and door dropped
        ("Calle Mayor 12, 3º izq", "ES", "calle mayor", "12"),
        ("C/ Mayor, 12", "ES", "calle mayor", "12"),
        ("C/Mayor 12", "ES", "calle mayor", "12"),
        ("Cl. Mayor 12", "ES", "calle mayor", "12"),
        ("Avda. de la Constitución 3", "ES", "avenida de la constitucion", "3"),
        ("Av. Diagonal 640, 2º 1ª", "ES", "avenida diagonal", "640"),
        ("Pza. Mayor 1", "ES", "plaza mayor", "1"),
        ("Pº de la Castellana 100", "ES", "paseo de la castellana", "100"),
        ("Ctra. de Valencia 7", "ES", "carretera de valencia", "7"),
        ("Calle Mayor 12 A", "ES", "calle mayor", "12a"),
        ("Ronda Concha Palacio 22 Piso 2", "ES", "ronda concha palacio", "22"),
        ("Cuesta de Martín Berenguer 92 Apt. 48", "ES", "cuesta de martin berenguer", "92"),
        # Italy: number last, often after a comma
        ("Via Roma 10", "IT", "via roma", "10"),
        ("Via Roma, 10", "IT", "via roma", "10"),
        ("V. Roma 10", "IT", "via roma", "10"),
        ("P.za Garibaldi 3", "IT", "piazza garibaldi", "3"),
        ("P.zza del Duomo 1", "IT", "piazza del duomo", "1"),
        ("C.so Vittorio Emanuele II, 21", "IT", "corso vittorio emanuele ii", "21"),
        ("V.le Europa 5", "IT", "viale europa", "5"),
        ("L.go Argentina 1", "IT", "largo argentina", "1"),
        ("Via XX Settembre 20", "IT", "via xx settembre", "20"),
        ("Via Carocci, 8 Appartamento 64", "IT", "via carocci", "8"),
        ("Vicolo Zaguri, 95 Piano 1", "IT", "vicolo zaguri", "95"),
        # No known country: the number on either side, no types spelled out
        ("5 Main Street", None, "main street", "5"),
        ("Main Street 5", None, "main street", "5"),
    ],
)
def test_keys(raw: str, country: str | None, street: str, number: str | None) -> None:
    assert street_key(raw, country) == StreetKey(street, number)


def test_spellings_of_one_address_agree() -> None:
    spellings = ["12 avenue Foch", "12, av. Foch", "12 AVENUE FOCH", "12 Av Foch, Appt 4"]
    assert {street_key(raw, "FR") for raw in spellings} == {StreetKey("avenue foch", "12")}


def test_a_number_alone_is_a_house_number_without_street() -> None:
    assert street_key("12", "FR") == StreetKey(None, "12")


@pytest.mark.parametrize("raw", [".", "-", "xxx", "inconnue", "n/a"])
def test_placeholders(raw: str) -> None:
    answer = street_key(raw, "FR")
    assert isinstance(answer, Unusable)
    assert answer.kind is FindingKind.PLACEHOLDER


def test_overlong_streets_are_invalid() -> None:
    answer = street_key("rue " * 1000, "FR")
    assert isinstance(answer, Unusable)
    assert answer.kind is FindingKind.INVALID


def test_blank_is_no_value() -> None:
    assert street_key("  ", "DE") is None
