"""Shopify REST resources (customer, order) as canonical source records.

The same two functions serve the polling streams and the webhooks, whose payload is the REST JSON
of the resource: a customer reads the same whichever way it arrived. Every reading error names
the field (``default_address: expected an object``), so a bad item goes to quarantine with a
reason an operator can act on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hub.connector.mapping import (
    RecordError,
    money_minor,
    optional_text,
    parse_timestamp,
    require_id,
    require_mapping,
)
from hub.records import Activity, ActivityKind, Identifier, IdentifierKind, SourceRecord

CONSENT_STATES = {
    "subscribed": "granted",
    "unsubscribed": "denied",
    "pending": "pending",
    # Never asked, or asked and no answer: this shop holds no decision either way, which is
    # not a refusal (a yes given at a till must not be overruled by it).
    "not_subscribed": "unknown",
    "redacted": "unknown",
    "invalid": "unknown",
}
"""Shopify's ``email_marketing_consent.state`` / ``sms_marketing_consent.state`` values."""

CONSENT_FIELDS = (("email_marketing_consent", "email"), ("sms_marketing_consent", "sms"))

# Shopify address field → canonical person field.
ADDRESS_FIELDS = (("address1", "street"), ("zip", "postcode"), ("city", "city"))


@dataclass(frozen=True)
class MappingContext:
    """What a mapping needs from the instance: its name and the fallbacks of its settings."""

    instance: str
    brand: str | None = None
    country: str | None = None

    def customer_id(self, native_id: str) -> Identifier:
        return Identifier(IdentifierKind.SOURCE_CUSTOMER_ID, f"{self.instance}:{native_id}")

    def with_fallbacks(self, person: dict[str, str]) -> dict[str, str]:
        """Brand and country from the settings where the payload had none."""
        if self.brand and "brand" not in person:
            person["brand"] = self.brand
        if self.country and "country" not in person:
            person["country"] = self.country
        return person


def customer_record(item: Mapping[str, Any], context: MappingContext) -> SourceRecord:
    """A ``customer`` resource: person, e-mail, phone, its own id, marketing consents."""
    source_id = require_id(item)
    updated_at = parse_timestamp(item.get("updated_at"), "updated_at")
    person = _text_fields(item, (("first_name", "first_name"), ("last_name", "last_name")))
    person.update(_text_fields(item, (("email", "email"), ("phone", "phone"))))
    address = item.get("default_address")
    if address is not None:
        address = require_mapping(address, "default_address")
        fields = (*ADDRESS_FIELDS, ("country_code", "country"))
        person.update(_text_fields(address, fields, "default_address."))
    identifiers = [*_contact_identifiers(item), context.customer_id(source_id)]
    consents = tuple(
        _consent(item[key], key, channel)
        for key, channel in CONSENT_FIELDS
        if item.get(key) is not None
    )
    return SourceRecord(
        entity="customer",
        source_id=source_id,
        payload=item,
        updated_at=updated_at,
        person=context.with_fallbacks(person),
        identifiers=tuple(identifiers),
        activities=consents,
    )


def order_record(item: Mapping[str, Any], context: MappingContext) -> SourceRecord:
    """An ``order`` resource: its buyer's ids and contact, and one ORDER activity.

    A guest checkout has no ``customer``: the order's own e-mail and phone are then the only
    way identity resolution can tie it to a person.
    """
    source_id = require_id(item)
    updated_at = parse_timestamp(item.get("updated_at"), "updated_at")
    identifiers = list(_contact_identifiers(item))
    customer = item.get("customer")
    if customer is not None:
        customer = require_mapping(customer, "customer")
        identifiers.append(context.customer_id(require_id(customer, "id")))
    person = _text_fields(item, (("email", "email"), ("phone", "phone")))
    billing = item.get("billing_address")
    if billing is not None:
        billing = require_mapping(billing, "billing_address")
        names = (("first_name", "first_name"), ("last_name", "last_name"))
        fields = (*names, ("country_code", "country"))
        person.update(_text_fields(billing, fields, "billing_address."))
    return SourceRecord(
        entity="order",
        source_id=source_id,
        payload=item,
        updated_at=updated_at,
        person=context.with_fallbacks(person),
        identifiers=tuple(identifiers),
        activities=(_order_activity(item, source_id),),
    )


def _order_activity(item: Mapping[str, Any], source_id: str) -> Activity:
    when = item.get("processed_at") or item.get("created_at")
    field_name = "processed_at" if item.get("processed_at") else "created_at"
    amount, currency = money_minor(item.get("total_price"), item.get("currency"), "total_price")
    lines = item.get("line_items") or []
    if not isinstance(lines, list):
        raise RecordError(f"line_items: expected a list, got {type(lines).__name__}")
    return Activity(
        kind=ActivityKind.ORDER,
        source_id=source_id,
        occurred_at=parse_timestamp(when, field_name),
        amount_minor=amount,
        currency=currency,
        details={
            "number": optional_text(item, "name"),
            "status": optional_text(item, "financial_status"),
            "channel": optional_text(item, "source_name"),
            "lines": [_line(line, currency, i) for i, line in enumerate(lines)],
        },
    )


def _line(line: Any, currency: str, index: int) -> dict[str, Any]:
    where = f"line_items[{index}]"
    line = require_mapping(line, where)
    quantity = line.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise RecordError(f"{where}.quantity: expected an integer, got {quantity!r}")
    unit, _ = money_minor(line.get("price"), currency, f"{where}.price")
    discount = 0
    if line.get("total_discount") not in (None, ""):
        discount, _ = money_minor(line["total_discount"], currency, f"{where}.total_discount")
    return {
        "sku": optional_text(line, "sku"),
        "title": optional_text(line, "title"),
        "quantity": quantity,
        "unit_price_minor": unit,
        "total_minor": unit * quantity - discount,
    }


def _consent(value: Any, key: str, channel: str) -> Activity:
    consent = require_mapping(value, key)
    vendor_state = optional_text(consent, "state")
    updated = consent.get("consent_updated_at")
    return Activity(
        kind=ActivityKind.CONSENT,
        source_id=f"{channel}_marketing",
        occurred_at=None
        if updated is None
        else parse_timestamp(updated, f"{key}.consent_updated_at"),
        details={
            "channel": channel,
            "purpose": "marketing",
            "state": CONSENT_STATES.get(vendor_state or "", "unknown"),
            "vendor_state": vendor_state,
        },
    )


def _contact_identifiers(item: Mapping[str, Any]) -> list[Identifier]:
    found = []
    for key, kind in (("email", IdentifierKind.EMAIL), ("phone", IdentifierKind.PHONE)):
        value = optional_text(item, key)
        if value is not None:
            found.append(Identifier(kind, value))
    return found


def _text_fields(
    payload: Mapping[str, Any], pairs: tuple[tuple[str, str], ...], where: str = ""
) -> dict[str, str]:
    """Canonical field → text for each (Shopify key, canonical field) present in ``payload``;
    ``where`` prefixes the key in errors (``"default_address."``)."""
    person = {}
    for key, field_name in pairs:
        try:
            value = optional_text(payload, key)
        except RecordError as exc:
            raise RecordError(f"{where}{exc}") from None
        if value is not None:
            person[field_name] = value
    return person
