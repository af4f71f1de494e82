"""GraphQL types of a customer profile."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from hub.records import IdentifierKind
from hub.store.models import IdentifierRow, ProfileRow
from hub.store.profiles import LinkedRecord
from schema.access import (
    masked_evidence,
    personal_field,
    personal_identifier,
    raw_payload,
    sees_brand,
)
from schema.admin.audit import CustomerAuditFields
from schema.context import HubInfo

strawberry.enum(IdentifierKind, description="Kinds of identifier a source record can carry.")


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


@strawberry.type(description="An identifier as the source sent it, with its matching key.")
class Identifier:
    kind: IdentifierKind
    value: str | None = strawberry.field(
        description="Null for e-mails and phones when the key may not read personal data."
    )
    normalized_value: str | None
    source_record_id: strawberry.ID

    @classmethod
    def from_row(cls, info: HubInfo, row: IdentifierRow) -> Identifier:
        kind = IdentifierKind(row.kind)
        return cls(
            kind=kind,
            value=personal_identifier(info, kind, row.raw_value),
            normalized_value=personal_identifier(info, kind, row.normalized_value),
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
    payload: JSON | None = strawberry.field(
        description="The record as received; admins only (it holds every personal field)."
    )
    identifiers: list[Identifier]
    link: Link

    @classmethod
    def from_linked(cls, info: HubInfo, linked: LinkedRecord) -> SourceRecord:
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
            payload=cast(JSON, raw_payload(info, record.payload)),
            identifiers=[Identifier.from_row(info, row) for row in record.identifiers],
            link=Link(
                rule=link.rule,
                evidence=cast(JSON, masked_evidence(info, link.evidence)),
                decided_by=link.decided_by,
                linked_at=link.linked_at,
            ),
        )


def record_brand(linked: LinkedRecord) -> str | None:
    brand = linked.record.person.get("brand")
    return None if brand is None else str(brand)


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
    def build(cls, info: HubInfo, profile: ProfileRow, records: list[LinkedRecord]) -> Customer:
        """The profile as ``info``'s viewer may see it: personal fields masked without the
        permission, source records of brands outside the viewer's scope left out."""
        golden = profile.golden
        records = [linked for linked in records if sees_brand(info, record_brand(linked))]
        values = {
            name: personal_field(info, name, _golden_value(golden, name))
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
                    value=personal_field(info, name, str(entry["value"])),
                    source_record_id=strawberry.ID(str(entry["record_id"])),
                    rule=entry["rule"],
                    alternatives=personal_field(info, name, list(entry.get("alternatives", [])))
                    or [],
                )
                for name, entry in golden.items()
            ],
            identifiers=[
                Identifier.from_row(info, row)
                for linked in records
                for row in linked.record.identifiers
            ],
            source_records=[SourceRecord.from_linked(info, linked) for linked in records],
            created_at=profile.created_at,
            updated_at=profile.updated_at,
        )
