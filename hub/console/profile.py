"""A customer's 360 page as the templates read it, built from the schema's answer.

Each section is a plain list the template loops over, so a new section is one more attribute
here and one more template block. The timeline is paged apart (:mod:`hub.console.timeline`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.console.formats import full_name, short_time
from hub.console.identity_graph import IdentityGraph, identity_graph
from hub.console.timeline import TimelinePage


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
class ConsentLine:
    """A channel and purpose as it stands: its newest consent."""

    channel: str
    purpose: str
    state: str
    """granted, denied, pending or unknown."""
    given_through: str | None
    at: str
    source: str


@dataclass(frozen=True)
class SpendLine:
    brand: str | None
    purchases: int
    total: str
    """Written in the page's language (``59,90 €``, ``€59.90``)."""


@dataclass(frozen=True)
class KeyFigures:
    spend: list[SpendLine]
    orders: int
    receipts: int
    active_subscriptions: int
    partner_products: int
    active_partner_products: int
    last_activity: str

    @classmethod
    def from_data(cls, summary: dict[str, Any]) -> KeyFigures:
        return cls(
            spend=[
                SpendLine(line["brand"], line["purchases"], line["total"]["formatted"])
                for line in summary["lifetimeSpend"]
            ],
            orders=summary["orders"],
            receipts=summary["receipts"],
            active_subscriptions=summary["activeSubscriptions"],
            partner_products=summary["partnerProducts"],
            active_partner_products=summary["activePartnerProducts"],
            last_activity=short_time(summary["lastActivityAt"]),
        )


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
    consents: list[ConsentLine]
    figures: KeyFigures
    graph: IdentityGraph
    timeline: TimelinePage

    @classmethod
    def from_data(cls, data: dict[str, Any], timeline: TimelinePage) -> CustomerPage:
        sources = {
            record["id"]: SourceBadge(record["connector"], record["sourceId"])
            for record in data["sourceRecords"]
        }
        return cls(
            id=data["id"],
            name=full_name(data),
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
            consents=[
                ConsentLine(
                    channel=consent["channel"] or "",
                    purpose=consent["purpose"] or "",
                    state=consent["state"].lower(),
                    given_through=consent["givenThrough"],
                    at=short_time(consent["occurredAt"]),
                    source=consent["connector"],
                )
                for consent in data["consents"]
            ],
            figures=KeyFigures.from_data(data["summary"]),
            graph=identity_graph(data["sourceRecords"]),
            timeline=timeline,
        )
