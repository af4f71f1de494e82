"""Agents' identity decisions: merge, split, never merge, and undo any of them.

Each decision is one ``identity_decision`` row (who, when, why, and a snapshot of the involved
profiles' records before the change) plus the record constraints that make later automatic runs
honour it: a merge adds a ``must`` pair, a split and a never-merge add ``cannot`` pairs between
the two sides. Undoing a decision removes its constraints and restores its snapshot, so a split
gives back exactly the profiles that existed before the merge — the same ids, the same records —
rather than a guess. The caller owns the transaction; nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.errors import HubError
from hub.identity.config import ResolutionConfig
from hub.identity.golden import refresh_golden
from hub.store.models import IdentityDecisionRow, LinkRow, ProfileRow, RecordConstraintRow
from hub.store.profiles import get_profile

MUST = "must"
CANNOT = "cannot"
MAX_SIDE = 50
"""Records per side given ``cannot`` pairs: enough for any real profile, bounded for junk."""


class DecisionError(HubError):
    """A decision that cannot be made as asked; ``code`` is stable for API clients."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


async def _live(session: AsyncSession, profile_id: str) -> ProfileRow:
    profile = await get_profile(session, profile_id)
    if profile is None:
        raise DecisionError("PROFILE_NOT_FOUND", f"no profile {profile_id}")
    return profile


async def _records_of(session: AsyncSession, profile_id: str) -> list[int]:
    rows = await session.scalars(
        select(LinkRow.record_id)
        .where(LinkRow.profile_id == profile_id)
        .order_by(LinkRow.record_id)
    )
    return list(rows)


def _check_reason(reason: str) -> str:
    if not reason.strip():
        raise DecisionError("REASON_REQUIRED", "say why: every identity decision keeps a reason")
    return reason.strip()


def _pairs(left: Iterable[int], right: Iterable[int]) -> set[tuple[int, int]]:
    lefts, rights = sorted(left)[:MAX_SIDE], sorted(right)[:MAX_SIDE]
    return {(min(a, b), max(a, b)) for a in lefts for b in rights if a != b}


async def _record_decision(
    session: AsyncSession,
    kind: str,
    profile_id: str,
    other_id: str | None,
    by: str,
    reason: str,
    snapshot: dict[str, Any],
    undoes: int | None = None,
) -> IdentityDecisionRow:
    decision = IdentityDecisionRow(
        kind=kind,
        profile_id=profile_id,
        other_profile_id=other_id,
        decided_by=by,
        reason=_check_reason(reason),
        decided_at=datetime.now(UTC),
        snapshot=snapshot,
        undoes_id=undoes,
    )
    session.add(decision)
    await session.flush()
    return decision


async def _constrain(
    session: AsyncSession, decision: IdentityDecisionRow, kind: str, pairs: set[tuple[int, int]]
) -> None:
    if not pairs:
        return
    existing = await session.execute(
        select(RecordConstraintRow.left_record_id, RecordConstraintRow.right_record_id).where(
            RecordConstraintRow.kind == kind,
            RecordConstraintRow.left_record_id.in_({a for a, _ in pairs}),
        )
    )
    session.add_all(
        RecordConstraintRow(left_record_id=a, right_record_id=b, kind=kind, decision_id=decision.id)
        for a, b in sorted(pairs - {(a, b) for a, b in existing})
    )
    await session.flush()


async def _move(
    session: AsyncSession, records: Sequence[int], profile_id: str, by: str, decision_id: int
) -> None:
    links = await session.scalars(select(LinkRow).where(LinkRow.record_id.in_(records)))
    now = datetime.now(UTC)
    for link in links:
        link.profile_id = profile_id
        link.rule = "manual"
        link.decided_by = by
        link.evidence = {"decision": decision_id}
        link.linked_at = now
    await session.flush()


async def _forbidden(
    session: AsyncSession, left: Sequence[int], right: Sequence[int]
) -> int | None:
    """The decision whose ``cannot`` pair joins the two sides, if any."""
    pairs = _pairs(left, right)
    if not pairs:
        return None
    rows = await session.execute(
        select(
            RecordConstraintRow.left_record_id,
            RecordConstraintRow.right_record_id,
            RecordConstraintRow.decision_id,
        ).where(
            RecordConstraintRow.kind == CANNOT,
            RecordConstraintRow.left_record_id.in_({a for a, _ in pairs}),
        )
    )
    return next((decision for a, b, decision in rows if (a, b) in pairs), None)


async def merge_profiles(
    session: AsyncSession,
    profile_id: str,
    other_id: str,
    *,
    by: str,
    reason: str,
    config: ResolutionConfig,
) -> IdentityDecisionRow:
    """Merge ``other_id`` into ``profile_id`` (both resolved to their live profiles)."""
    survivor, other = await _live(session, profile_id), await _live(session, other_id)
    if survivor.id == other.id:
        raise DecisionError("SAME_PROFILE", f"{profile_id} and {other_id} are already one profile")
    kept, joining = await _records_of(session, survivor.id), await _records_of(session, other.id)
    blocking = await _forbidden(session, kept, joining)
    if blocking is not None:
        raise DecisionError(
            "NEVER_MERGE",
            f"decision {blocking} keeps these profiles apart; undo it before merging",
        )
    snapshot = {"profiles": {survivor.id: kept, other.id: joining}}
    decision = await _record_decision(session, "merge", survivor.id, other.id, by, reason, snapshot)
    # One pair is enough: the engine keeps whole clusters together through it.
    await _constrain(session, decision, MUST, _pairs(kept[:1], joining[:1]))
    await _move(session, joining, survivor.id, by, decision.id)
    other.merged_into = survivor.id
    await refresh_golden(session, [survivor.id, other.id], config)
    return decision


async def split_profile(
    session: AsyncSession,
    profile_id: str,
    records: Sequence[int],
    *,
    by: str,
    reason: str,
    config: ResolutionConfig,
    undoes: int | None = None,
    revive: str | None = None,
) -> IdentityDecisionRow:
    """Move ``records`` out of the profile into their own profile, kept apart from the rest.

    ``revive`` names a merged-away profile to give the records back to (an undone merge);
    otherwise a merged-away profile whose merge brought exactly these records is revived, and
    failing that a new profile is made.
    """
    profile = await _live(session, profile_id)
    current = await _records_of(session, profile.id)
    detached = sorted(set(records))
    strangers = sorted(set(detached) - set(current))
    if strangers:
        raise DecisionError(
            "RECORD_NOT_IN_PROFILE", f"record {strangers[0]} is not in profile {profile.id}"
        )
    remaining = sorted(set(current) - set(detached))
    if not detached or not remaining:
        raise DecisionError(
            "EMPTY_SPLIT", "a split moves some of the profile's records, not none or all"
        )
    target_id = revive or await _merged_away_with(session, profile.id, detached)
    snapshot = {"profiles": {profile.id: current}}
    decision = await _record_decision(
        session, "split", profile.id, None, by, reason, snapshot, undoes
    )
    if target_id is None:
        now = datetime.now(UTC)
        target = ProfileRow(id=str(uuid.uuid4()), golden={}, created_at=now, updated_at=now)
        session.add(target)
        await session.flush()
    else:
        target = await session.get_one(ProfileRow, target_id)
        target.merged_into = None
    decision.other_profile_id = target.id
    await _constrain(session, decision, CANNOT, _pairs(detached, remaining))
    await _move(session, detached, target.id, by, decision.id)
    await refresh_golden(session, [profile.id, target.id], config)
    return decision


async def _merged_away_with(
    session: AsyncSession, profile_id: str, records: Sequence[int]
) -> str | None:
    """The profile merged into ``profile_id`` whose own records were exactly ``records``."""
    merges = await session.scalars(
        select(IdentityDecisionRow)
        .where(IdentityDecisionRow.kind == "merge", IdentityDecisionRow.profile_id == profile_id)
        .where(IdentityDecisionRow.undone_at.is_(None))
        .order_by(IdentityDecisionRow.id.desc())
    )
    for merge in merges:
        other = merge.other_profile_id
        if other and sorted(merge.snapshot["profiles"].get(other, [])) == list(records):
            return other
    return None


async def never_merge(
    session: AsyncSession, profile_id: str, other_id: str, *, by: str, reason: str
) -> IdentityDecisionRow:
    """Keep two profiles apart on every later run."""
    left, right = await _live(session, profile_id), await _live(session, other_id)
    if left.id == right.id:
        raise DecisionError(
            "SAME_PROFILE", f"{profile_id} and {other_id} are one profile: split it instead"
        )
    lefts, rights = await _records_of(session, left.id), await _records_of(session, right.id)
    snapshot = {"profiles": {left.id: lefts, right.id: rights}}
    decision = await _record_decision(
        session, "never_merge", left.id, right.id, by, reason, snapshot
    )
    await _constrain(session, decision, CANNOT, _pairs(lefts, rights))
    return decision


async def undo_decision(
    session: AsyncSession, decision_id: int, *, by: str, reason: str, config: ResolutionConfig
) -> IdentityDecisionRow:
    """Undo a merge (split it back as it was), a split (merge it back) or a never-merge."""
    decision = await session.get(IdentityDecisionRow, decision_id)
    if decision is None:
        raise DecisionError("DECISION_NOT_FOUND", f"no identity decision {decision_id}")
    if decision.undone_at is not None or decision.kind == "undo":
        raise DecisionError("NOTHING_TO_UNDO", f"decision {decision_id} cannot be undone (again)")
    await session.execute(
        delete(RecordConstraintRow).where(RecordConstraintRow.decision_id == decision.id)
    )
    decision.undone_at = datetime.now(UTC)
    other = decision.other_profile_id
    if decision.kind == "merge" and other is not None:
        survivor = await _live(session, decision.profile_id)
        current = set(await _records_of(session, survivor.id))
        back = sorted(current & set(decision.snapshot["profiles"].get(other, [])))
        if not back:
            raise DecisionError(
                "NOTHING_TO_UNDO", f"the records merged by decision {decision_id} have moved since"
            )
        return await split_profile(
            session,
            survivor.id,
            back,
            by=by,
            reason=reason,
            config=config,
            undoes=decision.id,
            revive=other,
        )
    if decision.kind == "split" and other is not None:
        snapshot = {
            "profiles": {
                decision.profile_id: decision.snapshot["profiles"].get(decision.profile_id, [])
            }
        }
        undo = await _record_decision(
            session, "undo", decision.profile_id, other, by, reason, snapshot, decision.id
        )
        target, split_off = await _live(session, decision.profile_id), await _live(session, other)
        if target.id != split_off.id:
            await _move(session, await _records_of(session, split_off.id), target.id, by, undo.id)
            split_off.merged_into = target.id
            await refresh_golden(session, [target.id, split_off.id], config)
        return undo
    return await _record_decision(
        session, "undo", decision.profile_id, other, by, reason, {"profiles": {}}, decision.id
    )
