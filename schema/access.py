"""What resolvers ask before they show or change anything: the request's viewer decides."""

from __future__ import annotations

from typing import TypeVar

from hub.access import Permission, Viewer
from schema.context import HubInfo

T = TypeVar("T")


def viewer(info: HubInfo) -> Viewer:
    return info.context.viewer


def personal(info: HubInfo, value: T) -> T | None:
    """A personal value (e-mail, phone, address, birth date) as this viewer may see it."""
    if value is None or viewer(info).may(Permission.READ_PERSONAL_DATA):
        return value
    return None


def sees_brand(info: HubInfo, brand: str | None) -> bool:
    return viewer(info).sees_brand(brand)
