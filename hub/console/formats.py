"""How the console writes the schema's values for people: times, names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def short_time(value: str | None) -> str:
    """``2026-12-02T19:03:11.5+00:00`` as ``2026-12-02 19:03`` (UTC, as the hub stores it)."""
    return value[:16].replace("T", " ") if value else ""


def full_name(data: Mapping[str, Any]) -> str:
    """A customer's first and last names, as the schema gives them (either may be absent)."""
    return " ".join(part for part in (data.get("firstName"), data.get("lastName")) if part)
