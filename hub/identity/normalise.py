"""Matching keys for identifiers, computed beside the raw value and never replacing it.

This is the walking skeleton's normaliser: trimmed, lower-cased e-mails and phone digits. The
identity-resolution work replaces it with validated e-mails and E.164 phones; lookups through
GraphQL use the same function, so a value typed any supported way finds the same record.
"""

from __future__ import annotations

import re

from hub.records import IdentifierKind

_NOT_PHONE = re.compile(r"[^\d+]")


def normalise_identifier(kind: IdentifierKind, raw: str) -> str | None:
    """The matching key of ``raw``, or ``None`` when the value cannot be a key of that kind."""
    value = raw.strip()
    if not value:
        return None
    if kind is IdentifierKind.EMAIL:
        local, at, domain = value.lower().rpartition("@")
        return f"{local}@{domain}" if at and local and "." in domain else None
    if kind is IdentifierKind.PHONE:
        digits = _NOT_PHONE.sub("", value)
        if digits.startswith("00"):
            digits = "+" + digits[2:]
        return digits if len(digits.lstrip("+")) >= 6 else None
    return value
