"""Country matching keys: ISO 3166 alpha-2 codes from codes and names in several languages.

Sources write "FR", "fra", "France", "Frankreich", "Francia", "Royaume-Uni", "UK", "England" …
Names come from the CLDR data that babel ships (every country in English, French, German,
Spanish, Italian, Dutch and Portuguese), alpha-3 codes from CLDR's code aliases, and a short
table adds the informal names CLDR leaves out (England, Great Britain, Holland …). Names are
compared folded and without spaces, so "Royaume Uni", "royaume-uni" and "ROYAUME-UNI" agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache

from babel import Locale
from babel.core import get_global

from hub.identity.normalisers.folding import fold_text
from hub.identity.normalisers.unusable import Unusable, invalid

NAME_LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt")
MAX_COUNTRY_LENGTH = 100

# CLDR territories that are no country: regions, unions, private-use and sub-territory codes.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)
INFORMAL_NAMES: Mapping[str, str] = {
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "grande bretagne": "GB",
    "angleterre": "GB",
    "ecosse": "GB",
    "pays de galles": "GB",
    "grossbritannien": "GB",
    "england und wales": "GB",
    "schottland": "GB",
    "gran bretana": "GB",
    "inglaterra": "GB",
    "escocia": "GB",
    "gran bretagna": "GB",
    "inghilterra": "GB",
    "scozia": "GB",
    "holland": "NL",
    "hollande": "NL",
    "usa": "US",
    "u s a": "US",
    "america": "US",
    "united states of america": "US",
    "czech republic": "CZ",
    "republique tcheque": "CZ",
    "tschechische republik": "CZ",
    "republica checa": "CZ",
    "repubblica ceca": "CZ",
    "rfa": "DE",
    "brd": "DE",
}


def _key(text: str) -> str:
    return fold_text(text).replace(" ", "")


@cache
def _countries() -> Mapping[str, str]:
    """Folded name or code (no spaces) → alpha-2 code; built once, on first use."""
    codes = {
        code
        for code in Locale("en").territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha()
    } - _NOT_COUNTRIES
    table: dict[str, str] = {}
    for language in NAME_LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in codes and isinstance(code, str):
                table.setdefault(_key(name), code)
    table.update({_key(name): code for name, code in INFORMAL_NAMES.items()})
    aliases: Mapping[str, list[str]] = get_global("territory_aliases")
    # Alpha-3 codes are CLDR's "overlong" aliases of one alpha-2 code; others are retired codes.
    alpha3 = {
        alias.lower(): replacements[0]
        for alias, replacements in aliases.items()
        if len(alias) == 3 and alias.isalpha() and len(replacements) == 1
    }
    table.update({alias: code for alias, code in alpha3.items() if code in codes})
    table.update({code.lower(): code for code in codes})
    return table


@lru_cache(maxsize=1 << 12)
def country_code(raw: str) -> str | Unusable | None:
    """The alpha-2 code of ``raw`` ("Deutschland" → ``"DE"``), why not, or ``None`` if blank."""
    value = raw.strip()
    if not value:
        return None
    if len(value) > MAX_COUNTRY_LENGTH:
        return invalid(f"longer than {MAX_COUNTRY_LENGTH} characters: not a country")
    code = _countries().get(_key(value))
    if code is None:
        return invalid("not a country code or a country name the hub knows")
    return code


def region_code(raw: str | None) -> str | None:
    """The alpha-2 code of a country as a source writes it, ``None`` when there is none."""
    if raw is None:
        return None
    code = country_code(raw)
    return code if isinstance(code, str) else None
