"""Name matching keys: folded, without titles; last names with their particles joined.

"Mme Amélie DURAND" and "amelie durand" give the same keys. Last names join particles to the
word they introduce, because sources write them both ways: "de la Fontaine" and "Delafontaine"
are both ``delafontaine``, "van der Berg" is ``vanderberg``, "D'Amico" is ``damico``. Other
hyphens and punctuation separate words: "Jean-Pierre" is ``jean pierre``, "García-López" is
``garcia lopez``.

A name that is a placeholder ("Inconnu", "xxx", ".") or only a title is no key; a name with
digits is suspicious and not used either: a wrong merge costs more than a missed one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from hub.identity.normalisers.folding import fold_letters
from hub.identity.normalisers.placeholders import is_placeholder
from hub.identity.normalisers.unusable import Unusable, invalid, placeholder, suspicious

MAX_NAME_LENGTH = 100

# Folded, dots removed ("Sig.ra" → "sigra", "Doña" → "dona").
TITLES = frozenset(
    {
        # French
        "m",
        "mr",
        "mme",
        "mmes",
        "mlle",
        "mlles",
        "monsieur",
        "madame",
        "mademoiselle",
        # English
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "sir",
        # German
        "herr",
        "frau",
        "hr",
        # Spanish
        "sr",
        "sra",
        "srta",
        "senor",
        "senora",
        "senorita",
        "don",
        "dona",
        # Italian
        "sig",
        "sigra",
        "signa",
        "signor",
        "signore",
        "signora",
        "signorina",
        "dott",
        "dottssa",
        "dssa",
    }
)
TITLES_THAT_ARE_NAMES = frozenset({"don"})
"""A title alone that is also a first name (Don Johnson): kept as the name."""

PARTICLES = frozenset(
    {
        "d",
        "da",
        "das",
        "de",
        "degli",
        "dei",
        "del",
        "della",
        "delle",
        "dello",
        "den",
        "der",
        "des",
        "di",
        "do",
        "dos",
        "du",
        "l",
        "la",
        "le",
        "les",
        "lo",
        "mac",
        "mc",
        "o",
        "te",
        "ten",
        "ter",
        "van",
        "vom",
        "von",
        "zu",
        "zum",
        "zur",
    }
)

# Words with inner dots kept ("sig.ra"), so that titles are recognised before the dots go.
_TOKEN_SEPARATORS = re.compile(r"[^\w.]+|_+")


def _words(raw: str) -> list[str] | Unusable | None:
    value = raw.strip()
    if not value:
        return None
    if len(value) > MAX_NAME_LENGTH:
        return invalid(f"longer than {MAX_NAME_LENGTH} characters: not a name")
    tokens = [t for t in _TOKEN_SEPARATORS.split(fold_letters(value)) if t.strip(".")]
    while len(tokens) > 1 and tokens[0].replace(".", "") in TITLES:
        tokens.pop(0)
    words = [word for token in tokens for word in token.split(".") if word]
    if not words:
        return placeholder("no letters: a placeholder, not a name")
    if len(tokens) == 1 and words[0] in TITLES and words[0] not in TITLES_THAT_ARE_NAMES:
        return placeholder("only a title, no name")
    if any(c.isdigit() for word in words for c in word):
        only_digits = "".join(words).isdigit()
        return suspicious("a name made of digits" if only_digits else "digits in a name")
    if is_placeholder(" ".join(words)):
        return placeholder("a placeholder, not a name")
    return words


@lru_cache(maxsize=1 << 16)
def first_name_key(raw: str) -> str | Unusable | None:
    """``"Jean-Pierre"`` → ``"jean pierre"``; ``None`` for a blank value."""
    words = _words(raw)
    return " ".join(words) if isinstance(words, list) else words


def _join_particles(words: list[str]) -> str:
    joined: list[str] = []
    pending = ""
    for word in words:
        if word in PARTICLES:
            pending += word
        else:
            joined.append(pending + word)
            pending = ""
    if pending:  # a name that ends with a particle ("Le", "Da") keeps it as a word
        joined.append(pending)
    return " ".join(joined)


@lru_cache(maxsize=1 << 16)
def last_name_key(raw: str) -> str | Unusable | None:
    """``"de la Fontaine"`` → ``"delafontaine"``; ``None`` for a blank value."""
    words = _words(raw)
    return _join_particles(words) if isinstance(words, list) else words
