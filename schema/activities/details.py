"""Reading an activity's ``details`` JSON without trusting it.

Each connector writes its own shape, and sources are messy: an old record may lack a key,
a vendor may send a number where text was expected. A resolver asks here and gets the value
or None, never an exception: one odd order must not fail a whole customer page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any


def text(details: Mapping[str, Any], key: str) -> str | None:
    """A text value; numbers are written as text (a store code sent as 12), anything else
    (a list, a mapping, a boolean) is not text and reads as None."""
    value = details.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, int | float):
        return str(value)
    return None


def integer(details: Mapping[str, Any], key: str) -> int | None:
    value = details.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def number(details: Mapping[str, Any], key: str) -> float | None:
    """A quantity: an integer or a decimal (weighed goods), or a numeric string."""
    value = details.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def moment(details: Mapping[str, Any], key: str) -> datetime | None:
    """An ISO 8601 time; a time without an offset is taken as UTC (as the store keeps times)."""
    value = details.get(key)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def day(details: Mapping[str, Any], key: str) -> date | None:
    """An ISO date (a time is cut to its date)."""
    value = details.get(key)
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def mappings(details: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """The objects of a list (order lines): entries that are not objects are left out."""
    value = details.get(key)
    if not isinstance(value, list):
        return []
    return [entry for entry in value if isinstance(entry, Mapping)]


def member(details: Mapping[str, Any], key: str, choices: frozenset[str]) -> str | None:
    """A lower-cased text value if it is one of ``choices``."""
    value = text(details, key)
    if value is None:
        return None
    value = value.strip().lower()
    return value if value in choices else None
