"""The GraphQL type of a customer profile.

Golden fields come with the profile row; everything else (identifiers, records, activities,
findings, history) is resolved on demand through the request's loaders, so a page of
customers costs a few statements per kind of row asked, whatever its size. Every such field
reads the profile's records through :func:`schema.customers.records.visible_records`, or
filters by the same brand rule: a brand-scoped key sees nothing of another brand's records.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import strawberry

from hub.records import ActivityKind
from hub.store.profile_batches import ActivityFacts, ProfileFacts
from schema.access import personal_field, sees_brand
from schema.activities.consents import current_consents
from schema.activities.summary import CustomerSummary, summary
from schema.activities.timeline import (
    ActivityConnection,
    TimelineConnection,
    activity_page,
    dated_activities,
    dated_decisions,
    timeline_page,
)
from schema.activities.types import (
    Consent,
    Order,
    PartnerProduct,
    ProductSubscription,
    Receipt,
    activity,
)
from schema.admin.audit import CustomerAuditFields
from schema.context import HubInfo
from schema.customers.findings import DataQualityFinding
from schema.customers.records import (
    Identifier,
    SourceRecord,
    visible_record_ids,
    visible_records,
)
from schema.limits import page_size
from schema.loaders import ProfileLoaders

GOLDEN_COLUMNS = (
    "first_name", "last_name", "email", "phone", "street",
    "postcode", "city", "country", "birth_date", "brand",
)  # fmt: skip
DEFAULT_HISTORY_PAGE = 20


@strawberry.type(description="A value of the profile and the source record it was taken from.")
class GoldenField:
    name: str
    value: str | None = strawberry.field(
        description="Null when the field is personal and the key may not read personal data."
    )
    source_record_id: strawberry.ID
    rule: str = strawberry.field(description="The survivorship rule that chose this value.")
    alternatives: list[str] = strawberry.field(
        description="Other values the profile's records hold for this field."
    )


def _golden_value(golden: dict[str, Any], name: str) -> str | None:
    entry = golden.get(name)
    return None if entry is None else str(entry["value"])


@strawberry.type(description="One person: golden fields built from every linked source record.")
class Customer(CustomerAuditFields):
    loaders: strawberry.Private[ProfileLoaders]
    id: strawberry.ID
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    street: str | None
    postcode: str | None
    city: str | None
    country: str | None
    birth_date: str | None
    brand: str | None
    golden_fields: list[GoldenField]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def build(cls, info: HubInfo, profile: ProfileFacts, loaders: ProfileLoaders) -> Customer:
        """The profile as ``info``'s viewer may see it, personal fields masked without the
        permission. Whether the viewer may see the profile at all is the caller's question
        (:func:`schema.customers.queries.customer_view`)."""
        golden = profile.golden
        values = {name: personal_field(info, name, _golden_value(golden, name))
                  for name in GOLDEN_COLUMNS}  # fmt: skip
        return cls(
            loaders=loaders,
            id=strawberry.ID(profile.id),
            **values,
            golden_fields=[
                GoldenField(
                    name=name,
                    value=personal_field(info, name, str(entry["value"])),
                    source_record_id=strawberry.ID(str(entry["record_id"])),
                    rule=entry["rule"],
                    alternatives=personal_field(info, name, list(entry.get("alternatives", [])))
                    or [],
                )
                for name, entry in golden.items()
            ],
            created_at=profile.created_at,
            updated_at=profile.updated_at,
        )

    @strawberry.field(description="Identifiers of the records the key may see.")
    async def identifiers(self, info: HubInfo) -> list[Identifier]:
        visible, rows = await asyncio.gather(
            visible_record_ids(info, self.loaders, str(self.id)),
            self.loaders.identifiers.load(str(self.id)),
        )
        return [Identifier.from_facts(info, row) for row in rows if row.record_id in visible]

    @strawberry.field(description="Linked source records of the brands the key may see.")
    async def source_records(self, info: HubInfo) -> list[SourceRecord]:
        records = await visible_records(info, self.loaders, str(self.id))
        return [SourceRecord.from_facts(info, record, self.loaders) for record in records]

    @strawberry.field(description="Data-quality findings of those records.")
    async def findings(self, info: HubInfo) -> list[DataQualityFinding]:
        visible, rows = await asyncio.gather(
            visible_record_ids(info, self.loaders, str(self.id)),
            self.loaders.findings.load(str(self.id)),
        )
        return [
            DataQualityFinding.from_facts(info, row) for row in rows if row.record_id in visible
        ]

    async def _activities(self, info: HubInfo) -> list[ActivityFacts]:
        """The profile's activities, newest first, of records of brands in scope."""
        rows = await self.loaders.activities.load(str(self.id))
        return [row for row in rows if sees_brand(info, row.brand)]

    async def _of_kind(self, info: HubInfo, kind: ActivityKind) -> list[Any]:
        rows = [row for row in await self._activities(info) if row.kind == kind.value]
        return [typed for row in rows if (typed := activity(row, self.loaders)) is not None]

    @strawberry.field(description="Activities of every kind (or of `kinds`), newest first.")
    async def activities(
        self,
        info: HubInfo,
        kinds: list[ActivityKind] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> ActivityConnection:
        size = page_size(info, first, DEFAULT_HISTORY_PAGE)
        wanted = None if kinds is None else {kind.value for kind in kinds}
        rows = [r for r in await self._activities(info) if wanted is None or r.kind in wanted]
        return activity_page(dated_activities(rows, self.loaders), size, after)

    @strawberry.field(
        description=(
            "When the newest activity the key may see happened; null when none has a time. "
            "Cheap on lists: one grouped statement per page of customers."
        )
    )
    async def last_activity_at(self, info: HubInfo) -> datetime | None:
        newest = await self.loaders.last_activities.load(str(self.id))
        return max((row.at for row in newest if sees_brand(info, row.brand)), default=None)

    @strawberry.field(description="Orders, newest first.")
    async def orders(self, info: HubInfo) -> list[Order]:
        return await self._of_kind(info, ActivityKind.ORDER)

    @strawberry.field(description="Till receipts, newest first.")
    async def receipts(self, info: HubInfo) -> list[Receipt]:
        return await self._of_kind(info, ActivityKind.RECEIPT)

    @strawberry.field(description="Subscriptions (e-signature requests), newest first.")
    async def subscriptions(self, info: HubInfo) -> list[ProductSubscription]:
        return await self._of_kind(info, ActivityKind.SUBSCRIPTION)

    @strawberry.field(description="Products held with partners, newest first.")
    async def partner_products(self, info: HubInfo) -> list[PartnerProduct]:
        return await self._of_kind(info, ActivityKind.PARTNER_PRODUCT)

    @strawberry.field(
        description=(
            "The current consent per channel and purpose (its newest word); the history of "
            "consents is in `activities(kinds: [CONSENT])`."
        )
    )
    async def consents(self, info: HubInfo) -> list[Consent]:
        rows = current_consents(await self._activities(info))
        return [typed for row in rows if isinstance(typed := activity(row, self.loaders), Consent)]

    @strawberry.field(
        description=(
            "Activities and the identity decisions naming this profile (merges, splits, "
            "never-merge, undo), newest first."
        )
    )
    async def timeline(
        self, info: HubInfo, first: int | None = None, after: str | None = None
    ) -> TimelineConnection:
        size = page_size(info, first, DEFAULT_HISTORY_PAGE)
        rows, decisions = await asyncio.gather(
            self._activities(info), self.loaders.decisions.load(str(self.id))
        )
        items = dated_activities(rows, self.loaders) + dated_decisions(decisions)
        return timeline_page(items, size, after)

    @strawberry.field(description="Key figures over the activities the key may see.")
    async def summary(self, info: HubInfo) -> CustomerSummary:
        return summary(await self._activities(info))
