"""Typed activities: what a person did, read from the activities the connectors stored.

One interface, one type per :class:`hub.records.ActivityKind`; the fields are those the
connectors put in ``details`` (see connectors/*/mapping.py), each read through
:mod:`schema.activities.details` so that a missing or odd value is null, not an error. The raw
``details`` are not exposed: a source could put anything there, personal data included.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry

from hub.records import ActivityKind
from hub.store.consents import CONSENT_STATES
from hub.store.profile_batches import ActivityFacts
from schema.activities.details import day, mappings, member, moment, number, text
from schema.activities.money import Money, money
from schema.activities.mutations import ConsentState
from schema.context import HubInfo
from schema.customers.records import SourceRecord, visible_records
from schema.loaders import ProfileLoaders

strawberry.enum(ActivityKind, description="What kind of thing a person did.")


@strawberry.enum(description="The state of an e-signature request (Yousign's statuses).")
class SignatureStatus(Enum):
    ONGOING = "ongoing"
    DONE = "done"
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELED = "canceled"
    UNKNOWN = "unknown"
    """A status the hub does not know (a newer vendor status): shown, not guessed."""


@strawberry.interface(description="Something a person did, in one source.")
class Activity:
    facts: strawberry.Private[ActivityFacts]
    loaders: strawberry.Private[ProfileLoaders]
    id: strawberry.ID
    kind: ActivityKind
    occurred_at: datetime | None = strawberry.field(
        description="When it happened; null when the source does not say."
    )
    connector: str = strawberry.field(description="The connector instance that sent it.")
    source_id: str = strawberry.field(description="Its id in that source.")

    @strawberry.field(description="The source record it came with.")
    async def source(self, info: HubInfo) -> SourceRecord | None:
        for record in await visible_records(info, self.loaders, self.facts.profile_id):
            if record.id == self.facts.record_id:
                return SourceRecord.from_facts(info, record, self.loaders)
        return None


@strawberry.type(description="A line of an order or a receipt (negative for a return).")
class PurchaseLine:
    sku: str | None
    title: str | None
    quantity: float | None
    unit_price: Money | None
    total: Money | None


def purchase_lines(details: Mapping[str, Any], currency: str | None) -> list[PurchaseLine]:
    return [
        PurchaseLine(
            sku=text(line, "sku"),
            title=text(line, "title"),
            quantity=number(line, "quantity"),
            unit_price=money(_minor(line, "unit_price_minor"), currency),
            total=money(_minor(line, "total_minor"), currency),
        )
        for line in mappings(details, "lines")
    ]


def _minor(line: Mapping[str, Any], key: str) -> int | None:
    value = line.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@strawberry.type(description="An online or shop order.")
class Order(Activity):
    number: str | None = strawberry.field(description="The order's number for people.")
    status: str | None = strawberry.field(description="As the shop says it (paid, refunded…).")
    channel: str | None
    total: Money | None
    lines: list[PurchaseLine]


@strawberry.type(description="A till receipt of a store.")
class Receipt(Activity):
    store: str | None = strawberry.field(description="The store's code.")
    register: str | None
    loyalty_card: str | None = strawberry.field(description="The card shown at the till.")
    payment: str | None
    total: Money | None
    lines: list[PurchaseLine]


@strawberry.type(description="A subscription signed (or not) through an e-signature request.")
class ProductSubscription(Activity):
    product: str | None
    signature_status: SignatureStatus = strawberry.field(
        description="Not `status`: that is text on the other activities, an enum here."
    )
    signature_request_id: str | None
    signed_at: datetime | None
    declined_at: datetime | None
    expires_at: datetime | None
    provider: str | None


@strawberry.type(description="A product held with a partner (an insurance policy, a credit).")
class PartnerProduct(Activity):
    partner: str | None
    product_id: str | None
    product_name: str | None
    product_category: str | None
    policy_number: str | None
    status: str | None = strawberry.field(
        description="pending, active, suspended, cancelled, lapsed or expired."
    )
    start_date: date | None
    end_date: date | None
    frequency: str | None
    premium: Money | None


@strawberry.type(description="A consent given or refused for one channel and purpose.")
class Consent(Activity):
    channel: str | None = strawberry.field(description="email, sms, phone, post, or 'all'.")
    purpose: str | None
    state: ConsentState
    given_through: str | None = strawberry.field(
        description="Where the person said it: a web form, a store tablet, a partner…"
    )


@strawberry.type(description="Any other event a source reported.")
class Event(Activity):
    name: str | None


ACTIVITY_TYPES: tuple[type[Activity], ...] = (
    Order, Receipt, ProductSubscription, PartnerProduct, Consent, Event,
)  # fmt: skip
"""Every concrete type, for the schema to know them (they are returned as the interface)."""

_SIGNATURE_STATUSES = frozenset(status.value for status in SignatureStatus)
_CONSENT_STATES = frozenset(CONSENT_STATES)


def activity(facts: ActivityFacts, loaders: ProfileLoaders) -> Activity | None:
    """The typed activity, or None for a kind this hub does not know."""
    try:
        kind = ActivityKind(facts.kind)
    except ValueError:
        return None
    details = facts.details if isinstance(facts.details, Mapping) else {}
    common: dict[str, Any] = {
        "facts": facts,
        "loaders": loaders,
        "id": strawberry.ID(str(facts.id)),
        "kind": kind,
        "occurred_at": facts.occurred_at,
        "connector": facts.connector,
        "source_id": facts.source_id,
    }
    total = money(facts.amount_minor, facts.currency)
    match kind:
        case ActivityKind.ORDER:
            return Order(
                **common,
                number=text(details, "number"),
                status=text(details, "status"),
                channel=text(details, "channel"),
                total=total,
                lines=purchase_lines(details, facts.currency),
            )
        case ActivityKind.RECEIPT:
            return Receipt(
                **common,
                store=text(details, "store"),
                register=text(details, "register"),
                loyalty_card=text(details, "loyalty_card"),
                payment=text(details, "payment"),
                total=total,
                lines=purchase_lines(details, facts.currency),
            )
        case ActivityKind.SUBSCRIPTION:
            status = member(details, "status", _SIGNATURE_STATUSES) or "unknown"
            return ProductSubscription(
                **common,
                product=text(details, "product"),
                signature_status=SignatureStatus(status),
                signature_request_id=text(details, "signature_request_id"),
                signed_at=moment(details, "signed_at"),
                declined_at=moment(details, "declined_at"),
                expires_at=moment(details, "expires_at"),
                provider=text(details, "provider"),
            )
        case ActivityKind.PARTNER_PRODUCT:
            return PartnerProduct(
                **common,
                partner=text(details, "partner"),
                product_id=text(details, "product_id"),
                product_name=text(details, "product_name"),
                product_category=text(details, "product_category"),
                policy_number=text(details, "policy_number"),
                status=text(details, "status"),
                start_date=day(details, "start_date"),
                end_date=day(details, "end_date"),
                frequency=text(details, "frequency"),
                premium=total,
            )
        case ActivityKind.CONSENT:
            return Consent(
                **common,
                channel=text(details, "channel"),
                purpose=text(details, "purpose"),
                state=ConsentState(member(details, "state", _CONSENT_STATES) or "unknown"),
                given_through=text(details, "source") or text(details, "partner"),
            )
        case ActivityKind.EVENT:
            return Event(**common, name=text(details, "name") or text(details, "type"))
