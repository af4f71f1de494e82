"""Identity mutations: wrappers of hub.identity.decisions and review, audited and published."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access import Permission
from hub.audit import record_audit
from hub.events import IdentityChanged, ProfileChanged
from hub.identity.config import ResolutionConfig
from hub.identity.decisions import (
    DecisionError,
    merge_profiles,
    never_merge,
    split_profile,
    undo_decision,
)
from hub.identity.review import DECIDED_STATUS, decide_review
from hub.store.models import IdentityDecisionRow
from schema.access import viewer
from schema.context import HubInfo
from schema.identities.types import (
    IdentityDecision,
    MergeSuccess,
    NeverMergeSuccess,
    ReviewAction,
    ReviewDecisionSuccess,
    SplitSuccess,
    UndoSuccess,
)
from schema.mutation_errors import (
    DecisionFailure,
    DecisionRefused,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ProfileNotFound,
    decision_failure,
    denied,
    reason_required,
)

Failures = ProfileNotFound | NotFound | DecisionRefused | PermissionDenied | InvalidInput
ProfileFailures = ProfileNotFound | DecisionRefused | PermissionDenied | InvalidInput
"""What a decision on profiles may fail with: only undo and review items look up other ids."""

MergeProfilesResult = Annotated[
    MergeSuccess | ProfileNotFound | DecisionRefused | PermissionDenied | InvalidInput,
    strawberry.union("MergeProfilesResult"),
]
SplitProfileResult = Annotated[
    SplitSuccess | ProfileNotFound | DecisionRefused | PermissionDenied | InvalidInput,
    strawberry.union("SplitProfileResult"),
]
NeverMergeResult = Annotated[
    NeverMergeSuccess | ProfileNotFound | DecisionRefused | PermissionDenied | InvalidInput,
    strawberry.union("NeverMergeResult"),
]
UndoDecisionResult = Annotated[
    UndoSuccess | NotFound | ProfileNotFound | DecisionRefused | PermissionDenied | InvalidInput,
    strawberry.union("UndoDecisionResult"),
]
DecideReviewItemResult = Annotated[
    ReviewDecisionSuccess
    | NotFound
    | ProfileNotFound
    | DecisionRefused
    | PermissionDenied
    | InvalidInput,
    strawberry.union("DecideReviewItemResult"),
]

Decide = Callable[[AsyncSession, str, ResolutionConfig], Awaitable[IdentityDecisionRow | None]]


def _config(info: HubInfo) -> ResolutionConfig:
    hub = info.context.hub
    return ResolutionConfig() if hub is None else hub.config.resolution


def _publish(info: HubInfo, decision: IdentityDecisionRow) -> None:
    hub = info.context.hub
    if hub is None:
        return
    others = () if decision.other_profile_id is None else (decision.other_profile_id,)
    hub.events.publish(
        IdentityChanged(
            decision.kind, decision.profile_id, others, decision.decided_by, "decision", decision.id
        )
    )
    for profile in (decision.profile_id, *others):
        hub.events.publish(ProfileChanged(profile, decision.kind, "decision", decision.decided_by))


async def _decide(
    info: HubInfo, reason: str, action: str, subject: str, details: dict[str, object], run: Decide
) -> IdentityDecisionRow | DecisionFailure | PermissionDenied | None:
    """Check, run ``run`` and audit it in one transaction, then tell subscribers."""
    refused = denied(info, Permission.DECIDE_IDENTITY) or reason_required(reason)
    if refused is not None:
        return refused
    actor = viewer(info).name
    try:
        async with info.context.sessions.begin() as session:
            decision = await run(session, actor, _config(info))
            if decision is not None:
                details = {**details, "decision": decision.id, "kind": decision.kind}
            await record_audit(session, actor, action, subject, details, reason.strip())
    except DecisionError as error:
        return decision_failure(error)
    if decision is not None:
        _publish(info, decision)
    return decision


def _row(result: object) -> IdentityDecisionRow:
    assert isinstance(result, IdentityDecisionRow)
    return result


@strawberry.type
class IdentityMutations:
    @strawberry.mutation(description="Merge `other` into `survivor`; both follow earlier merges.")
    async def merge_profiles(
        self, info: HubInfo, survivor: strawberry.ID, other: strawberry.ID, reason: str
    ) -> MergeProfilesResult:
        result = await _decide(
            info,
            reason,
            "identity.merge",
            f"profile:{survivor}",
            {"other": str(other)},
            lambda s, by, config: merge_profiles(
                s, str(survivor), str(other), by=by, reason=reason, config=config
            ),
        )
        if isinstance(result, Failures):
            return cast(ProfileFailures, result)
        row = _row(result)
        return MergeSuccess(
            decision=IdentityDecision.from_row(row), survivor_id=strawberry.ID(row.profile_id)
        )

    @strawberry.mutation(
        description="Move some source records out of a profile into one of their own."
    )
    async def split_profile(
        self, info: HubInfo, profile: strawberry.ID, records: list[strawberry.ID], reason: str
    ) -> SplitProfileResult:
        try:
            record_ids = [int(r) for r in records]
        except ValueError:
            return InvalidInput(
                message="records: source record ids are integers",
                code="INVALID_RECORD_ID",
                field="records",
            )
        result = await _decide(
            info,
            reason,
            "identity.split",
            f"profile:{profile}",
            {"records": record_ids},
            lambda s, by, config: split_profile(
                s, str(profile), record_ids, by=by, reason=reason, config=config
            ),
        )
        if isinstance(result, Failures):
            return cast(ProfileFailures, result)
        row = _row(result)
        assert row.other_profile_id is not None
        return SplitSuccess(
            decision=IdentityDecision.from_row(row),
            profile_id=strawberry.ID(row.profile_id),
            split_off_id=strawberry.ID(row.other_profile_id),
        )

    @strawberry.mutation(description="Keep two profiles apart on every later run.")
    async def never_merge(
        self, info: HubInfo, a: strawberry.ID, b: strawberry.ID, reason: str
    ) -> NeverMergeResult:
        result = await _decide(
            info,
            reason,
            "identity.never_merge",
            f"profile:{a}",
            {"other": str(b)},
            lambda s, by, config: never_merge(s, str(a), str(b), by=by, reason=reason),
        )
        if isinstance(result, Failures):
            return cast(ProfileFailures, result)
        return NeverMergeSuccess(decision=IdentityDecision.from_row(_row(result)))

    @strawberry.mutation(description="Undo a merge, split or never-merge.")
    async def undo_decision(
        self, info: HubInfo, decision: strawberry.ID, reason: str
    ) -> UndoDecisionResult:
        if not str(decision).isdigit():
            return NotFound(message=f"no identity decision {decision}", code="DECISION_NOT_FOUND")
        result = await _decide(
            info,
            reason,
            "identity.undo",
            f"identity_decision:{decision}",
            {},
            lambda s, by, config: undo_decision(
                s, int(decision), by=by, reason=reason, config=config
            ),
        )
        if isinstance(result, Failures):
            return result
        return UndoSuccess(decision=IdentityDecision.from_row(_row(result)))

    @strawberry.mutation(description="Answer an open review item.")
    async def decide_review_item(
        self, info: HubInfo, item: strawberry.ID, decision: ReviewAction, reason: str
    ) -> DecideReviewItemResult:
        if not str(item).isdigit():
            return NotFound(message=f"no review item {item}", code="REVIEW_ITEM_NOT_FOUND")
        result = await _decide(
            info,
            reason,
            "identity.review",
            f"review_item:{item}",
            {"answer": decision.value},
            lambda s, by, config: decide_review(
                s, int(item), decision.value, by=by, reason=reason, config=config
            ),
        )
        if isinstance(result, Failures):
            return result
        row = result if isinstance(result, IdentityDecisionRow) else None
        return ReviewDecisionSuccess(
            item_id=item,
            status=DECIDED_STATUS[decision.value],
            decision=None if row is None else IdentityDecision.from_row(row),
        )
