"""What resolvers ask before they show or change anything: the request's viewer decides.

The lists below are the one place that says what is personal: the masking of every type and
the leak test (tests/access/) both read them, so a field added here is masked and tested.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from hub.access import Permission, Viewer
from hub.records import IdentifierKind
from schema.context import HubInfo
from schema.errors import Forbidden

T = TypeVar("T")

PERSONAL_FIELDS = frozenset({"email", "phone", "street", "postcode", "birth_date", "national_id"})
"""Golden (and person) fields shown only to viewers with READ_PERSONAL_DATA. City and country
stay visible: analysts need them."""
PERSONAL_IDENTIFIER_KINDS = frozenset({IdentifierKind.EMAIL, IdentifierKind.PHONE})
"""Identifiers whose value is a personal field."""


def viewer(info: HubInfo) -> Viewer:
    return info.context.viewer


def personal(info: HubInfo, value: T) -> T | None:
    """A personal value (e-mail, phone, address, birth date) as this viewer may see it."""
    if value is None or viewer(info).may(Permission.READ_PERSONAL_DATA):
        return value
    return None


def raw_payload(info: HubInfo, value: T) -> T | None:
    """A source's raw payload: it holds every personal field, so admins only."""
    return value if viewer(info).may(Permission.READ_RAW_PAYLOADS) else None


def personal_field(info: HubInfo, name: str, value: T) -> T | None:
    """``value`` of the field ``name`` (golden or person field): masked if it is personal."""
    return personal(info, value) if name in PERSONAL_FIELDS else value


def personal_identifier(info: HubInfo, kind: IdentifierKind, value: T) -> T | None:
    return personal(info, value) if kind in PERSONAL_IDENTIFIER_KINDS else value


def masked_evidence(info: HubInfo, evidence: dict[str, Any]) -> dict[str, Any]:
    """Link or review evidence without the compared values of personal fields."""
    if viewer(info).may(Permission.READ_PERSONAL_DATA) or not evidence.get("fields"):
        return evidence
    fields = [
        {**entry, "left": None, "right": None} if entry.get("field") in PERSONAL_FIELDS else entry
        for entry in evidence["fields"]
    ]
    return {**evidence, "fields": fields}


def sees_brand(info: HubInfo, brand: str | None) -> bool:
    return viewer(info).sees_brand(brand)


def sees_any_brand(info: HubInfo, brands: Iterable[str | None]) -> bool:
    """Whether a profile with records of ``brands`` is visible: a brand-scoped viewer sees a
    profile only if one of its records is of a brand in scope (or carries no brand)."""
    scope = viewer(info).brands
    return scope is None or any(brand is None or brand in scope for brand in brands)


def require(info: HubInfo, permission: Permission) -> None:
    """Refuse, with code FORBIDDEN, what this viewer's role or key does not allow."""
    if not viewer(info).may(permission):
        raise Forbidden(f"{viewer(info).name} may not {permission.value.replace('_', ' ')}")
