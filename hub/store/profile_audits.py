"""The audit entries of a page of profiles, read in three statements whatever its size.

A profile's audit trail is more than the entries filed under it: answers to review items about
its records are filed under the item, and undos under the decision they undo. Each statement
reads one of these kinds with the profiles its entry names (``owner``, ``other``), so that
:func:`~hub.store.profile_batches.rows_naming` files each entry under every asked profile it
concerns; profiles merged away count for the profile they were merged into.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import aliased

from hub.store.models import AuditEventRow, IdentityDecisionRow, LinkRow, ProfileRow, ReviewItemRow
from hub.store.profile_batches import IDS, Reader, rows_naming


@dataclass(frozen=True, slots=True)
class AuditFacts:
    """An audit entry, with the two profiles it concerns (either may be ``None``)."""

    id: int
    occurred_at: datetime
    actor: str
    action: str
    subject_kind: str
    subject_id: str
    reason: str
    details: dict[str, Any]
    owner: str | None
    other: str | None


_ENTRY = (
    AuditEventRow.id,
    AuditEventRow.occurred_at,
    AuditEventRow.actor,
    AuditEventRow.action,
    AuditEventRow.subject_kind,
    AuditEventRow.subject_id,
    AuditEventRow.reason,
    AuditEventRow.details,
)
_MERGED_INTO_IDS = select(ProfileRow.id).where(ProfileRow.merged_into.in_(IDS))

_ABOUT_PROFILES = (
    select(*_ENTRY, AuditEventRow.subject_id, ProfileRow.merged_into)
    .outerjoin(ProfileRow, ProfileRow.id == AuditEventRow.subject_id)
    .where(
        AuditEventRow.subject_kind == "profile",
        or_(AuditEventRow.subject_id.in_(IDS), AuditEventRow.subject_id.in_(_MERGED_INTO_IDS)),
    )
)
_left, _right = aliased(LinkRow), aliased(LinkRow)
_ABOUT_REVIEW_ITEMS = (
    select(*_ENTRY, _left.profile_id, _right.profile_id)
    .join(ReviewItemRow, cast(ReviewItemRow.id, String) == AuditEventRow.subject_id)
    .outerjoin(_left, _left.record_id == ReviewItemRow.left_record_id)
    .outerjoin(_right, _right.record_id == ReviewItemRow.right_record_id)
    .where(
        AuditEventRow.subject_kind == "review_item",
        or_(_left.profile_id.in_(IDS), _right.profile_id.in_(IDS)),
    )
)
_owner, _other = aliased(ProfileRow), aliased(ProfileRow)
# A decision naming a profile merged away since concerns the profile it was merged into.
_ABOUT_DECISIONS = (
    select(
        *_ENTRY,
        func.coalesce(_owner.merged_into, IdentityDecisionRow.profile_id),
        func.coalesce(_other.merged_into, IdentityDecisionRow.other_profile_id),
    )
    .join(IdentityDecisionRow, cast(IdentityDecisionRow.id, String) == AuditEventRow.subject_id)
    .outerjoin(_owner, _owner.id == IdentityDecisionRow.profile_id)
    .outerjoin(_other, _other.id == IdentityDecisionRow.other_profile_id)
    .where(
        AuditEventRow.subject_kind == "identity_decision",
        or_(
            IdentityDecisionRow.profile_id.in_(IDS),
            IdentityDecisionRow.other_profile_id.in_(IDS),
            IdentityDecisionRow.profile_id.in_(_MERGED_INTO_IDS),
            IdentityDecisionRow.other_profile_id.in_(_MERGED_INTO_IDS),
        ),
    )
)


def _concerned(entry: AuditFacts) -> set[str | None]:
    return {entry.owner, entry.other}


async def audits_of(session: Reader, profile_ids: Iterable[str]) -> dict[str, list[AuditFacts]]:
    """Each profile's audit entries (its own, its merged-away profiles', its review items' and
    its decisions'), newest first."""
    asked = list(profile_ids)
    found: dict[str, dict[int, AuditFacts]] = {}
    for statement in (_ABOUT_PROFILES, _ABOUT_REVIEW_ITEMS, _ABOUT_DECISIONS):
        rows = await rows_naming(
            session,
            statement,
            asked,
            AuditFacts,
            _concerned,
            "reading the audit entries of profiles",
        )
        for profile_id, entries in rows.items():
            found.setdefault(profile_id, {}).update((entry.id, entry) for entry in entries)
    return {
        profile_id: sorted(entries.values(), key=lambda entry: entry.id, reverse=True)
        for profile_id, entries in found.items()
    }
