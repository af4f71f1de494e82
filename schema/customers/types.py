"""GraphQL types of a customer profile."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from hub.records import IdentifierKind
from hub.store.models import IdentifierRow, ProfileRow
from hub.store.profiles import LinkedRecord
from schema.admin.audit import CustomerAuditFields

strawberry.enum(IdentifierKind, description="Kinds of identifier a source record can carry.")


@strawberry.type(description="A value of the profile and the source record it was taken from.")
class GoldenField:
    name: str
    value: str
    source_record_id: strawberry.ID
    rule: str = strawberry.field(description="The survivorship rule that chose this value.")
    alternatives: list[str] = strawberry.field(
        description="Other values the profile's records hold for this field."
    )


@strawberry.type(description="An identifier as the source sent it, with its matching key.")
class Identifier:
    kind: IdentifierKind
    value: str
    normalized_value: str | None
    source_record_id: strawberry.ID

    @classmethod
    def from_row(cls, row: IdentifierRow) -> Identifier:
        return cls(
            kind=IdentifierKind(row.kind),
            value=row.raw_value,
            normalized_value=row.normalized_value,
            source_record_id=strawberry.ID(str(row.record_id)),
        )


@strawberry.type(description="Why a source record belongs to this profile.")
class Link:
    rule: str
    evidence: JSON
    decided_by: str
    linked_at: datetime


@strawberry.type(description="A source record kept exactly as the source sent it.")
class SourceRecord:
    id: strawberry.ID
    connector: str = strawberry.field(description="The connector instance it came from.")
    entity: str
    source_id: str
    content_hash: str
    first_seen_at: datetime
    last_seen_at: datetime
    source_updated_at: datetime | None
    payload: JSON
    identifiers: list[Identifier]
    link: Link

    @classmethod
    def from_linked(cls, linked: LinkedRecord) -> SourceRecord:
        record, link = linked.record, linked.link
        return cls(
            id=strawberry.ID(str(record.id)),
            connector=record.connector,
            entity=record.entity,
            source_id=record.source_id,
            content_hash=record.content_hash,
            first_seen_at=record.first_seen_at,
            last_seen_at=record.last_seen_at,
            source_updated_at=record.source_updated_at,
            payload=cast(JSON, record.payload),
            identifiers=[Identifier.from_row(row) for row in record.identifiers],
            link=Link(
                rule=link.rule,
                evidence=cast(JSON, link.evidence),
                decided_by=link.decided_by,
                linked_at=link.linked_at,
            ),
        )


def _golden_value(golden: dict[str, Any], name: str) -> str | None:
    entry = golden.get(name)
    return None if entry is None else str(entry["value"])


@strawberry.type(description="One person: golden fields built from every linked source record.")
class Customer(CustomerAuditFields):
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
    identifiers: list[Identifier]
    source_records: list[SourceRecord]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def build(cls, profile: ProfileRow, records: list[LinkedRecord]) -> Customer:
        golden = profile.golden
        values = {
            name: _golden_value(golden, name)
            for name in (
                "first_name", "last_name", "email", "phone", "street",
                "postcode", "city", "country", "birth_date", "brand",
            )
        }  # fmt: skip
        return cls(
            id=strawberry.ID(profile.id),
            **values,
            golden_fields=[
                GoldenField(
                    name=name,
                    value=str(entry["value"]),
                    source_record_id=strawberry.ID(str(entry["record_id"])),
                    rule=entry["rule"],
                    alternatives=list(entry.get("alternatives", [])),
                )
                for name, entry in golden.items()
            ],
            identifiers=[
                Identifier.from_row(row) for linked in records for row in linked.record.identifiers
            ],
            source_records=[SourceRecord.from_linked(linked) for linked in records],
            created_at=profile.created_at,
            updated_at=profile.updated_at,
        )
