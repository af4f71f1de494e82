"""An order row written straight as REST JSON text: the sandbox's hot path.

A benchmark reads 300,000 orders; building a dict of forty keys per order and then encoding it
cost about 60 µs an order, more than the connector under test spends. Here the constant parts are
encoded once (per product, per currency, per country) and an order is one f-string, with
the few free-text values escaped by the C encoder. :func:`order_document` in
``sandbox_documents`` parses this text, so there is one definition of the order's shape.
"""

from __future__ import annotations

from datetime import datetime
from json.encoder import encode_basestring as _string

from connectors.shopify.sandbox_data import (
    COUNTRY_NAMES,
    PRODUCTS,
    SHOP_TIME_ZONE,
    CustomerRow,
    OrderRow,
    line_discount,
    order_total,
    unit_price,
)
from hub.sandbox import Person

VAT_PERCENT = {"FR": 20, "ES": 21, "DE": 19, "IT": 22, "GB": 20}
GIFT_CARD_SKU = "GFT-CARD-50"


def money(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def shop_time(seconds: int | None) -> str | None:
    """``2024-06-01T09:30:00+02:00``: the shop's local time with its offset, as Shopify sends."""
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, SHOP_TIME_ZONE).isoformat()


def _time(seconds: int | None) -> str:
    """:func:`shop_time` as a JSON value."""
    return "null" if seconds is None else f'"{shop_time(seconds)}"'


def _optional(text: str | None) -> str:
    return _string(text) if text else "null"


def _product_part(index: int) -> str:
    product = PRODUCTS[index]
    name = f"{product.title} - {product.variant}" if product.variant else product.title
    return (
        f'"product_id":{8_200_000_000_000 + index * 7},'
        f'"variant_id":{44_000_000_000_000 + index * 11},'
        f'"sku":{_string(product.sku)},"title":{_string(product.title)},'
        f'"variant_title":{_optional(product.variant)},"name":{_string(name)},'
        f'"vendor":{_string(product.vendor)}'
    )


PRODUCT_PARTS = tuple(_product_part(index) for index in range(len(PRODUCTS)))
SHIPS = tuple("false" if product.sku == GIFT_CARD_SKU else "true" for product in PRODUCTS)
GIFT_CARDS = tuple("true" if product.sku == GIFT_CARD_SKU else "false" for product in PRODUCTS)
COUNTRY_PARTS = {code: _string(name) for code, name in COUNTRY_NAMES.items()}


def address_json(person: Person, phone: str | None) -> str:
    """An order's copy of an address (a customer's saved one has ids too)."""
    return (
        f'{{"first_name":{_string(person.first_name)},"last_name":{_string(person.last_name)},'
        f'"company":null,"address1":{_string(person.street)},"address2":null,'
        f'"city":{_string(person.city)},"province":null,'
        f'"country":{COUNTRY_PARTS[person.country]},"zip":{_string(person.postcode)},'
        f'"phone":{_optional(phone)},'
        f'"name":{_string(person.first_name + " " + person.last_name)},'
        f'"province_code":null,"country_code":"{person.country}"}}'
    )


def _embedded_customer(row: CustomerRow | None) -> str:
    if row is None:
        return "null"
    person = row.person
    return (
        f'{{"id":{row.id},"email":{_optional(person.email)},'
        f'"first_name":{_string(person.first_name)},"last_name":{_string(person.last_name)},'
        f'"phone":{_optional(person.phone)},"state":"{row.state}",'
        f'"created_at":{_time(row.created)},'
        f'"admin_graphql_api_id":"gid://shopify/Customer/{row.id}"}}'
    )


def _line(row: OrderRow, index: int, product: int, quantity: int, percent: int) -> str:
    return (
        f'{{"id":{row.first_line_id + index},{PRODUCT_PARTS[product]},"quantity":{quantity},'
        f'"price":"{money(unit_price(row, product))}",'
        f'"total_discount":"{money(line_discount(row, product, quantity, percent))}",'
        f'"requires_shipping":{SHIPS[product]},"taxable":true,'
        f'"gift_card":{GIFT_CARDS[product]},"tax_lines":[]}}'
    )


def order_json(row: OrderRow) -> str:
    """The order's REST JSON, without the overrides a test may have set."""
    buyer = row.buyer
    subtotal, shipping, total = order_total(row)
    discounts = sum(line_discount(row, p, q, pct) for p, q, pct in row.lines)
    vat = VAT_PERCENT[buyer.country]
    status = row.financial_status
    address = address_json(buyer, None)
    codes = (
        f'[{{"code":"WELCOME10","amount":"{money(discounts)}","type":"percentage"}}]'
        if discounts
        else "[]"
    )
    shipping_lines = (
        f'[{{"code":"Standard","price":"{money(shipping)}","title":"Standard"}}]'
        if shipping
        else "[]"
    )
    lines = ",".join(_line(row, i, *line) for i, line in enumerate(row.lines))
    created = _time(row.created)
    cancel_reason = '"customer"' if row.cancelled is not None else "null"
    return (
        f'{{"id":{row.id},"admin_graphql_api_id":"gid://shopify/Order/{row.id}",'
        f'"name":"#{row.number}","order_number":{row.number},"number":{row.number - 1000},'
        f'"confirmation_number":"{row.id % 0xFFFFFFFFF:09X}",'
        f'"token":"{row.id * 0x9E3779B97F4A7C15 % 2**128:032x}",'
        f'"email":{_optional(buyer.email)},"phone":null,'
        f'"created_at":{created},"processed_at":{created},"updated_at":{_time(row.updated)},'
        f'"closed_at":{_time(row.closed)},"cancelled_at":{_time(row.cancelled)},'
        f'"cancel_reason":{cancel_reason},'
        f'"currency":"{row.currency}","presentment_currency":"{row.currency}",'
        f'"subtotal_price":"{money(subtotal)}","total_discounts":"{money(discounts)}",'
        f'"total_line_items_price":"{money(subtotal + discounts)}",'
        f'"total_tax":"{money(total * vat // (100 + vat))}","taxes_included":true,'
        f'"total_price":"{money(total)}",'
        f'"current_total_price":"{money(0 if status == "refunded" else total)}",'
        f'"total_outstanding":"{money(total if status == "pending" else 0)}",'
        f'"financial_status":"{status}","fulfillment_status":{_optional(row.fulfillment_status)},'
        f'"source_name":"{row.source_name}","test":false,"tags":"",'
        f'"payment_gateway_names":["shopify_payments"],"discount_codes":{codes},'
        f'"customer":{_embedded_customer(row.customer)},'
        f'"billing_address":{address},"shipping_address":{address},'
        f'"line_items":[{lines}],"shipping_lines":{shipping_lines}}}'
    )
