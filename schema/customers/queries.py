"""Customer lookups."""

from __future__ import annotations

import strawberry

from hub.access import Permission
from hub.identity.normalise import normalise_identifier
from hub.records import IdentifierKind
from hub.store.models import ProfileRow
from hub.store.profile_batches import ProfileFacts
from hub.store.profiles import profile_facts_by_identifier
from schema.access import PERSONAL_IDENTIFIER_KINDS, require, sees_any_brand, viewer
from schema.context import HubInfo
from schema.customers.types import Customer
from schema.loaders import ProfileLoaders


def profile_facts_of(profile: ProfileRow | ProfileFacts) -> ProfileFacts:
    if isinstance(profile, ProfileFacts):
        return profile
    return ProfileFacts(
        id=profile.id,
        golden=profile.golden,
        merged_into=profile.merged_into,
        brand=profile.brand,
        country=profile.country,
        created_at=profile.created_at,
        updated_at=profile.updated_at,
    )


async def customer_view(
    info: HubInfo,
    profile: ProfileRow | ProfileFacts | None,
    loaders: ProfileLoaders | None = None,
) -> Customer | None:
    """The profile as this viewer may see it: None when absent or of no brand in scope.

    Its fields are read through ``loaders`` (the request's by default), so the views of many
    profiles asked together (``asyncio.gather``, or resolvers of one list) share each read.
    """
    if profile is None:
        return None
    loaders = loaders or info.context.loaders
    facts = profile_facts_of(profile)
    if viewer(info).brands is not None:
        records = await loaders.records.load(facts.id)
        if not sees_any_brand(info, (record.brand for record in records)):
            return None  # as if absent: a key of one brand does not learn another's customers
    return Customer.build(info, facts, loaders)


LOOKUP_REGIONS = ("FR", "GB", "DE", "ES", "IT")
"""Countries a national-format phone in a lookup is read in, in this order; the first country in
which the number is valid gives the key.

A lookup has no record to take a country from, and agents type numbers the way customers say
them ("06 12 34 56 78"); without a country such a number cannot be read at all. These are the
countries the hub serves, largest customer base first, so that a number valid in several plans
is read in the likelier one. Numbers written with a trunk prefix (0 in France, Britain and
Germany) are rarely valid in another of these plans; Spanish and Italian ones have none and
often are ("612 345 678" is also a French mobile without its 0), so those are best looked up
with +34 or +39.
"""


def lookup_key(kind: IdentifierKind, value: str) -> str | None:
    """The key a lookup searches by: international numbers as they are, national ones tried
    in :data:`LOOKUP_REGIONS`."""
    key = normalise_identifier(kind, value)
    if key is None and kind is IdentifierKind.PHONE:
        for region in LOOKUP_REGIONS:
            key = normalise_identifier(kind, value, region)
            if key is not None:
                break
    return key


@strawberry.type
class CustomerQueries:
    @strawberry.field(
        description="A customer by profile id; a merged-away id returns the surviving profile."
    )
    async def customer(self, info: HubInfo, id: strawberry.ID) -> Customer | None:
        return await customer_view(info, await info.context.loaders.profiles.load(str(id)))

    @strawberry.field(
        description=(
            "A customer by any identifier, normalised as identity resolution does "
            "(an e-mail in any case finds the same person; a phone in national format is "
            "read as French, British, German, Spanish or Italian, the first that is valid). "
            "For SOURCE_CUSTOMER_ID the value is '<connector instance>:<id in that source>'."
        )
    )
    async def customer_by_identifier(
        self, info: HubInfo, kind: IdentifierKind, value: str
    ) -> Customer | None:
        if kind in PERSONAL_IDENTIFIER_KINDS:
            # Finding someone by e-mail or phone tells who is a customer: personal data too.
            require(info, Permission.READ_PERSONAL_DATA)
        key = lookup_key(kind, value)
        if key is None:
            return None
        async with info.context.reads.connection() as connection:
            profile = await profile_facts_by_identifier(connection, kind.value, key)
        return await customer_view(info, profile)
