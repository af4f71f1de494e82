"""How people's values are written down: national phone and date formats, street spellings,
national ids, and the slips of typing (typos, dropped accents, nicknames).

Every function takes its randomness from the caller's ``random.Random``, so a source's
spelling of a person is reproducible from the generator's seed.
"""

from __future__ import annotations

import random
import string
import unicodedata
from datetime import date
from functools import lru_cache

from hub.sandbox.people import NICKNAMES

NICKNAMES_EXTRA = {
    "Thomas": "Tom",
    "Michael": "Mike",
    "Stefan": "Steffi",
    "James": "Jim",
    "David": "Dave",
    "Antonio": "Toni",
    "Giovanni": "Gianni",
    "Francesca": "Franci",
    "Johannes": "Hannes",
    "Nicola": "Nico",
    "Daniel": "Dani",
    "Samuel": "Sam",
}
NICKNAME_OF = {**NICKNAMES, **NICKNAMES_EXTRA}
STREET_ABBREVIATIONS = {
    "avenue": "av.",
    "boulevard": "bd",
    "chemin": "ch.",
    "rue": "r.",
    "straße": "str.",
    "Straße": "Str.",
    "Calle": "C/",
    "Avenida": "Avda.",
    "Via": "V.",
    "Viale": "V.le",
    "Road": "Rd",
    "Street": "St",
    "Lane": "Ln",
}
_ES_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


@lru_cache(maxsize=1 << 16)  # names come from pools: the same few thousand, over and over
def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def typo(text: str, rng: random.Random) -> str:
    """One slip of the keyboard: two letters swapped, one dropped, doubled or replaced."""
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    slip = rng.randrange(4)
    if slip == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if slip == 1:
        return text[:i] + text[i + 1 :]
    if slip == 2:
        return text[:i] + text[i] + text[i:]
    return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1 :]


def nickname(first: str) -> str | None:
    return NICKNAME_OF.get(first)


def _groups(digits: str, step: int) -> str:
    return " ".join(digits[i : i + step] for i in range(0, len(digits), step))


def national_number(e164: str, calling: str, trunk: str) -> str:
    """``+33612345678`` → ``0612345678``; Italian numbers have no trunk prefix to add."""
    return trunk + e164[1 + len(calling) :]


def spell_phone(e164: str, country: str, calling: str, trunk: str, rng: random.Random) -> str:
    """The phone as a form or a clerk wrote it: national or international, grouped or not."""
    national = national_number(e164, calling, trunk)
    step = 2 if country == "FR" else 3
    style = rng.randrange(6)
    if style == 0:
        return e164
    if style == 1:
        return f"+{calling} {_groups(e164[1 + len(calling) :], step)}"
    if style == 2:
        return "00" + e164[1:]
    if style == 3:
        return national
    if style == 4 and country == "FR":
        return ".".join(national[i : i + 2] for i in range(0, len(national), 2))
    return _groups(national, step)


def spell_date(day: date, country: str, iso: bool) -> str:
    if iso:
        return day.isoformat()
    separator = "." if country == "DE" else "/"
    return f"{day.day:02d}{separator}{day.month:02d}{separator}{day.year}"


def street_line(country: str, number: int, street: str) -> str:
    """The address line in the country's order: ``12 rue X``, ``Xstraße 12``, ``Calle X, 12``."""
    if country in ("DE", "IT"):
        return f"{street} {number}"
    if country == "ES":
        return f"{street}, {number}"
    return f"{number} {street}"


def abbreviate(line: str) -> str:
    return " ".join(STREET_ABBREVIATIONS.get(word, word) for word in line.split(" "))


def national_id(country: str, serial: int, born: date, female: bool) -> str:
    """A well-formed national number, unique per ``serial``, in the country's own layout."""
    if country == "FR":
        # NIR: sex, year, month, department, commune, order, then the key 97 - (n mod 97).
        body = (
            f"{2 if female else 1}{born.year % 100:02d}{born.month:02d}"
            f"{serial % 95 + 1:02d}{serial // 95 % 1000:03d}{serial // 95000 % 1000:03d}"
        )
        return f"{body}{97 - int(body) % 97:02d}"
    if country == "ES":
        number = serial * 7 % 100_000_000
        return f"{number:08d}{_ES_DNI_LETTERS[number % 23]}"
    if country == "IT":
        day = born.day + (40 if female else 0)
        letters = "".join(string.ascii_uppercase[(serial // 26**k) % 26] for k in range(6))
        return f"{letters}{born.year % 100:02d}{'ABCDEHLMPRST'[born.month - 1]}{day:02d}H501X"
    if country == "GB":
        prefix = "".join(string.ascii_uppercase[(serial // 26**k) % 20] for k in (4, 5))
        return f"{prefix}{serial % 1_000_000:06d}{'ABCD'[serial % 4]}"
    return f"{serial * 13 % 10**10 + 10**10:011d}"  # DE: the 11-digit tax id


def mistype_digit(value: str, rng: random.Random) -> str:
    """A national id copied with one digit wrong, as happens on paper forms."""
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    if not digits:
        return value
    i = rng.choice(digits)
    return value[:i] + str((int(value[i]) + rng.randrange(1, 10)) % 10) + value[i + 1 :]
