"""Customer lookups."""

from __future__ import annotations

import strawberry

from hub.identity.normalise import normalise_identifier
from hub.records import IdentifierKind
from hub.store.models import ProfileRow
from hub.store.profiles import find_profile_by_identifier, get_profile, linked_records
from schema.context import HubInfo
from schema.customers.types import Customer


async def _customer(info: HubInfo, profile: ProfileRow | None) -> Customer | None:
    if profile is None:
        return None
    async with info.context.sessions() as session:
        records = await linked_records(session, profile.id)
    return Customer.build(profile, list(records))


@strawberry.type
class CustomerQueries:
    @strawberry.field(
        description="A customer by profile id; a merged-away id returns the surviving profile."
    )
    async def customer(self, info: HubInfo, id: strawberry.ID) -> Customer | None:
        async with info.context.sessions() as session:
            profile = await get_profile(session, str(id))
        return await _customer(info, profile)

    @strawberry.field(
        description=(
            "A customer by any identifier, normalised as identity resolution does "
            "(an e-mail in any case finds the same person). For SOURCE_CUSTOMER_ID the value "
            "is '<connector instance>:<id in that source>'."
        )
    )
    async def customer_by_identifier(
        self, info: HubInfo, kind: IdentifierKind, value: str
    ) -> Customer | None:
        key = normalise_identifier(kind, value)
        if key is None:
            return None
        async with info.context.sessions() as session:
            profile = await find_profile_by_identifier(session, kind.value, key)
        return await _customer(info, profile)
