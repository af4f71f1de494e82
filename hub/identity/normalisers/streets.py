"""Street matching keys: the house number taken apart, street types spelled out, by country.

France and Britain write the number first ("12 bis rue Victor Hugo", "221B Baker Street");
Germany, Spain and Italy after the street ("Hauptstr. 5a", "Calle Mayor 12, 3º izq",
"Via Roma, 10"). What follows the address proper is dropped: a flat, floor or door ("Apt. 48",
"Piso 2", "Appartamento 64", "3º izq") and, after a comma, a building or locality. The street
key is folded (lower case, no accents, single spaces) with abbreviated street types spelled out
the way each country abbreviates them, so "12 av. Foch" and "12 avenue Foch" agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from hub.identity.normalisers.folding import fold_letters
from hub.identity.normalisers.placeholders import is_placeholder
from hub.identity.normalisers.unusable import Unusable, invalid, placeholder

MAX_STREET_LENGTH = 200


class StreetKey(NamedTuple):
    street: str | None
    house_number: str | None


@dataclass(frozen=True)
class StreetRules:
    """How one country writes streets; words are folded and without dots."""

    number_first: bool | None
    """``True``: "12 rue …"; ``False``: "Via Roma 10"; ``None``: either (unknown country)."""
    first_word_types: Mapping[str, str] = field(default_factory=dict)
    last_word_types: Mapping[str, str] = field(default_factory=dict)
    any_word: Mapping[str, str] = field(default_factory=dict)
    """Words spelled out wherever they are (saints); after the type rules."""
    suffixes: Mapping[str, str] = field(default_factory=dict)
    """Abbreviated ends of compound words: German "Hauptstr." is "hauptstrasse"."""


RULES: Mapping[str, StreetRules] = {
    "FR": StreetRules(
        number_first=True,
        first_word_types={
            "r": "rue",
            "av": "avenue",
            "ave": "avenue",
            "bd": "boulevard",
            "bld": "boulevard",
            "boul": "boulevard",
            "pl": "place",
            "imp": "impasse",
            "all": "allee",
            "ch": "chemin",
            "chem": "chemin",
            "rte": "route",
            "fbg": "faubourg",
            "fg": "faubourg",
            "sq": "square",
            "crs": "cours",
            "qu": "quai",
        },
        any_word={"st": "saint", "ste": "sainte", "gal": "general", "mal": "marechal"},
    ),
    "GB": StreetRules(
        number_first=True,
        last_word_types={
            "st": "street",
            "rd": "road",
            "ave": "avenue",
            "av": "avenue",
            "ln": "lane",
            "dr": "drive",
            "ct": "court",
            "sq": "square",
            "pl": "place",
            "cres": "crescent",
            "cresc": "crescent",
            "tce": "terrace",
            "gdns": "gardens",
        },
        any_word={"st": "saint"},  # before the last word: "St John's Road"
    ),
    "DE": StreetRules(
        number_first=False,
        any_word={"st": "sankt"},
        suffixes={"str": "strasse", "pl": "platz"},  # "Str." and "Pl." alone too
    ),
    "ES": StreetRules(
        number_first=False,
        first_word_types={
            "c": "calle",
            "cl": "calle",
            "cll": "calle",
            "avda": "avenida",
            "avd": "avenida",
            "av": "avenida",
            "pza": "plaza",
            "plza": "plaza",
            "pl": "plaza",
            "po": "paseo",  # "Pº", the º folded to o
            "pso": "paseo",
            "ctra": "carretera",
            "cno": "camino",
            "rda": "ronda",
        },
        any_word={"sta": "santa", "sto": "santo"},
    ),
    "IT": StreetRules(
        number_first=False,
        first_word_types={
            "v": "via",
            "pza": "piazza",
            "pzza": "piazza",
            "p": "piazza",
            "cso": "corso",
            "vle": "viale",
            "lgo": "largo",
            "ple": "piazzale",
            "vic": "vicolo",
        },
    ),
}
ANY_COUNTRY = StreetRules(number_first=None)

_NUMBER = r"\d+(?:\s?(?:bis|ter|quater|[a-z])(?!\w))?(?:\s?[-/]\s?\d+(?:\s?[a-z](?!\w))?)?"
_LEADING_NUMBER = re.compile(rf"\s*(?P<number>{_NUMBER})[\s,.]*(?P<rest>.*)")
_TRAILING_NUMBER = re.compile(rf"(?P<rest>.*[^\d\s/-])\s*(?P<number>{_NUMBER})\.?\s*")
# A floor written with an ordinal indicator ("3º izq", "2ª"), and what follows it.
_FLOOR = re.compile(r"[\s,]+\d+\s*[º°ª].*")
_SUB_PREMISE = re.compile(
    r"\b(?:apt|appt|app|apartment|appartement|appartamento|apartamento|flat|studio|unit|suite"
    r"|piso|puerta|pta|planta|escalera|esc|piano|interno|int|scala|etage|etg|whg|wohnung"
    r"|bat|batiment)\b\.?\s*[\w/-]*",
)
_SPANISH_CALLE = re.compile(r"^\s*c\s*/\s*")
_NOT_WORD = re.compile(r"[\W_]+")


def _cut_number(segments: list[str], rules: StreetRules) -> tuple[str, str | None]:
    """The street part and house number of an address split at its commas."""
    first, rest = segments[0], segments[1:]
    if rules.number_first is not False:
        match = _LEADING_NUMBER.fullmatch(first)
        if match:
            street = match["rest"] or (rest[0] if rest else "")
            return street, match["number"]
    if rules.number_first is not True:
        match = _TRAILING_NUMBER.fullmatch(first)
        if match:
            return match["rest"], match["number"]
        if rest and (after := _LEADING_NUMBER.fullmatch(rest[0])):  # "Via Carocci, 8"
            return first, after["number"]
    return first, None


def _words(street: str) -> list[str]:
    # Dots go first, so abbreviations keep their letters together: "p.za" → "pza".
    return [w for token in street.split() for w in _NOT_WORD.split(token.replace(".", "")) if w]


def _spell_out(words: list[str], rules: StreetRules) -> list[str]:
    if not words:
        return words
    words = list(words)
    words[0] = rules.first_word_types.get(words[0], words[0])
    words[-1] = rules.last_word_types.get(words[-1], words[-1])
    words = [rules.any_word.get(word, word) for word in words]
    for short, spelled in rules.suffixes.items():
        words = [w[: -len(short)] + spelled if w.endswith(short) else w for w in words]
    return words


@lru_cache(maxsize=1 << 16)
def street_key(raw: str, country: str | None) -> StreetKey | Unusable | None:
    """Street and house number of ``raw`` in ``country`` (alpha-2, or ``None``)."""
    value = raw.strip()
    if not value:
        return None
    if len(value) > MAX_STREET_LENGTH:
        return invalid(f"longer than {MAX_STREET_LENGTH} characters: not a street")
    rules = RULES.get(country or "", ANY_COUNTRY)
    text = _SUB_PREMISE.sub(" ", fold_letters(_FLOOR.sub("", value)))
    if country == "ES":
        text = _SPANISH_CALLE.sub("calle ", text)
    segments = [segment.strip() for segment in text.split(",") if segment.strip()]
    if not segments:
        return placeholder("no letters or digits: a placeholder, not a street")
    street, number = _cut_number(segments, rules)
    words = _spell_out(_words(street), rules)
    house_number = number.replace(" ", "") if number else None
    if not words:
        if house_number is None:
            return placeholder("no letters or digits: a placeholder, not a street")
        return StreetKey(None, house_number)
    folded = " ".join(words)
    if is_placeholder(folded):
        return placeholder("a placeholder, not a street")
    return StreetKey(folded, house_number)
