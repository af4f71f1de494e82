"""Postcode matching keys, validated by the rules of the record's country.

France, Germany, Spain and Italy write five digits (a Spanish one starts with its province,
01 to 52); a four-digit value there is a spreadsheet that dropped the leading zero ("6000" is Nice's
06000). British postcodes are an outward code and a three-character inward code, upper case with
one space ("sw1a1aa" → "SW1A 1AA"). The old European prefix (F-75016, D-10115) is accepted. Other
countries' postcodes are kept in upper case with single spaces, unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from hub.identity.normalisers.unusable import Unusable, invalid, placeholder

MAX_POSTCODE_LENGTH = 16
FIVE_DIGIT_COUNTRIES: Mapping[str, str] = {
    "FR": "a French",
    "DE": "a German",
    "ES": "a Spanish",
    "IT": "an Italian",
}
SPANISH_PROVINCES = range(1, 53)
# Letters each position may hold, from Royal Mail's rules (no Q, V, X first; no C I K M O V in
# the inward code); GIR 0AA is Girobank's.
_BRITISH = re.compile(
    r"(?P<outward>GIR|[A-PR-UWYZ](?:[0-9][0-9]?|[A-HK-Y][0-9][0-9]?|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY]))(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})"
)
_COUNTRY_PREFIX = re.compile(r"(?P<prefix>[A-Z]{1,2})\s*-\s*(?P<rest>.+)")
_PREFIXES: Mapping[str, frozenset[str]] = {
    "FR": frozenset({"F", "FR"}),
    "DE": frozenset({"D", "DE"}),
    "ES": frozenset({"E", "ES"}),
    "IT": frozenset({"I", "IT"}),
    "GB": frozenset({"GB", "UK"}),
}
_SPACES = re.compile(r"\s+")


def _without_country_prefix(value: str, country: str | None) -> str:
    match = _COUNTRY_PREFIX.fullmatch(value)
    if match and country and match["prefix"] in _PREFIXES.get(country, ()):
        return match["rest"]
    return value


def _five_digits(value: str, country: str) -> str | Unusable:
    digits = value.replace(" ", "")
    if len(digits) == 4 and digits.isdigit():
        digits = "0" + digits
    if len(digits) != 5 or not digits.isdigit() or not digits.isascii():
        return invalid(f"{FIVE_DIGIT_COUNTRIES[country]} postcode has five digits")
    if len(set(digits)) == 1:
        return placeholder("a filler postcode (one digit repeated)")
    if country == "ES" and int(digits[:2]) not in SPANISH_PROVINCES:
        return invalid("a Spanish postcode starts with its province number, 01 to 52")
    return digits


def _british(value: str) -> str | Unusable:
    match = _BRITISH.fullmatch(value.replace(" ", ""))
    if match is None:
        return invalid("not a British postcode (outward code, then digit and two letters)")
    return f"{match['outward']} {match['inward']}"


@lru_cache(maxsize=1 << 16)
def postcode_key(raw: str, country: str | None) -> str | Unusable | None:
    """The postcode of ``raw`` in ``country`` (alpha-2, or ``None`` when unknown)."""
    value = _SPACES.sub(" ", raw.strip().upper())
    if not value:
        return None
    if len(value) > MAX_POSTCODE_LENGTH:
        return invalid(f"longer than {MAX_POSTCODE_LENGTH} characters: not a postcode")
    value = _without_country_prefix(value, country)
    if country is not None and country in FIVE_DIGIT_COUNTRIES:
        return _five_digits(value, country)
    if country == "GB":
        return _british(value)
    if not any(c.isalnum() for c in value):
        return invalid("no letters or digits: not a postcode")
    return value
