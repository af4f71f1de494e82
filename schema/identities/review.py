"""The review queue as GraphQL: grey-zone pairs, each side's record and profile, the evidence.

For viewers who may decide identities (agents, admins): decideReviewItem answers an item. Each
side is shown as the viewer may see it: personal values masked without READ_PERSONAL_DATA, the
raw payload for admins only, and a side whose record is of a brand outside the viewer's scope
left out (record and customer null) with every compared value of the evidence blanked, since
the evidence quotes both records.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from hub.access import Permission
from hub.store.admin_pages import review_page
from hub.store.models import ReviewItemRow
from hub.store.profile_batches import RecordFacts, records_by_id
from schema.access import masked_evidence, require, sees_brand
from schema.context import HubInfo
from schema.customers.queries import customer_view
from schema.customers.records import SourceRecord
from schema.customers.types import Customer
from schema.pagination import Connection, connection, page_request


@strawberry.enum(description="Where a review item is.")
class ReviewStatus(Enum):
    OPEN = "open"
    MERGED = "merged"
    KEPT_APART = "kept_apart"
    NEVER_MERGE = "never_merge"
    RESOLVED = "resolved"
    """A later run linked or separated the pair by itself."""


@strawberry.type(description="How one field of the pair compared, and what it weighed.")
class EvidenceField:
    field: str
    level: str = strawberry.field(description="The similarity level, e.g. exact, fuzzy, differ.")
    weight: float = strawberry.field(description="Match weight in bits this field brought.")
    left: str | None = strawberry.field(description="Null when the viewer may not see it.")
    right: str | None = strawberry.field(description="Null when the viewer may not see it.")


@strawberry.type(description="One record of a review pair and the profile it is in.")
class ReviewSide:
    record: SourceRecord | None = strawberry.field(
        description="Null when the record is of a brand outside the key's scope (or is gone)."
    )
    customer: Customer | None


@strawberry.type(description="A pair of records the engine would not link or keep apart alone.")
class ReviewItem:
    id: strawberry.ID
    score: float = strawberry.field(description="Match weight in bits of the pair.")
    rule: str
    status: ReviewStatus
    evidence: JSON = strawberry.field(description="The engine's evidence as stored, masked.")
    fields: list[EvidenceField] = strawberry.field(description="The evidence field by field.")
    left: ReviewSide
    right: ReviewSide
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    reason: str | None


def _evidence(info: HubInfo, evidence: dict[str, Any], side_hidden: bool) -> dict[str, Any]:
    shown = masked_evidence(info, evidence)
    if side_hidden and shown.get("fields"):
        blank = [{**entry, "left": None, "right": None} for entry in shown["fields"]]
        shown = {**shown, "fields": blank}
    return shown


def _fields(evidence: dict[str, Any]) -> list[EvidenceField]:
    return [
        EvidenceField(
            field=str(entry.get("field")),
            level=str(entry.get("level")),
            weight=float(entry.get("weight") or 0.0),
            left=None if entry.get("left") is None else str(entry["left"]),
            right=None if entry.get("right") is None else str(entry["right"]),
        )
        for entry in evidence.get("fields") or ()
    ]


class _PageViews:
    """The sides of one page of items; the page's records come in one read, and their
    profiles through the request's loaders, so each is read once however many items it is in."""

    def __init__(self, info: HubInfo, records: dict[int, RecordFacts]) -> None:
        self.info, self.records = info, records

    def visible(self, record_id: int) -> RecordFacts | None:
        facts = self.records.get(record_id)
        if facts is None or not sees_brand(self.info, facts.brand):
            return None
        return facts

    async def side(self, record_id: int) -> ReviewSide:
        facts = self.visible(record_id)
        if facts is None:
            return ReviewSide(record=None, customer=None)
        loaders = self.info.context.loaders
        profile = await loaders.profiles.load(facts.profile_id)
        return ReviewSide(
            record=SourceRecord.from_facts(self.info, facts, loaders),
            customer=await customer_view(self.info, profile),
        )

    async def item(self, row: ReviewItemRow) -> ReviewItem:
        hidden = any(self.visible(r) is None for r in (row.left_record_id, row.right_record_id))
        evidence = _evidence(self.info, row.evidence, hidden)
        left, right = await asyncio.gather(
            self.side(row.left_record_id), self.side(row.right_record_id)
        )
        return ReviewItem(
            id=strawberry.ID(str(row.id)),
            score=row.score,
            rule=row.rule,
            status=ReviewStatus(row.status),
            evidence=cast(JSON, evidence),
            fields=_fields(evidence),
            left=left,
            right=right,
            created_at=row.created_at,
            decided_at=row.decided_at,
            decided_by=row.decided_by,
            reason=row.reason,
        )


@strawberry.type
class ReviewQueries:
    @strawberry.field(
        description=(
            "Grey-zone pairs, newest first; open ones unless another status is asked "
            "(agents and admins). Answer one with decideReviewItem."
        )
    )
    async def review_queue(
        self,
        info: HubInfo,
        status: ReviewStatus | None = ReviewStatus.OPEN,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ReviewItem]:
        require(info, Permission.DECIDE_IDENTITY)
        size, before = page_request(info, "reviewQueue", first, after)
        async with info.context.sessions() as session:
            page = await review_page(
                session, size, before, None if status is None else status.value
            )
            ids = {r for row in page.rows for r in (row.left_record_id, row.right_record_id)}
            records = await records_by_id(session, ids)
        views = _PageViews(info, records)
        built = await asyncio.gather(*(views.item(row) for row in page.rows))
        items = [(row.id, item) for row, item in zip(page.rows, built, strict=True)]
        return connection("reviewQueue", items, page.has_next)

    @strawberry.field(
        description="One review item, whatever its status (agents and admins); null when unknown."
    )
    async def review_item(self, info: HubInfo, id: strawberry.ID) -> ReviewItem | None:
        require(info, Permission.DECIDE_IDENTITY)
        if not str(id).isdigit():
            return None
        async with info.context.sessions() as session:
            row = await session.get(ReviewItemRow, int(id))
            if row is None:
                return None
            records = await records_by_id(session, {row.left_record_id, row.right_record_id})
        return await _PageViews(info, records).item(row)
