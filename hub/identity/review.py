"""The review queue: grey-zone pairs the engine will not decide alone, and agents' answers.

A run files each grey-zone pair once (``open``); an agent answers ``merge`` (the two profiles
become one), ``keep_apart`` (no merge now; the pair leaves the queue) or ``never_merge`` (a
constraint every later run honours). A pair that a later run links or separates by itself leaves
the queue as ``resolved``; a pair an agent answered is never filed again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.identity.config import ResolutionConfig
from hub.identity.decisions import DecisionError, merge_profiles, never_merge
from hub.identity.model import PairEvidence
from hub.store.models import IdentityDecisionRow, LinkRow, ReviewItemRow

OPEN = "open"
ACTIONS = ("merge", "keep_apart", "never_merge")
DECIDED_STATUS = {"merge": "merged", "keep_apart": "kept_apart", "never_merge": "never_merge"}


def evidence_document(evidence: PairEvidence) -> dict[str, Any]:
    """A pair's evidence as stored JSON (links and review items keep the same shape)."""
    document = asdict(evidence)
    document["outcome"] = evidence.outcome.value
    return document


async def file_review_items(session: AsyncSession, pairs: Iterable[PairEvidence]) -> int:
    """Queue grey-zone pairs not filed before; refresh the evidence of open ones. Returns how
    many were newly filed."""
    wanted = {(min(p.left, p.right), max(p.left, p.right)): p for p in pairs}
    if not wanted:
        return 0
    existing: dict[tuple[int, int], ReviewItemRow] = {}
    lefts = sorted({left for left, _ in wanted})
    for start in range(0, len(lefts), 1000):
        rows = await session.scalars(
            select(ReviewItemRow).where(
                ReviewItemRow.left_record_id.in_(lefts[start : start + 1000])
            )
        )
        existing.update({(r.left_record_id, r.right_record_id): r for r in rows})
    now = datetime.now(UTC)
    filed = 0
    for (left, right), pair in sorted(wanted.items()):
        item = existing.get((left, right))
        if item is None:
            session.add(
                ReviewItemRow(
                    left_record_id=left,
                    right_record_id=right,
                    score=pair.score,
                    rule=pair.rule,
                    evidence=evidence_document(pair),
                    status=OPEN,
                    created_at=now,
                )
            )
            filed += 1
        elif item.status == OPEN:
            item.score, item.rule, item.evidence = pair.score, pair.rule, evidence_document(pair)
    await session.flush()
    return filed


async def close_settled_items(session: AsyncSession, profile_of: Mapping[int, str]) -> int:
    """Mark open items ``resolved`` when their two records now share a profile."""
    ids = sorted(profile_of)
    settled: list[int] = []
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        rows = await session.execute(
            select(ReviewItemRow.id, ReviewItemRow.left_record_id, ReviewItemRow.right_record_id)
            .where(ReviewItemRow.status == OPEN)
            .where(ReviewItemRow.left_record_id.in_(chunk))
        )
        settled.extend(
            item for item, left, right in rows if profile_of.get(left) == profile_of.get(right)
        )
    if settled:
        await session.execute(
            update(ReviewItemRow).where(ReviewItemRow.id.in_(settled)).values(status="resolved")
        )
    return len(settled)


async def decide_review(
    session: AsyncSession,
    review_id: int,
    action: str,
    *,
    by: str,
    reason: str,
    config: ResolutionConfig,
) -> IdentityDecisionRow | None:
    """Answer an open review item; ``merge`` and ``never_merge`` return their decision."""
    if action not in ACTIONS:
        raise DecisionError(
            "UNKNOWN_ACTION", f"unknown review action {action!r}; expected {', '.join(ACTIONS)}"
        )
    item = await session.get(ReviewItemRow, review_id)
    if item is None:
        raise DecisionError("REVIEW_ITEM_NOT_FOUND", f"no review item {review_id}")
    if item.status != OPEN:
        raise DecisionError("ALREADY_DECIDED", f"review item {review_id} is already {item.status}")
    if not reason.strip():
        raise DecisionError("REASON_REQUIRED", "say why: every identity decision keeps a reason")
    left = await session.get(LinkRow, item.left_record_id)
    right = await session.get(LinkRow, item.right_record_id)
    if left is None or right is None:
        raise DecisionError(
            "RECORD_NOT_RESOLVED", f"the records of review item {review_id} have no profile yet"
        )
    decision: IdentityDecisionRow | None = None
    if action == "merge":
        decision = await merge_profiles(
            session, left.profile_id, right.profile_id, by=by, reason=reason, config=config
        )
    elif action == "never_merge":
        decision = await never_merge(
            session, left.profile_id, right.profile_id, by=by, reason=reason
        )
    item.status = DECIDED_STATUS[action]
    item.decided_at = datetime.now(UTC)
    item.decided_by = by
    item.reason = reason.strip()
    return decision
