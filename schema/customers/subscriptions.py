"""customerChanged(id): the changes of one customer, live over graphql-transport-ws."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from graphql import GraphQLError

from hub.access import Permission
from hub.events import EventBus, IdentityChanged, ProfileChanged
from hub.store.profiles import get_profile
from schema.access import viewer
from schema.context import HubInfo
from schema.customers.queries import customer_view
from schema.customers.types import Customer
from schema.loaders import ProfileLoaders


@strawberry.type(description="A customer changed: what, why, and the customer as it is now.")
class CustomerChange:
    customer_id: strawberry.ID
    change: str = strawberry.field(
        description="created, updated, merge, split, never_merge, undo, merged_away or consent"
    )
    cause: str = strawberry.field(
        description="sync, webhook, decision, consent, replay: what made the change"
    )
    by: str = strawberry.field(description="'auto' for identity resolution, else who decided")

    @strawberry.field(description="The customer now (a merged-away id gives the survivor).")
    async def customer(self, info: HubInfo) -> Customer | None:
        async with info.context.sessions() as session:
            profile = await get_profile(session, str(self.customer_id))
        # Fresh loaders: the socket's context lives as long as it does, and this customer
        # changed since any of its reads (that is why the event came).
        return await customer_view(info, profile, ProfileLoaders(info.context.sessions))


def bus(info: HubInfo) -> EventBus:
    hub = info.context.hub
    if hub is None:
        raise GraphQLError("this server publishes no changes", extensions={"code": "UNAVAILABLE"})
    if not viewer(info).may(Permission.READ_PROFILES):
        raise GraphQLError(
            "this key may not read profiles", extensions={"code": "PERMISSION_DENIED"}
        )
    return hub.events


@strawberry.type
class CustomerSubscriptions:
    @strawberry.subscription(
        description=(
            "Each change of the customer `id`: syncs, webhooks, decisions, consents. "
            "A merge into another profile is followed: the survivor's changes come next."
        )
    )
    async def customer_changed(
        self, info: HubInfo, id: strawberry.ID
    ) -> AsyncGenerator[CustomerChange, None]:
        events = bus(info)
        async with events.subscribe() as subscription:
            # Subscribed before reading: a change made meanwhile is queued, not missed.
            async with info.context.sessions() as session:
                live = await get_profile(session, str(id))
            fresh = ProfileLoaders(info.context.sessions)
            if viewer(info).brands is not None and await customer_view(info, live, fresh) is None:
                # as customer(id) answers null: a key of one brand does not learn, from the
                # changes of a customer, that another brand's customer exists
                raise GraphQLError(
                    f"no customer {id} in this key's brands", extensions={"code": "NOT_FOUND"}
                )
            watched = {str(id)} | ({live.id} if live is not None else set())
            async for event in subscription.events():
                if isinstance(event, IdentityChanged):
                    if event.kind == "merge" and watched.intersection(event.other_profile_ids):
                        watched.add(event.profile_id)
                    continue
                if isinstance(event, ProfileChanged) and event.profile_id in watched:
                    yield CustomerChange(
                        customer_id=strawberry.ID(event.profile_id),
                        change=event.change,
                        cause=event.cause,
                        by=event.by,
                    )
