"""GraphQL types of identity decisions and their results."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from hub.store.models import IdentityDecisionRow
from hub.store.profile_batches import DecisionFacts


@strawberry.type(description="A merge, split, never-merge or undo: who, when, why.")
class IdentityDecision:
    id: strawberry.ID
    kind: str = strawberry.field(description="merge, split, never_merge or undo.")
    profile_id: strawberry.ID
    other_profile_id: strawberry.ID | None
    decided_by: str
    reason: str
    decided_at: datetime
    undoes_id: strawberry.ID | None

    @classmethod
    def from_row(cls, row: IdentityDecisionRow | DecisionFacts) -> IdentityDecision:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            profile_id=strawberry.ID(row.profile_id),
            other_profile_id=None
            if row.other_profile_id is None
            else strawberry.ID(row.other_profile_id),
            decided_by=row.decided_by,
            reason=row.reason,
            decided_at=row.decided_at,
            undoes_id=None if row.undoes_id is None else strawberry.ID(str(row.undoes_id)),
        )


@strawberry.type(description="The profiles are one: the other's records joined the survivor.")
class MergeSuccess:
    decision: IdentityDecision
    survivor_id: strawberry.ID


@strawberry.type(description="The records left the profile for a profile of their own.")
class SplitSuccess:
    decision: IdentityDecision
    profile_id: strawberry.ID
    split_off_id: strawberry.ID


@strawberry.type(description="The two profiles will be kept apart by every later run.")
class NeverMergeSuccess:
    decision: IdentityDecision


@strawberry.type(description="The decision is undone; this is the decision that undid it.")
class UndoSuccess:
    decision: IdentityDecision


@strawberry.enum(description="An agent's answer to a review item.")
class ReviewAction(Enum):
    MERGE = "merge"
    KEEP_APART = "keep_apart"
    NEVER_MERGE = "never_merge"


@strawberry.type(description="The review item is answered and left the queue.")
class ReviewDecisionSuccess:
    item_id: strawberry.ID
    status: str
    decision: IdentityDecision | None = strawberry.field(
        description="The merge or never-merge made; none for keep-apart."
    )
