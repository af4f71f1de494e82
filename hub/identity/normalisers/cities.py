"""City matching keys: folded, saints spelled out, CEDEX and arrondissements dropped.

"ST ETIENNE CEDEX 1", "Saint-Étienne" and "saint etienne" are one city; so are "Paris 16e",
"PARIS 16" and "Paris" (and Lyon's and Marseille's arrondissements): the postcode tells the
district apart, the city key names the city. A postcode typed into the city field ("75016
Paris") is dropped too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from hub.identity.normalisers.folding import words
from hub.identity.normalisers.placeholders import is_placeholder
from hub.identity.normalisers.unusable import Unusable, invalid, placeholder

MAX_CITY_LENGTH = 100

SAINTS: Mapping[str, Mapping[str, str]] = {
    "DE": {"st": "sankt"},
    "ES": {"sta": "santa", "sto": "santo"},
    "IT": {"s": "san"},
}
DEFAULT_SAINTS: Mapping[str, str] = {"st": "saint", "ste": "sainte"}
CITIES_WITH_ARRONDISSEMENTS = frozenset({"paris", "lyon", "marseille"})

_ARRONDISSEMENT = re.compile(r"(?:\d{1,2}|[ivx]{1,5})(?:e|er|eme|ieme|ere)?")
_POSTCODE_LIKE = re.compile(r"\d{4,5}")


def _drop_cedex(city: list[str]) -> list[str]:
    if "cedex" in city:
        city = city[: city.index("cedex")]
    return city


def _drop_arrondissement(city: list[str]) -> list[str]:
    if len(city) >= 2 and city[0] in CITIES_WITH_ARRONDISSEMENTS:
        tail = city[1:]
        if tail[-1] == "arrondissement":
            tail = tail[:-1]
        if len(tail) == 1 and _ARRONDISSEMENT.fullmatch(tail[0]):
            return city[:1]
    return city


@lru_cache(maxsize=1 << 16)
def city_key(raw: str, country: str | None) -> str | Unusable | None:
    """The folded city of ``raw`` in ``country`` (alpha-2, or ``None``)."""
    value = raw.strip()
    if not value:
        return None
    if len(value) > MAX_CITY_LENGTH:
        return invalid(f"longer than {MAX_CITY_LENGTH} characters: not a city")
    city = words(value)
    if not city:
        return placeholder("no letters or digits: a placeholder, not a city")
    if _POSTCODE_LIKE.fullmatch(city[0]):
        city = city[1:]
    city = _drop_arrondissement(_drop_cedex(city))
    if not any(c.isalpha() for word in city for c in word):
        return invalid("no city name, only numbers or CEDEX")
    saints = SAINTS.get(country or "", DEFAULT_SAINTS)
    folded = " ".join(saints.get(word, word) for word in city)
    if is_placeholder(folded):
        return placeholder("a placeholder, not a city")
    return folded
