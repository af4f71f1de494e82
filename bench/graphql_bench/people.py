"""The people of the benchmark base, as the source records two connectors would send.

Each person is a web-shop customer (e-mail, phone, address, orders with their lines) and a
loyalty member (the same e-mail, a card, a birth date, receipts and a subscription): two source
records that identity resolution links by e-mail into one profile.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hub.records import Activity, ActivityKind, Identifier, IdentifierKind, SourceRecord

SHOP, LOYALTY = "shop", "loyalty"
FIRST = ["Amelie", "Jean", "Sophie", "Lucas", "Chloe", "Hans", "Maria", "Emily", "Giulia", "Nora"]
LAST = ["Durand", "Martin", "Lefevre", "Bernard", "Petit", "Muller", "Garcia", "Clarke", "Rossi"]
CITIES = [("Lyon", "69002"), ("Paris", "75011"), ("Nice", "06000"), ("Bordeaux", "33000")]
PRODUCTS = [("SKU-CANDLE", 2490), ("SKU-SOAP", 890), ("SKU-PLAID", 7900), ("SKU-MUG", 1450)]
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def phone_of(number: int) -> str:
    """A French mobile in national format, unique per person ("06 12 00 01 23"; a number of
    zeros only would be no valid number)."""
    digits = f"{12_000_000 + number:08d}"
    return "06 " + " ".join(digits[i : i + 2] for i in range(0, 8, 2))


def _order(rng: random.Random, person: int, index: int, when: datetime) -> Activity:
    picked = rng.sample(PRODUCTS, rng.randint(1, 3))
    quantities = [rng.randint(1, 3) for _ in picked]
    lines = [
        {"sku": sku, "quantity": quantity, "unit_price_minor": price}
        for (sku, price), quantity in zip(picked, quantities, strict=True)
    ]
    total = sum(quantity * price for (_, price), quantity in zip(picked, quantities, strict=True))
    return Activity(
        kind=ActivityKind.ORDER,
        source_id=f"O{person}-{index}",
        occurred_at=when,
        amount_minor=total,
        currency="EUR",
        details={"status": "paid", "lines": lines},
    )


def person_records(person: int, seed: int) -> tuple[SourceRecord, SourceRecord]:
    """The shop and loyalty records of person number ``person``."""
    rng = random.Random(seed * 1_000_003 + person)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    city, postcode = rng.choice(CITIES)
    email = f"{first}.{last}.{person}@example.org"
    phone = phone_of(person)
    updated = EPOCH + timedelta(minutes=rng.randrange(500_000))
    shop_id, member_id = f"C{person}", f"M{person}"
    street = f"{rng.randint(1, 120)} rue de la Paix"
    shop = SourceRecord(
        entity="customer",
        source_id=shop_id,
        payload={
            "id": shop_id, "first_name": first, "last_name": last, "email": email,
            "phone": phone, "address": {"street": street, "zip": postcode, "city": city},
            "updated_at": updated.isoformat(),
        },
        updated_at=updated,
        person={
            "first_name": first, "last_name": last, "email": email, "phone": phone,
            "street": street, "postcode": postcode, "city": city, "country": "FR",
            "brand": "maison-lumiere",
        },
        identifiers=(
            Identifier(IdentifierKind.EMAIL, email),
            Identifier(IdentifierKind.PHONE, phone),
            Identifier(IdentifierKind.SOURCE_CUSTOMER_ID, f"{SHOP}:{shop_id}"),
        ),
        activities=tuple(
            _order(rng, person, index, updated - timedelta(days=30 * index)) for index in range(2)
        ),
    )  # fmt: skip
    card = f"LC{person:09d}"
    birth = f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    loyalty = SourceRecord(
        entity="member",
        source_id=member_id,
        payload={
            "member_id": member_id, "name": f"{first} {last}", "mail": email.upper(),
            "card": card, "born": birth, "tier": rng.choice(["silver", "gold"]),
        },
        updated_at=updated - timedelta(days=3),
        person={
            "first_name": first, "last_name": last, "email": email.upper(),
            "birth_date": birth, "brand": "maison-lumiere", "country": "FR",
        },
        identifiers=(
            Identifier(IdentifierKind.EMAIL, email.upper()),
            Identifier(IdentifierKind.LOYALTY_CARD, card),
        ),
        activities=(
            Activity(
                kind=ActivityKind.RECEIPT, source_id=f"R{person}", occurred_at=updated,
                amount_minor=rng.randrange(500, 20_000), currency="EUR",
                details={"store": city, "till": rng.randint(1, 6)},
            ),
            Activity(
                kind=ActivityKind.SUBSCRIPTION, source_id=f"S{person}",
                occurred_at=updated - timedelta(days=200),
                details={"plan": "candle-club", "status": "active"},
            ),
        ),
    )  # fmt: skip
    return shop, loyalty
