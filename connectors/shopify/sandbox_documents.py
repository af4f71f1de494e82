"""Sandbox rows spelled out as the REST JSON of Shopify's Customer and Order resources.

Shapes follow the 2024-10 REST resources (shopify-api-js ``rest/admin`` models): money as decimal
strings, timestamps in the shop's zone with their offset, ids as integers, the order's buyer
embedded as a small ``customer`` object, or ``null`` for a guest checkout.
"""

from __future__ import annotations

import json
from typing import Any

from connectors.shopify.sandbox_data import COUNTRY_NAMES, Consent, CustomerRow, OrderRow
from connectors.shopify.sandbox_order_json import money, order_json, shop_time
from hub.sandbox import Person

REMOVED = object()
"""An override value that deletes the key from the document (a payload with no ``id``)."""


def customer_document(row: CustomerRow) -> dict[str, Any]:
    person = row.person
    address = _address(person, row.address_phone, row.id)
    document: dict[str, Any] = {
        "id": row.id,
        "email": person.email or None,
        "created_at": shop_time(row.created),
        "updated_at": shop_time(row.updated),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "orders_count": row.orders_count,
        "state": row.state,
        "total_spent": money(row.spent_minor),
        "last_order_id": row.last_order[0] if row.last_order else None,
        "note": None,
        "verified_email": bool(person.email) and row.state == "enabled",
        "multipass_identifier": None,
        "tax_exempt": False,
        "tags": row.tags,
        "last_order_name": row.last_order[1] if row.last_order else None,
        "currency": "GBP" if person.country == "GB" else "EUR",
        "phone": person.phone or None,
        "addresses": [address],
        "tax_exemptions": [],
        "email_marketing_consent": _consent(row.email_consent, "email"),
        "sms_marketing_consent": _consent(row.sms_consent, "sms"),
        "admin_graphql_api_id": f"gid://shopify/Customer/{row.id}",
        "default_address": address,
    }
    return _overridden(document, row.overrides)


def order_document(row: OrderRow) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(order_json(row))
    return _overridden(document, row.overrides)


def order_text(row: OrderRow) -> str:
    """The order's JSON text as served: the fast encoder unless a test changed the order."""
    if row.overrides:
        return dumps(order_document(row))
    return order_json(row)


def customer_text(row: CustomerRow) -> str:
    return dumps(customer_document(row))


def dumps(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _address(person: Person, phone: str | None, customer_id: int | None) -> dict[str, Any]:
    address: dict[str, Any] = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "company": None,
        "address1": person.street,
        "address2": None,
        "city": person.city,
        "province": None,
        "country": COUNTRY_NAMES[person.country],
        "zip": person.postcode,
        "phone": phone,
        "name": f"{person.first_name} {person.last_name}",
        "province_code": None,
        "country_code": person.country,
    }
    if customer_id is not None:  # a customer's saved address, rather than an order's copy
        address = {
            "id": customer_id + 1_200_000_000_000,
            "customer_id": customer_id,
            **address,
            "country_name": COUNTRY_NAMES[person.country],
            "default": True,
        }
    return address


def _consent(consent: Consent | None, channel: str) -> dict[str, Any] | None:
    if consent is None:
        return None
    document: dict[str, Any] = {
        "state": consent.state,
        "opt_in_level": consent.opt_in_level,
        "consent_updated_at": shop_time(consent.updated),
    }
    if channel == "sms":
        document["consent_collected_from"] = "SHOPIFY"
    return document


def _overridden(document: dict[str, Any], overrides: dict[str, Any] | None) -> dict[str, Any]:
    if overrides:
        for key, value in overrides.items():
            if value is REMOVED:
                document.pop(key, None)
            else:
                document[key] = value
    return document
