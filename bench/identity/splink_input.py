"""Person records as the columns Splink compares, prepared the way a Splink user would.

Splink compares columns as given, so its users clean them first; this is that cleaning, kept
plain and the same for every data set: names folded (lower case, accents and punctuation gone),
birth dates read from the usual national spellings into ISO dates (an impossible date becomes
missing), e-mails trimmed and lower-cased, phones reduced to their last nine digits (the
national number without country code or trunk prefix, so ``06 12 34 56 78`` and
``+33 6 12 34 56 78`` agree), postcodes without spaces, one e-mail, phone and loyalty card per
record (the first). The hub's own normaliser is not used: each system prepares its own input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from hub.identity.model import PersonRecord

COLUMNS = (
    "unique_id",
    "source_dataset",
    "first_name",
    "last_name",
    "birth_date",
    "street",
    "postcode",
    "city",
    "email",
    "phone",
    "national_id",
    "loyalty_card",
)
_NOT_NAME = re.compile(r"[^a-z ]+")
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_NOT_DIGIT = re.compile(r"\D")
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
# Year, month and day positions in each spelling of a date: 19840315, 1984-03-15, 15/03/1984.
_DATE_SPELLINGS = (
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), (1, 2, 3)),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (1, 2, 3)),
    (re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})"), (3, 2, 1)),
)
PHONE_DIGITS = 9


def fold(text: str | None, keep_digits: bool = False) -> str | None:
    """Lower case without accents or punctuation; digits kept only where asked (streets)."""
    if not text:
        return None
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    dropped = _NOT_WORD if keep_digits else _NOT_NAME
    folded = _SPACES.sub(" ", dropped.sub(" ", letters)).strip()
    return folded or None


def iso_date(text: str | None) -> str | None:
    """``"15/03/1984"`` → ``"1984-03-15"``; ``None`` for what is no date at all."""
    if not text:
        return None
    for pattern, (year, month, day) in _DATE_SPELLINGS:
        match = pattern.fullmatch(text.strip())
        if match:
            try:
                parsed = date(int(match[year]), int(match[month]), int(match[day]))
            except ValueError:
                return None
            return parsed.isoformat()
    return None


def phone_key(text: str) -> str | None:
    digits = _NOT_DIGIT.sub("", text)
    return digits[-PHONE_DIGITS:] if len(digits) >= PHONE_DIGITS else None


def _first(values: Sequence[str]) -> str | None:
    return values[0] if values else None


def _clean(text: str | None, pattern: re.Pattern[str]) -> str | None:
    cleaned = pattern.sub("", text).upper() if text else ""
    return cleaned or None


def splink_row(record: PersonRecord) -> tuple[Any, ...]:
    email = (_first(record.emails) or "").strip().lower()
    phones = [key for key in map(phone_key, record.phones) if key]
    return (
        record.record_id,
        record.source,
        fold(record.first_name),
        fold(record.last_name),
        iso_date(record.birth_date),
        fold(record.street, keep_digits=True),
        _clean(record.postcode, _NOT_ALNUM),
        fold(record.city),
        email or None,
        _first(phones),
        _clean(record.national_id, _NOT_ALNUM),
        _first(record.loyalty_cards),
    )


def splink_columns(records: Sequence[PersonRecord]) -> dict[str, list[Any]]:
    """Column name → values, one per record, in the order of ``records``."""
    rows = [splink_row(record) for record in records]
    return {name: [row[i] for row in rows] for i, name in enumerate(COLUMNS)}
