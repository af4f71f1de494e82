"""Data-quality findings of a customer's records: values identity resolution could not use."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.store.profile_batches import FindingFacts
from schema.access import personal_field
from schema.context import HubInfo

PERSON_FIELD_OF = {"emails": "email", "phones": "phone"}
"""Findings on a record's lists of identifiers name the list (:mod:`hub.identity.normalise`);
the masking rule is the person field's."""


@strawberry.type(description="A value of a source record that is invalid, a placeholder, shared "
                 "by too many people, or suspicious; kept, but not used to match.")  # fmt: skip
class DataQualityFinding:
    source_record_id: strawberry.ID
    field: str
    kind: str = strawberry.field(description="invalid, placeholder, shared or suspicious.")
    value: str | None = strawberry.field(
        description="The value as sent; null for personal fields without the permission."
    )
    message: str
    found_at: datetime

    @classmethod
    def from_facts(cls, info: HubInfo, facts: FindingFacts) -> DataQualityFinding:
        return cls(
            source_record_id=strawberry.ID(str(facts.record_id)),
            field=facts.field,
            kind=facts.kind,
            value=personal_field(info, PERSON_FIELD_OF.get(facts.field, facts.field), facts.value),
            message=facts.message,
            found_at=facts.found_at,
        )
