"""A customer's source records, their identifiers and the links that tie them to it."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from hub.records import IdentifierKind
from hub.store.profile_batches import IdentifierFacts, RecordFacts
from schema.access import masked_evidence, personal_identifier, raw_payload, sees_brand
from schema.context import HubInfo
from schema.customers.evidence import MatchEvidence, match_evidence
from schema.loaders import ProfileLoaders

strawberry.enum(IdentifierKind, description="Kinds of identifier a source record can carry.")


@strawberry.type(description="An identifier as the source sent it, with its matching key.")
class Identifier:
    kind: IdentifierKind
    value: str | None = strawberry.field(
        description="Null for e-mails and phones when the key may not read personal data."
    )
    normalized_value: str | None
    source_record_id: strawberry.ID

    @classmethod
    def from_facts(cls, info: HubInfo, facts: IdentifierFacts) -> Identifier:
        kind = IdentifierKind(facts.kind)
        return cls(
            kind=kind,
            value=personal_identifier(info, kind, facts.raw_value),
            normalized_value=personal_identifier(info, kind, facts.normalized_value),
            source_record_id=strawberry.ID(str(facts.record_id)),
        )


@strawberry.type(description="Why a source record belongs to this profile.")
class Link:
    rule: str
    evidence: JSON = strawberry.field(
        description="The stored evidence document; `match` reads it as types."
    )
    match: MatchEvidence
    decided_by: str
    linked_at: datetime


@strawberry.type(description="A source record kept exactly as the source sent it.")
class SourceRecord:
    facts: strawberry.Private[RecordFacts]
    loaders: strawberry.Private[ProfileLoaders]
    id: strawberry.ID
    connector: str = strawberry.field(description="The connector instance it came from.")
    entity: str
    source_id: str
    content_hash: str
    first_seen_at: datetime
    last_seen_at: datetime
    source_updated_at: datetime | None
    link: Link

    @strawberry.field(
        description="The record as received; admins only (it holds every personal field)."
    )
    async def payload(self, info: HubInfo) -> JSON | None:
        if raw_payload(info, True) is None:
            return None  # not read at all for keys that may not see it
        return cast(JSON, await self.loaders.payloads.load(self.facts.id))

    @strawberry.field
    async def identifiers(self, info: HubInfo) -> list[Identifier]:
        of_profile = await self.loaders.identifiers.load(self.facts.profile_id)
        return [
            Identifier.from_facts(info, facts)
            for facts in of_profile
            if facts.record_id == self.facts.id
        ]

    @classmethod
    def from_facts(cls, info: HubInfo, facts: RecordFacts, loaders: ProfileLoaders) -> SourceRecord:
        return cls(
            facts=facts,
            loaders=loaders,
            id=strawberry.ID(str(facts.id)),
            connector=facts.connector,
            entity=facts.entity,
            source_id=facts.source_id,
            content_hash=facts.content_hash,
            first_seen_at=facts.first_seen_at,
            last_seen_at=facts.last_seen_at,
            source_updated_at=facts.source_updated_at,
            link=Link(
                rule=facts.rule,
                evidence=cast(JSON, masked_evidence(info, facts.evidence)),
                match=match_evidence(info, facts.id, facts.rule, facts.decided_by, facts.evidence),
                decided_by=facts.decided_by,
                linked_at=facts.linked_at,
            ),
        )


async def visible_records(
    info: HubInfo, loaders: ProfileLoaders, profile_id: str
) -> list[RecordFacts]:
    """The profile's records of brands in the viewer's scope: every field of a customer reads
    its records (and what hangs off them) through here, so none shows another brand's."""
    records = await loaders.records.load(profile_id)
    return [record for record in records if sees_brand(info, record.brand)]


async def visible_record_ids(info: HubInfo, loaders: ProfileLoaders, profile_id: str) -> set[int]:
    return {record.id for record in await visible_records(info, loaders, profile_id)}
