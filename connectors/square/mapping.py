"""Square payloads (customers, orders, loyalty accounts) as canonical source records.

Square already sends money in minor units (``{"amount": 700, "currency": "EUR"}``), so amounts
are only checked to be integers; the currency is still checked against ISO 4217. An order rung
up at a till becomes a RECEIPT of its location; an order from any other channel (an online
store, an app calling the Orders API) becomes an ORDER.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from hub.connector.mapping import (
    RecordError,
    currency_code,
    optional_text,
    parse_date,
    parse_timestamp,
    require_id,
    require_mapping,
)
from hub.records import Activity, ActivityKind, Identifier, IdentifierKind, SourceRecord

REFERENCE_SYSTEM = "square_reference"
"""Label of a customer's ``reference_id`` (the id another system gave it) in CROSS_REFERENCE."""
POS_SOURCE_MARKER = "point of sale"
"""Orders rung up in the Square Point of Sale app carry no ``source`` name, or this one."""


@dataclass(frozen=True)
class MappingContext:
    """What a record needs from its instance: its name and the defaults of its settings."""

    instance: str
    brand: str | None = None
    country: str | None = None

    def customer_key(self, customer_id: str) -> Identifier:
        return Identifier(IdentifierKind.SOURCE_CUSTOMER_ID, f"{self.instance}:{customer_id}")

    def with_defaults(self, person: dict[str, str]) -> dict[str, str]:
        for key, default in (("brand", self.brand), ("country", self.country)):
            if default and not person.get(key):
                person[key] = default
        return person


# A sync of 300,000 orders calls these a few million times: the plain cases go first, the
# SDK helpers (and their messages) handle everything else.


def _text(payload: Mapping[str, Any], key: str) -> str | None:
    value = payload.get(key)
    if type(value) is str:
        return value.strip() or None
    return optional_text(payload, key)


def _object(value: Any, field_name: str) -> Mapping[str, Any]:
    return value if type(value) is dict else require_mapping(value, field_name)


_VALID_CURRENCIES: set[str] = set()


def _currency(value: Any, field_name: str) -> str:
    if type(value) is str and value in _VALID_CURRENCIES:
        return value
    code = currency_code(value, field_name)
    if value == code:
        _VALID_CURRENCIES.add(code)
    return code


def _nested(payload: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """An optional object field: absent or null reads as empty, anything else must be an object."""
    value = payload.get(key)
    return {} if value is None else _object(value, key)


def _birth_date(customer: Mapping[str, Any]) -> str | None:
    """Square writes ``0000-09-21`` for a birthday without a year: no birth date for matching."""
    text = _text(customer, "birthday")
    if text is None or text.startswith("0000-"):
        return None
    parse_date(text, "birthday")  # refuse what is not a date; keep the raw text
    return text


def customer_record(customer: Mapping[str, Any], context: MappingContext) -> SourceRecord:
    customer_id = require_id(customer)
    updated_at = parse_timestamp(customer.get("updated_at"), "updated_at")
    address = _nested(customer, "address")
    person = {
        "first_name": _text(customer, "given_name"),
        "last_name": _text(customer, "family_name"),
        "email": _text(customer, "email_address"),
        "phone": _text(customer, "phone_number"),
        "street": _text(address, "address_line_1"),
        "postcode": _text(address, "postal_code"),
        "city": _text(address, "locality"),
        "country": _text(address, "country"),
        "birth_date": _birth_date(customer),
    }
    kept = context.with_defaults({k: v for k, v in person.items() if v is not None})
    identifiers = [context.customer_key(customer_id)]
    if "email" in kept:
        identifiers.append(Identifier(IdentifierKind.EMAIL, kept["email"]))
    if "phone" in kept:
        identifiers.append(Identifier(IdentifierKind.PHONE, kept["phone"]))
    reference = _text(customer, "reference_id")
    if reference is not None:
        identifiers.append(
            Identifier(IdentifierKind.CROSS_REFERENCE, f"{REFERENCE_SYSTEM}:{reference}")
        )
    return SourceRecord(
        entity="customer",
        source_id=customer_id,
        payload=customer,
        updated_at=updated_at,
        person=kept,
        identifiers=tuple(identifiers),
        activities=_email_consent(customer),
    )


def _email_consent(customer: Mapping[str, Any]) -> tuple[Activity, ...]:
    """``preferences.email_unsubscribed``: true is a refusal, false a profile still subscribed."""
    preferences = _nested(customer, "preferences")
    unsubscribed = preferences.get("email_unsubscribed")
    if unsubscribed is None:
        return ()
    if not isinstance(unsubscribed, bool):
        raise RecordError(
            f"preferences.email_unsubscribed: expected true or false, got {unsubscribed!r}"
        )
    details = {
        "channel": "email",
        "purpose": "marketing",
        "state": "denied" if unsubscribed else "granted",
        "vendor_state": {"email_unsubscribed": unsubscribed},
    }
    # Square does not say when the preference changed: no time rather than a guessed one.
    return (Activity(ActivityKind.CONSENT, "email_marketing", details=details),)


def _minor_units(money: Any, field_name: str) -> tuple[int, str]:
    money = _object(money, field_name)
    amount = money.get("amount")
    if type(amount) is not int:  # a bool, a float or a decimal string is not minor units
        raise RecordError(
            f"{field_name}.amount: expected an integer of minor units, got {amount!r}"
        )
    return amount, _currency(money.get("currency"), f"{field_name}.currency")


def _quantity(value: Any, field_name: str) -> int | float:
    """Square sends quantities as decimal strings (``"2"``, ``"0.5"`` for weighed goods)."""
    if type(value) is str and value.isdigit():
        return int(value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise RecordError(f"{field_name}: {value!r} is not a quantity") from None
    if not number.is_finite():
        raise RecordError(f"{field_name}: {value!r} is not a quantity")
    return int(number) if number == number.to_integral_value() else float(number)


def _lines(order: Mapping[str, Any], currency: str) -> list[dict[str, Any]]:
    items = order.get("line_items") or []
    if not isinstance(items, list):
        raise RecordError(f"line_items: expected a list, got {type(items).__name__}")
    lines = []
    for index, raw in enumerate(items):
        where = f"line_items[{index}]"
        item = _object(raw, where)
        prices: list[int | None] = []
        for key in ("base_price_money", "total_money"):
            if item.get(key) is None:
                prices.append(None)
                continue
            amount, line_currency = _minor_units(item[key], f"{where}.{key}")
            if line_currency != currency:
                raise RecordError(f"{where}.{key}.currency: {line_currency} in a {currency} order")
            prices.append(amount)
        lines.append(
            {
                # Square orders name the catalog variation, not its SKU (that is in the catalog).
                "sku": _text(item, "catalog_object_id"),
                "title": _text(item, "name"),
                "quantity": _quantity(item.get("quantity", "1"), f"{where}.quantity"),
                "unit_price_minor": prices[0],
                "total_minor": prices[1],
            }
        )
    return lines


def _tenders(order: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    tenders = order.get("tenders") or []
    if not isinstance(tenders, list):
        raise RecordError(f"tenders: expected a list, got {type(tenders).__name__}")
    return [_object(tender, f"tenders[{i}]") for i, tender in enumerate(tenders)]


def _buyers(order: Mapping[str, Any], tenders: list[Mapping[str, Any]]) -> list[str]:
    """The order's ``customer_id``, and the customers its tenders were paid by: a till sale
    often knows its buyer only through the card tender."""
    found = [_text(order, "customer_id"), *(_text(tender, "customer_id") for tender in tenders)]
    return list(dict.fromkeys(c for c in found if c is not None))


def source_name(order: Mapping[str, Any]) -> str | None:
    return _text(_nested(order, "source"), "name")


def order_record(order: Mapping[str, Any], context: MappingContext) -> SourceRecord:
    order_id = require_id(order)
    updated_at = parse_timestamp(order.get("updated_at"), "updated_at")
    # A sale happens when it is paid (closed); an open order when it was started.
    when = "closed_at" if order.get("closed_at") else "created_at"
    occurred_at = parse_timestamp(order.get(when), when)
    amount, currency = _minor_units(order.get("total_money"), "total_money")
    lines = _lines(order, currency)
    location = _text(order, "location_id")
    tenders = _tenders(order)
    channel = source_name(order)
    if channel is None or POS_SOURCE_MARKER in channel.lower():
        payment = ",".join(dict.fromkeys(t for t in (_text(x, "type") for x in tenders) if t))
        kind = ActivityKind.RECEIPT
        details: dict[str, Any] = {
            "store": location,
            "register": None,  # Square orders do not say which device rang them up
            "loyalty_card": None,
            "lines": lines,
            "payment": payment or None,
        }
    else:
        kind = ActivityKind.ORDER
        details = {
            "number": _text(order, "reference_id") or _text(order, "ticket_name"),
            "status": _text(order, "state"),
            "channel": channel,
            "lines": lines,
        }
    activity = Activity(kind, order_id, occurred_at, amount, currency, details)
    return SourceRecord(
        entity="order",
        source_id=order_id,
        payload=order,
        updated_at=updated_at,
        identifiers=tuple(context.customer_key(c) for c in _buyers(order, tenders)),
        activities=(activity,),
    )


def _loyalty_phone(account: Mapping[str, Any]) -> str | None:
    """The phone mapping: ``mapping.phone_number``, or the older ``mappings[]`` of type PHONE."""
    phone = _text(_nested(account, "mapping"), "phone_number")
    if phone is not None:
        return phone
    mappings = account.get("mappings") or []
    if not isinstance(mappings, list):
        raise RecordError(f"mappings: expected a list, got {type(mappings).__name__}")
    for index, raw in enumerate(mappings):
        mapping = _object(raw, f"mappings[{index}]")
        if _text(mapping, "type") == "PHONE":
            return _text(mapping, "value")
    return None


def loyalty_account_record(account: Mapping[str, Any], context: MappingContext) -> SourceRecord:
    account_id = require_id(account)
    updated_at = parse_timestamp(account.get("updated_at"), "updated_at")
    identifiers = [Identifier(IdentifierKind.LOYALTY_CARD, account_id)]
    person: dict[str, str] = {}
    phone = _loyalty_phone(account)
    if phone is not None:
        identifiers.append(Identifier(IdentifierKind.PHONE, phone))
        person["phone"] = phone
    customer_id = _text(account, "customer_id")
    if customer_id is not None:
        identifiers.append(context.customer_key(customer_id))
    return SourceRecord(
        entity="loyalty_account",
        source_id=account_id,
        payload=account,
        updated_at=updated_at,
        person=context.with_defaults(person) if person else {},
        identifiers=tuple(identifiers),
    )
