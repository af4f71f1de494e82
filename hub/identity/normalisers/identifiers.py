"""Keys of the identifiers sources assign: national ids, loyalty cards and reference ids.

A national id (social security, tax number) and a loyalty card are read from paper and typed
back with spaces, dots or dashes where the card prints them: those go, letters are upper-cased.
A value made of zeros, or of one digit repeated for an id, is a placeholder. Cards shared by many
people (a till's guest card) are found by the engine from counts, not here. References name a
record in some system and are compared exactly as sent, trimmed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from hub.identity.normalisers.unusable import Unusable, invalid, placeholder

MAX_IDENTIFIER_LENGTH = 64

_ID_SEPARATORS = re.compile(r"[\s.\-]+")
_CARD_SEPARATORS = re.compile(r"[\s\-]+")


def _compact(raw: str, separators: re.Pattern[str], what: str) -> str | Unusable | None:
    value = raw.strip()
    if not value:
        return None
    if len(value) > MAX_IDENTIFIER_LENGTH:
        return invalid(f"longer than {MAX_IDENTIFIER_LENGTH} characters: not {what}")
    compact = separators.sub("", value).upper()
    if not compact:
        return placeholder(f"only separators: a placeholder, not {what}")
    return compact


@lru_cache(maxsize=1 << 16)
def national_id_key(raw: str) -> str | Unusable | None:
    """``"1 80 05 75 116 042-21"`` → ``"180057511604221"``; one digit repeated is a placeholder."""
    compact = _compact(raw, _ID_SEPARATORS, "a national id")
    if isinstance(compact, str) and compact.isdigit() and len(set(compact)) == 1:
        return placeholder("one digit repeated: a placeholder, not a national id")
    return compact


@lru_cache(maxsize=1 << 16)
def loyalty_card_key(raw: str) -> str | Unusable | None:
    """``" fid-000123 "`` → ``"FID000123"``; all zeros is a placeholder."""
    compact = _compact(raw, _CARD_SEPARATORS, "a loyalty card number")
    if isinstance(compact, str):
        digits = [c for c in compact if c.isdigit()]
        if digits and set(digits) == {"0"}:
            return placeholder("all zeros: a placeholder, not a card")
    return compact


def reference_key(raw: str) -> str | None:
    """A reference id trimmed, otherwise exactly as sent."""
    return raw.strip() or None
