"""What a normaliser answers when a value cannot be a matching key."""

from __future__ import annotations

from dataclasses import dataclass

from hub.identity.model import FindingKind


@dataclass(frozen=True, slots=True)
class Unusable:
    """Why a raw value gives no key; the façade turns it into a :class:`Finding` on the record."""

    kind: FindingKind
    message: str


def invalid(message: str) -> Unusable:
    return Unusable(FindingKind.INVALID, message)


def placeholder(message: str) -> Unusable:
    return Unusable(FindingKind.PLACEHOLDER, message)


def suspicious(message: str) -> Unusable:
    return Unusable(FindingKind.SUSPICIOUS, message)
