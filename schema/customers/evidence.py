"""A link's match evidence as types: the rule or score, and each field's comparison.

The stored document is what :func:`hub.identity.review.evidence_document` wrote for the pair
that linked the record (empty for the first record of a profile, ``{"decision": id}`` for a
record moved by an agent). Older or hand-made documents may lack any key: those read as null.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry

from schema.access import personal_field
from schema.activities.details import integer, mappings, number, text
from schema.context import HubInfo


@strawberry.type(description="How one field of the two records compared.")
class FieldComparison:
    field: str
    level: str | None = strawberry.field(
        description="The similarity level: exact, close, different, missing…"
    )
    weight: float | None = strawberry.field(description="The match weight it brought, in bits.")
    left: str | None = strawberry.field(
        description="The compared values; null for personal fields without the permission."
    )
    right: str | None


@strawberry.type(description="Why the record was linked to the profile, as identity resolution "
                 "decided it (or the agent who did).")  # fmt: skip
class MatchEvidence:
    rule: str
    outcome: str | None = strawberry.field(description="merge, review or no_link.")
    score: float | None = strawberry.field(
        description="The pair's match weight in bits (log2 of the likelihood ratio)."
    )
    fields: list[FieldComparison]
    decided_by: str = strawberry.field(description="'auto' for identity resolution, else who.")
    decision_id: strawberry.ID | None = strawberry.field(
        description="The identity decision that moved the record here, when an agent did."
    )
    matched_record_id: strawberry.ID | None = strawberry.field(
        description=(
            "The record of the profile this one was compared with when it was linked; null "
            "for the profile's first record and for records an agent moved."
        )
    )


def _comparison(info: HubInfo, entry: Mapping[str, Any]) -> FieldComparison | None:
    name = text(entry, "field")
    if name is None:
        return None
    return FieldComparison(
        field=name,
        level=text(entry, "level"),
        weight=number(entry, "weight"),
        left=personal_field(info, name, text(entry, "left")),
        right=personal_field(info, name, text(entry, "right")),
    )


def _other_side(document: Mapping[str, Any], record_id: int) -> int | None:
    """The pair's other record: the document names both sides, ``left`` and ``right``."""
    left, right = integer(document, "left"), integer(document, "right")
    if left == record_id:
        return right
    return left if right == record_id else None


def match_evidence(
    info: HubInfo, record_id: int, rule: str, decided_by: str, document: Mapping[str, Any]
) -> MatchEvidence:
    """The evidence of the link of record ``record_id``."""
    comparisons = (_comparison(info, entry) for entry in mappings(document, "fields"))
    decision = integer(document, "decision")
    matched = _other_side(document, record_id)
    return MatchEvidence(
        rule=rule,
        outcome=text(document, "outcome"),
        score=number(document, "score"),
        fields=[comparison for comparison in comparisons if comparison is not None],
        decided_by=decided_by,
        decision_id=None if decision is None else strawberry.ID(str(decision)),
        matched_record_id=None if matched is None else strawberry.ID(str(matched)),
    )
