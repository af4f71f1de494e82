"""``customers``: every live profile the key may see, as cursor pages ordered by id.

Pages come from :func:`hub.store.profile_pages.profile_page` (keyset by id), so walking them
while syncs insert profiles gives no duplicates and skips none that existed before; each
page's customers then read their fields through the request's loaders, in one batch per kind.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.store.profile_pages import ProfileFilter, profile_page
from schema.access import viewer
from schema.context import HubInfo
from schema.customers.types import Customer
from schema.errors import ApiError, InvalidCursor
from schema.limits import page_size
from schema.pagination import Connection, connection, decode_cursor

CURSOR_KIND = "customers"
DEFAULT_PAGE = 20


@strawberry.input(description="Only customers matching every field given.")
class CustomerFilter:
    brand: str | None = None
    country: str | None = strawberry.field(
        default=None, description="ISO 3166 alpha-2 code of the golden country, e.g. 'FR'."
    )
    source: str | None = strawberry.field(
        default=None, description="A connector instance: customers with a record from it."
    )
    updated_since: datetime | None = strawberry.field(
        default=None, description="Customers whose profile changed at or after this time."
    )


def _profile_filter(info: HubInfo, given: CustomerFilter | None) -> ProfileFilter:
    given = given or CustomerFilter()
    country = given.country
    if country is not None:
        country = country.strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise ApiError(f"filter.country: {given.country!r} is not an ISO alpha-2 code")
    if given.updated_since is not None and given.updated_since.tzinfo is None:
        raise ApiError("filter.updatedSince: give a time with its offset (e.g. ...Z)")
    scope = viewer(info).brands
    return ProfileFilter(
        brand=given.brand,
        country=country,
        source=given.source,
        updated_since=given.updated_since,
        visible_brands=None if scope is None else frozenset(scope),
    )


def _after_id(after: str | None) -> str | None:
    key = decode_cursor(CURSOR_KIND, after)
    if key is None:
        return None
    if len(key) != 1 or not isinstance(key[0], str):
        raise InvalidCursor(f"after: {after!r} is not a cursor of {CURSOR_KIND}")
    return key[0]


@strawberry.type
class CustomerListQueries:
    @strawberry.field(
        description=(
            "Live customers ordered by id, optionally filtered; a brand-scoped key sees only "
            "customers with a record of its brands."
        )
    )
    async def customers(
        self,
        info: HubInfo,
        first: int | None = None,
        after: str | None = None,
        filter: CustomerFilter | None = None,
    ) -> Connection[Customer]:
        size = page_size(info, first, DEFAULT_PAGE)
        wanted = _profile_filter(info, filter)
        start = _after_id(after)
        async with info.context.sessions() as session:
            page = await profile_page(session, wanted, size, start)
        loaders = info.context.loaders
        return connection(
            CURSOR_KIND,
            [(profile.id, Customer.build(info, profile, loaders)) for profile in page.profiles],
            page.has_next,
        )
