"""A customer's 360 page as the templates read it, built from the schema's answer.

Each section is a plain list the template loops over, so a new section (key figures, the
timeline) is one more attribute here and one more template block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def short_time(value: str | None) -> str:
    """``2026-12-02T19:03:11.5+00:00`` as ``2026-12-02 19:03`` (UTC, as the hub stores it)."""
    return value[:16].replace("T", " ") if value else ""


@dataclass(frozen=True)
class SourceBadge:
    """Where a value came from: the connector instance of its source record."""

    connector: str
    source_id: str


@dataclass(frozen=True)
class GoldenValue:
    name: str
    value: str | None
    """``None``: personal, and the key may not read it."""
    rule: str
    alternatives: list[str]
    source: SourceBadge | None
    """``None`` when the record is outside the viewer's brands."""


@dataclass(frozen=True)
class IdentifierLine:
    kind: str
    value: str | None
    source: SourceBadge | None


@dataclass(frozen=True)
class RecordLine:
    id: str
    connector: str
    entity: str
    source_id: str
    last_seen: str
    link_rule: str
    linked_by: str


@dataclass(frozen=True)
class CustomerPage:
    id: str
    name: str
    brand: str | None
    city: str | None
    updated: str
    golden: list[GoldenValue]
    identifiers: list[IdentifierLine]
    records: list[RecordLine]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> CustomerPage:
        sources = {
            record["id"]: SourceBadge(record["connector"], record["sourceId"])
            for record in data["sourceRecords"]
        }
        return cls(
            id=data["id"],
            name=" ".join(part for part in (data["firstName"], data["lastName"]) if part),
            brand=data["brand"],
            city=data["city"],
            updated=short_time(data["updatedAt"]),
            golden=[
                GoldenValue(
                    name=field["name"],
                    value=field["value"],
                    rule=field["rule"],
                    alternatives=field["alternatives"],
                    source=sources.get(field["sourceRecordId"]),
                )
                for field in data["goldenFields"]
            ],
            identifiers=[
                IdentifierLine(item["kind"], item["value"], sources.get(item["sourceRecordId"]))
                for item in data["identifiers"]
            ],
            records=[
                RecordLine(
                    id=record["id"],
                    connector=record["connector"],
                    entity=record["entity"],
                    source_id=record["sourceId"],
                    last_seen=short_time(record["lastSeenAt"]),
                    link_rule=record["link"]["rule"],
                    linked_by=record["link"]["decidedBy"],
                )
                for record in data["sourceRecords"]
            ],
        )
