"""identityChanges: the live feed of merges and splits, automatic and decided."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from hub.events import IdentityChanged
from schema.context import HubInfo
from schema.customers.subscriptions import bus


@strawberry.type(description="A merge, split, never-merge or undo as it happens.")
class IdentityChange:
    kind: str
    profile_id: strawberry.ID = strawberry.field(description="The survivor of a merge.")
    other_profile_ids: list[strawberry.ID] = strawberry.field(
        description="Merged-away profiles, or the profile a split made."
    )
    decided_by: str
    automatic: bool = strawberry.field(description="Made by identity resolution, not a person.")
    cause: str
    decision_id: strawberry.ID | None


@strawberry.type
class IdentitySubscriptions:
    @strawberry.subscription(
        description="Every merge and split (and never-merge, undo) from now on."
    )
    async def identity_changes(self, info: HubInfo) -> AsyncGenerator[IdentityChange, None]:
        async with bus(info).subscribe() as subscription:
            async for event in subscription.events():
                if isinstance(event, IdentityChanged):
                    yield IdentityChange(
                        kind=event.kind,
                        profile_id=strawberry.ID(event.profile_id),
                        other_profile_ids=[strawberry.ID(p) for p in event.other_profile_ids],
                        decided_by=event.decided_by,
                        automatic=event.automatic,
                        cause=event.cause,
                        decision_id=None
                        if event.decision_id is None
                        else strawberry.ID(str(event.decision_id)),
                    )
