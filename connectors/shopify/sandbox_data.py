"""The sandbox shop's data: compact rows generated cheaply, spelled out as REST JSON on demand.

A benchmark asks for 100,000 customers and 300,000 orders, so rows hold only what varies (a
spelled :class:`Person`, integer timestamps, product indexes); the JSON documents, with their
dozens of constant fields, are built when a page is served and never kept. Timestamps are Unix
seconds, shown in the shop's time zone with its offset, as Shopify does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from hub.sandbox import Person, SourceSpelling

SHOP_TIME_ZONE = ZoneInfo("Europe/Paris")
END = int(datetime(2024, 9, 30, 12, 0, tzinfo=UTC).timestamp())
"""The seeded shop's "now": generated data is fixed, whatever the day the tests run."""
HISTORY = 3 * 365 * 86400
DAY = 86400
COUNTRY_NAMES = {
    "FR": "France",
    "ES": "Spain",
    "DE": "Germany",
    "IT": "Italy",
    "GB": "United Kingdom",
}
SPELLING = SourceSpelling(
    upper_last_name=0.05,
    drop_accents=0.05,
    nickname=0.02,
    national_phone=0.0,  # Shopify stores customer phones in E.164 (the address phone is free)
    missing_phone=0.5,
    missing_email=0.03,
    email_case=0.1,
    typo=0.02,
)


class Product(NamedTuple):
    sku: str
    title: str
    variant: str | None
    vendor: str
    eur_cents: int
    gbp_pence: int


PRODUCTS = tuple(
    Product(*product)
    for product in (
        ("TSH-LIN-M", "Linen T-shirt", "M / Sand", "Lumière", 2995, 2600),
        ("TSH-LIN-L", "Linen T-shirt", "L / Sand", "Lumière", 2995, 2600),
        ("SHI-OXF-40", "Oxford shirt", "40 / White", "Lumière", 6900, 5900),
        ("JKT-WAX-M", "Waxed jacket", "M / Olive", "Nordhaus", 18900, 16500),
        ("SWT-MER-S", "Merino sweater", "S / Navy", "Nordhaus", 8950, 7800),
        ("SWT-MER-M", "Merino sweater", "M / Navy", "Nordhaus", 8950, 7800),
        ("SCF-SLK-01", "Silk scarf", None, "Vela", 4500, 3900),
        ("BAG-TOT-01", "Canvas tote", None, "Vela", 3500, 2950),
        ("SNK-RUN-42", "Running sneakers", "42", "Vela", 11000, 9500),
        ("SNK-RUN-38", "Running sneakers", "38", "Vela", 11000, 9500),
        ("SCK-CTN-3P", "Cotton socks (3 pairs)", None, "Lumière", 1490, 1290),
        ("CAP-WOL-01", "Wool cap", None, "Nordhaus", 2490, 2150),
        ("DRS-SUM-36", "Summer dress", "36 / Coral", "Vela", 7900, 6800),
        ("JNS-STR-32", "Straight jeans", "32/32", "Lumière", 9900, 8500),
        ("BLT-LTH-90", "Leather belt", "90", "Nordhaus", 5500, 4700),
        ("GFT-CARD-50", "Gift card", "50", "Lumière", 5000, 5000),
    )
)
SOURCES = ("web", "web", "web", "web", "pos", "shopify_draft_order", "iphone")


@dataclass(slots=True)
class Consent:
    state: str
    updated: int | None
    opt_in_level: str = "single_opt_in"


@dataclass(slots=True)
class CustomerRow:
    id: int
    person: Person
    created: int
    updated: int
    state: str
    email_consent: Consent | None
    sms_consent: Consent | None
    address_phone: str | None
    tags: str = ""
    orders_count: int = 0
    spent_minor: int = 0
    last_order: tuple[int, str] | None = None
    overrides: dict[str, Any] | None = None


@dataclass(slots=True)
class OrderRow:
    id: int
    number: int
    customer: CustomerRow | None
    buyer: Person
    created: int
    updated: int
    closed: int | None
    cancelled: int | None
    financial_status: str
    fulfillment_status: str | None
    source_name: str
    lines: tuple[tuple[int, int, int], ...]
    """(product index, quantity, discount in percent) per line."""
    first_line_id: int
    total: int
    """What the buyer paid, in minor units: kept for the customer's ``total_spent``."""
    overrides: dict[str, Any] | None = field(default=None)

    @property
    def currency(self) -> str:
        return "GBP" if self.buyer.country == "GB" else "EUR"

    @property
    def status(self) -> str:
        """The ``status`` filter this order answers: open, closed or cancelled."""
        if self.cancelled is not None:
            return "cancelled"
        return "open" if self.closed is None else "closed"


def generate(
    people: list[Person], guests: list[Person], seed: str
) -> tuple[list[CustomerRow], list[OrderRow]]:
    """Customers (with a few second accounts of the same person) and their orders."""
    draw = Draw(random.Random(seed))
    customers = _customers(people, draw)
    orders = _orders(customers, guests, draw)
    return customers, orders


T = TypeVar("T")


def weighted(*choices: tuple[T, int]) -> tuple[T, ...]:
    """A table where each value appears as often as its weight: one draw picks from it."""
    return tuple(value for value, weight in choices for _ in range(weight))


class Draw:
    """Seeded draws cheap enough for 300,000 orders (``random.choices`` re-adds its weights on
    every call; ``randrange`` checks its arguments)."""

    def __init__(self, rng: random.Random) -> None:
        self.random = rng.random

    def between(self, low: int, high: int) -> int:
        """An integer in [low, high)."""
        return low + int(self.random() * (high - low))

    def pick(self, table: tuple[T, ...]) -> T:
        return table[int(self.random() * len(table))]


EMAIL_STATES = weighted(
    ("subscribed", 45), ("not_subscribed", 40), ("unsubscribed", 12), ("pending", 3)
)
SMS_STATES = weighted(("not_subscribed", 70), ("subscribed", 20), ("unsubscribed", 10))
TAGS = ("", "", "", "vip", "newsletter", "wholesale")
EUR_PRICES = tuple(product.eur_cents for product in PRODUCTS)
GBP_PRICES = tuple(product.gbp_pence for product in PRODUCTS)
ORDER_COUNTS = weighted((0, 10), (1, 20), (2, 20), (3, 15), (4, 12), (5, 10), (6, 8), (8, 5))
"""About 2.9 orders per customer."""
LINE_COUNTS = weighted((1, 6), (2, 3), (3, 1))
QUANTITIES = weighted((1, 16), (2, 3), (3, 1))
CLOSED_FINANCIAL = weighted(("paid", 18), ("partially_refunded", 1), ("refunded", 1))
OPEN_FINANCIAL = weighted(("paid", 17), ("pending", 2), ("authorized", 1))
OPEN_FULFILLMENT: tuple[str | None, ...] = (None, None, "partial")


def _customers(people: list[Person], draw: Draw) -> list[CustomerRow]:
    taken_emails: set[str] = set()
    taken_phones: set[str] = set()
    rows: list[CustomerRow] = []
    for person in people:
        spelled = SPELLING.spell(person, "shopify")
        rows.append(_customer(spelled, person, draw, taken_emails, taken_phones))
        if draw.random() < 0.02:  # a second account: another address, same person
            local, _, domain = person.email.partition("@")
            second = replace(spelled, email=f"{local}.shop@{domain}", phone="")
            rows.append(_customer(second, person, draw, taken_emails, taken_phones))
    rows.sort(key=lambda row: row.created)
    for index, row in enumerate(rows):
        row.id = 6_900_000_000_000 + index * 1013  # Shopify ids grow with creation time
    return rows


def _customer(
    person: Person, original: Person, draw: Draw, emails: set[str], phones: set[str]
) -> CustomerRow:
    """``person`` as the shop spelled ``original``."""
    # Shopify keeps e-mail and phone unique per shop: a clash is left empty.
    email = person.email if person.email.lower() not in emails else ""
    phone = person.phone if person.phone not in phones else ""
    emails.add(email.lower())
    phones.add(phone)
    created = END - draw.between(DAY, HISTORY)
    updated = created + draw.between(0, (END - created) // 4)
    email_consent = sms_consent = None
    if email:
        state = draw.pick(EMAIL_STATES)
        when = None if state == "not_subscribed" else created + draw.between(0, 3600)
        level = "confirmed_opt_in" if person.country == "DE" else "single_opt_in"
        email_consent = Consent(state, when, level)
    if phone:
        state = draw.pick(SMS_STATES)
        sms_consent = Consent(state, None if state == "not_subscribed" else created + 60)
    # The address form takes any text: people type their phone the way they say it.
    address_phone = original.national_phone() if draw.random() < 0.3 else None
    return CustomerRow(
        id=0,
        person=person
        if (email, phone) == (person.email, person.phone)
        else replace(person, email=email, phone=phone),
        created=created,
        updated=updated,
        state="enabled" if draw.random() < 0.7 else "disabled",
        email_consent=email_consent,
        sms_consent=sms_consent,
        address_phone=address_phone,
        tags=draw.pick(TAGS),
    )


def _orders(customers: list[CustomerRow], guests: list[Person], draw: Draw) -> list[OrderRow]:
    drafts: list[tuple[int, CustomerRow | None, Person]] = []
    for row in customers:
        for _ in range(draw.pick(ORDER_COUNTS)):
            drafts.append((draw.between(row.created, END), row, row.person))
    for guest in guests:
        # A guest checkout still needs an e-mail, whatever else the shopper skipped.
        spelled = SPELLING.spell(guest, "shopify-guest")
        buyer = spelled if spelled.email else replace(spelled, email=guest.email)
        drafts.append((END - draw.between(DAY // 24, HISTORY), None, buyer))
    drafts.sort(key=lambda draft: draft[0])
    orders = []
    line_id = 14_000_000_000_000
    for index, (created, customer, buyer) in enumerate(drafts):
        order = _order(index, created, customer, buyer, line_id, draw)
        line_id += len(order.lines)
        orders.append(order)
        if customer is not None:
            customer.orders_count += 1
            customer.spent_minor += order.total
            customer.last_order = (order.id, f"#{order.number}")
            customer.updated = max(customer.updated, order.updated)
    return orders


def _order(
    index: int,
    created: int,
    customer: CustomerRow | None,
    buyer: Person,
    line_id: int,
    draw: Draw,
) -> OrderRow:
    lines = [
        (draw.between(0, len(PRODUCTS)), draw.pick(QUANTITIES), 0)
        for _ in range(draw.pick(LINE_COUNTS))
    ]
    if draw.random() < 0.1:  # a promotion code: 10 % off the first line
        product, quantity, _ = lines[0]
        lines[0] = (product, quantity, 10)
    prices = GBP_PRICES if buyer.country == "GB" else EUR_PRICES
    subtotal = sum(prices[p] * q - prices[p] * q * percent // 100 for p, q, percent in lines)
    closed = cancelled = None
    fulfillment: str | None = None
    roll = draw.random()
    if roll < 0.04:
        cancelled = closed = min(END, created + draw.between(600, 2 * DAY))
        financial = "voided" if roll < 0.02 else "refunded"
    elif END - created > 14 * DAY and roll < 0.85:
        closed = created + draw.between(2 * DAY, 10 * DAY)
        financial = draw.pick(CLOSED_FINANCIAL)
        fulfillment = "fulfilled"
    else:
        financial = draw.pick(OPEN_FINANCIAL)
        fulfillment = draw.pick(OPEN_FULFILLMENT)
    return OrderRow(
        id=5_600_000_000_000 + index * 1019,
        number=1001 + index,
        customer=customer,
        buyer=buyer,
        created=created,
        updated=min(END, (closed or created) + draw.between(0, 3600)),
        closed=closed,
        cancelled=cancelled,
        financial_status=financial,
        fulfillment_status=fulfillment,
        source_name=draw.pick(SOURCES),
        lines=tuple(lines),
        first_line_id=line_id,
        total=subtotal + shipping_cost(subtotal),
    )


def unit_price(order: OrderRow, product: int) -> int:
    prices = PRODUCTS[product]
    return prices.gbp_pence if order.currency == "GBP" else prices.eur_cents


def line_discount(order: OrderRow, product: int, quantity: int, percent: int) -> int:
    return unit_price(order, product) * quantity * percent // 100


def shipping_cost(subtotal: int) -> int:
    return 0 if subtotal >= 5000 else 490


def order_total(order: OrderRow) -> tuple[int, int, int]:
    """Subtotal, shipping and total in minor units (prices include VAT, as in Europe)."""
    subtotal = sum(
        unit_price(order, p) * q - line_discount(order, p, q, pct) for p, q, pct in order.lines
    )
    shipping = shipping_cost(subtotal)
    return subtotal, shipping, subtotal + shipping
