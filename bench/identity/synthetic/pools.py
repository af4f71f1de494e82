"""What synthetic people are drawn from: per country, names, streets and places from Faker.

Pools are drawn once per seed. Surnames are gathered from the locales that share a language
(French from France, Belgium, Switzerland and Canada …), since one locale holds only a few
hundred, and people draw them with Zipf-like weights: a few surnames are frequent, most rare,
as in a real population. Very common full names (Jean Martin, María García …) are the
``common_name`` trap's own pool, on top of the ordinary draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from faker import Faker

from hub.sandbox.people import COUNTRIES, COUNTRY_WEIGHTS

# Country → locales sharing its language, its own first.
LOCALES = {
    "FR": ("fr_FR", "fr_BE", "fr_CH", "fr_CA"),
    "ES": ("es_ES", "es_MX", "es_AR", "es_CO"),
    "DE": ("de_DE", "de_AT", "de_CH"),
    "IT": ("it_IT", "it_CH"),
    "GB": ("en_GB", "en_IE", "en_US", "en_AU"),
}
COMMON_NAMES = {
    "FR": (("Jean", "Martin"), ("Marie", "Martin"), ("Nicolas", "Bernard"), ("Marie", "Dubois")),
    "ES": (("María", "García"), ("José", "García"), ("Antonio", "Rodríguez"), ("María", "López")),
    "DE": (
        ("Thomas", "Müller"),
        ("Michael", "Schmidt"),
        ("Anna", "Schneider"),
        ("Stefan", "Fischer"),
    ),
    "IT": (("Giuseppe", "Rossi"), ("Maria", "Russo"), ("Marco", "Ferrari"), ("Anna", "Esposito")),
    "GB": (("John", "Smith"), ("David", "Jones"), ("Sarah", "Williams"), ("James", "Brown")),
}
MAIL_DOMAINS = {
    "FR": ("gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "sfr.fr"),
    "ES": ("gmail.com", "hotmail.es", "yahoo.es", "telefonica.net"),
    "DE": ("gmail.com", "gmx.de", "web.de", "t-online.de"),
    "IT": ("gmail.com", "libero.it", "virgilio.it", "tiscali.it"),
    "GB": ("gmail.com", "hotmail.co.uk", "btinternet.com", "yahoo.co.uk"),
}
# Area codes of fixed lines (Italian ones keep their 0 in E.164) and digits after them.
FIXED_AREAS = {
    "FR": (("1", "2", "3", "4", "5"), 8),
    "ES": (("91", "93", "95", "96"), 7),
    "DE": (("30", "40", "89", "221"), 7),
    "IT": (("06", "02", "011", "081"), 7),
    "GB": (("113", "161", "121", "131"), 7),
}
_FIRST_NAMES_DRAWN = 1500
_SURNAMES_PER_LOCALE = 1500
_STREETS = 600
_PLACES = 300


@dataclass(frozen=True)
class CountryPools:
    code: str
    calling_code: str
    trunk_prefix: str
    brands: tuple[str, ...]
    male_first: list[str]
    female_first: list[str]
    last: list[str]
    last_weights: npt.NDArray[np.float64]
    streets: list[str]
    places: list[tuple[str, str]]
    """(postcode, city)"""
    common_names: tuple[tuple[str, str], ...]
    mail_domains: tuple[str, ...]


def _distinct(values: list[str]) -> list[str]:
    return sorted(set(values))


def _country(code: str, seed: int) -> CountryPools:
    own, *others = LOCALES[code]
    fake = Faker(own)
    fake.seed_instance(seed)
    surnames: list[str] = []
    for locale in (own, *others):
        relative = Faker(locale)
        relative.seed_instance(seed)
        surnames.extend(relative.last_name() for _ in range(_SURNAMES_PER_LOCALE))
    last = _distinct(surnames)
    order = np.random.default_rng(seed).permutation(len(last))
    weights = 1.0 / (np.arange(len(last)) + 20.0)
    _, calling, trunk, brands = COUNTRIES[code]
    return CountryPools(
        code=code,
        calling_code=calling,
        trunk_prefix=trunk,
        brands=brands,
        male_first=_distinct([fake.first_name_male() for _ in range(_FIRST_NAMES_DRAWN)]),
        female_first=_distinct([fake.first_name_female() for _ in range(_FIRST_NAMES_DRAWN)]),
        last=[last[i] for i in order],
        last_weights=weights / weights.sum(),
        streets=_distinct([fake.street_name() for _ in range(_STREETS)]),
        places=sorted({(str(fake.postcode()), fake.city()) for _ in range(_PLACES)}),
        common_names=COMMON_NAMES[code],
        mail_domains=MAIL_DOMAINS[code],
    )


def country_pools(seed: int) -> dict[str, CountryPools]:
    return {code: _country(code, seed) for code in COUNTRY_WEIGHTS}
