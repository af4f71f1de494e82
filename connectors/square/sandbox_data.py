"""Seed data of the Square sandbox: a merchant with stores in France, Spain and Germany.

Customers are a share of the shared population, spelled the way a till operator types them;
a few people have two profiles (one made at the till with a phone only). Orders are rung up
at the stores (no ``source`` name, as the Point of Sale app leaves it) or come from the online
store; some till sales carry the buyer only on the card tender. About half of the customers
with a phone hold a loyalty account mapped to that phone in E.164.

Orders are kept as small seeds and made into full Square orders when served, so that 300,000
of them cost little memory and start-up time.
"""

from __future__ import annotations

import base64
import hashlib
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connectors.square.sandbox_index import stamp, to_millis
from hub.sandbox import Person, Population, SourceSpelling

SEEDED_UNTIL = datetime(2025, 1, 1, tzinfo=UTC)
"""Seeded items were created and last changed before this; changes made by tests come after."""
SEED_YEARS = 3
DAY_MS = 86_400_000
SPELLING = SourceSpelling(
    upper_last_name=0.15, drop_accents=0.1, national_phone=0.35, missing_phone=0.15,
    missing_email=0.2, email_case=0.1, typo=0.03,
)  # fmt: skip
DUPLICATE_SHARE = 0.03
"""People with a second profile, created at a till from a phone number alone."""
LOYALTY_SHARE = 0.5
ONLINE_SHARE = 0.2
TENDER_ONLY_SHARE = 0.3
"""Till sales whose buyer is known only through the card tender."""
ANONYMOUS_SHARE = 0.15
"""Till sales without any customer (cash, no loyalty)."""
PRODUCTS = (
    ("Café crème", 350),
    ("Croissant au beurre", 180),
    ("Camiseta algodón orgánico", 2990),
    ("Bougie parfumée figuier", 2400),
    ("Keramikbecher", 1500),
    ("Tote bag lin", 1900),
    ("Cuaderno A5", 850),
    ("Duftkerze Zeder", 2600),
)
_URLSAFE_TO_ALNUM = str.maketrans("-_", "xQ")


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    country: str
    locality: str
    postal_code: str
    address_line_1: str

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "status": "ACTIVE",
            "type": "PHYSICAL",
            "country": self.country,
            "currency": "EUR",
            "timezone": "Europe/Paris",
            "address": {
                "address_line_1": self.address_line_1,
                "locality": self.locality,
                "postal_code": self.postal_code,
                "country": self.country,
            },
            "created_at": "2021-03-01T09:00:00.000Z",
        }


LOCATIONS = (
    Location("LFRPAR7K2M9QX", "Lumière Paris Marais", "FR", "Paris", "75004", "12 rue Vieille"),
    Location("LESMAD3H8W1ZB", "Vela Madrid Centro", "ES", "Madrid", "28013", "Calle Mayor 21"),
    Location("LDEBER5T4N6CV", "Nordhaus Berlin Mitte", "DE", "Berlin", "10115", "Torstraße 88"),
)


def native_id(salt: str, length: int, style: str = "mixed") -> str:
    """A Square-looking id derived from ``salt`` (the same salt, the same id): ``mixed`` case
    letters and digits like order ids, ``upper`` like customer ids, or ``digits``."""
    digest = hashlib.blake2b(salt.encode(), digest_size=30).digest()
    if style == "digits":
        return str(int.from_bytes(digest[:16], "big")).zfill(length)[:length]
    if style == "upper":
        return base64.b32encode(digest).decode("ascii")[:length]
    return base64.urlsafe_b64encode(digest).decode("ascii").translate(_URLSAFE_TO_ALNUM)[:length]


CATALOG_IDS = {name: native_id(f"catalog:{name}", 24, "upper") for name, _ in PRODUCTS}
"""The catalog item variation each product is sold as."""


def merchant_locations(count: int) -> tuple[Location, ...]:
    """The three flagship stores, then as many smaller ones as asked (a chain with more than
    the ten locations one SearchOrders call takes)."""
    extra = []
    for index in range(3, count):
        home = LOCATIONS[index % 3]
        extra.append(
            Location(
                "L" + native_id(f"location:{index}", 12, "upper"),
                f"{home.name.split()[0]} {home.locality} {index}",
                home.country,
                home.locality,
                home.postal_code,
                f"{index} {home.address_line_1}",
            )
        )
    return LOCATIONS[: max(1, count)] + tuple(extra)


def customer_id(salt: str) -> str:
    return native_id(f"customer:{salt}", 26, "upper")


@dataclass(frozen=True)
class OrderSeed:
    """Enough to rebuild an order: everything else follows from its id."""

    id: str
    location_id: str
    customer_id: str | None
    on_tender_only: bool
    online: bool
    source_name: str | None
    """``None`` as the Point of Sale app mostly leaves it; "Square Online" for web orders."""
    created_at: int
    updated_at: int
    version: int = 1


def customer_payload(
    person: Person, key: str, created: int, updated: int, rng: random.Random, *, phone_only: bool
) -> dict[str, Any]:
    spelled = SPELLING.spell(person, f"square:{key}")
    customer: dict[str, Any] = {
        "id": key,
        "created_at": stamp(created),
        "updated_at": stamp(updated),
        "given_name": spelled.first_name,
        "family_name": spelled.last_name,
        "creation_source": "DIRECTORY" if phone_only else rng.choice(("DIRECTORY", "THIRD_PARTY")),
        "preferences": {"email_unsubscribed": rng.random() < 0.25},
        "version": rng.randint(1, 5),
    }
    if phone_only:
        customer["phone_number"] = person.national_phone()
        return customer
    if spelled.email:
        customer["email_address"] = spelled.email
    if spelled.phone:
        customer["phone_number"] = spelled.phone
    customer["address"] = {
        "address_line_1": person.street,
        "locality": person.city,
        "postal_code": person.postcode,
        "country": person.country,
    }
    roll = rng.random()
    if roll < 0.6:
        customer["birthday"] = person.birth_date.isoformat()
    elif roll < 0.7:
        customer["birthday"] = "0000-" + person.birth_date.isoformat()[5:]  # no year given
    if rng.random() < 0.3:
        customer["reference_id"] = f"CRM-{native_id(person.person_id, 8, 'digits')}"
    return customer


@dataclass(frozen=True)
class SeededCustomer:
    person: Person
    payload: dict[str, Any]
    created_at: int
    updated_at: int
    phone_only: bool


def seed_customers(
    population: Population, share: float, rng: random.Random
) -> list[SeededCustomer]:
    end = to_millis(SEEDED_UNTIL)
    start = end - SEED_YEARS * 365 * DAY_MS
    customers = []
    for person in population.sample(share, "square"):
        copies = 2 if rng.random() < DUPLICATE_SHARE else 1
        for copy in range(copies):
            key = customer_id(f"{population.seed}:{person.person_id}:{copy}")
            created = rng.randrange(start, end - DAY_MS)
            updated = created + rng.randrange(0, min(400 * DAY_MS, end - created))
            payload = customer_payload(person, key, created, updated, rng, phone_only=copy == 1)
            customers.append(SeededCustomer(person, payload, created, updated, copy == 1))
    return customers


def _till_source(rng: random.Random) -> str | None:
    return "Square Point of Sale" if rng.random() < 0.3 else None


def location_for(person: Person, rng: random.Random, locations: tuple[Location, ...]) -> Location:
    """Mostly a store of the person's own country, sometimes one visited abroad."""
    home = [location for location in locations if location.country == person.country]
    return rng.choice(home) if home and rng.random() < 0.85 else rng.choice(locations)


def seed_orders(
    customers: list[SeededCustomer],
    per_customer: float,
    locations: tuple[Location, ...],
    rng: random.Random,
    salt: str,
) -> list[OrderSeed]:
    end = to_millis(SEEDED_UNTIL)
    seeds: list[OrderSeed] = []
    for customer in customers:
        count = int(per_customer) + (rng.random() < per_customer % 1)
        for _ in range(count):
            online = rng.random() < ONLINE_SHARE
            anonymous = not online and rng.random() < ANONYMOUS_SHARE
            created = rng.randrange(customer.created_at, end - 60_000)
            # Paid at once at a till; an online order changes again when it ships.
            later = rng.randrange(1000, min(5 * DAY_MS if online else 600_000, end - created))
            seeds.append(
                OrderSeed(
                    id=native_id(f"order:{salt}:{len(seeds)}", 27),
                    location_id=location_for(customer.person, rng, locations).id,
                    customer_id=None if anonymous else customer.payload["id"],
                    on_tender_only=not online and rng.random() < TENDER_ONLY_SHARE,
                    online=online,
                    source_name="Square Online" if online else _till_source(rng),
                    created_at=created,
                    updated_at=created + later,
                )
            )
    return seeds


def order_payload(seed: OrderSeed) -> dict[str, Any]:
    """The full order a seed stands for; the same seed always gives the same order.

    Its details are drawn from the bytes of a hash of its id (cheaper than a seeded Random).
    """
    draw = hashlib.blake2b(seed.id.encode(), digest_size=32).digest()
    lines: list[dict[str, Any]] = []
    total_amount = 0
    for index in range(1 + draw[0] % 4):
        name, price = PRODUCTS[draw[1 + 2 * index] % len(PRODUCTS)]
        quantity = 1 + draw[2 + 2 * index] % 3
        lines.append(
            {
                "uid": f"{seed.id[:8]}-{index}",
                "catalog_object_id": CATALOG_IDS[name],
                "name": name,
                "quantity": str(quantity),
                "base_price_money": {"amount": price, "currency": "EUR"},
                "total_money": {"amount": price * quantity, "currency": "EUR"},
            }
        )
        total_amount += price * quantity
    total = {"amount": total_amount, "currency": "EUR"}
    card = seed.online or seed.customer_id is not None or draw[9] < 154  # 60% of the others
    tender: dict[str, Any] = {
        "id": base64.urlsafe_b64encode(draw[10:26])
        .decode("ascii")
        .translate(_URLSAFE_TO_ALNUM)[:22],
        "location_id": seed.location_id,
        "type": "CARD" if card else "CASH",
        "amount_money": dict(total),
    }
    order: dict[str, Any] = {
        "id": seed.id,
        "location_id": seed.location_id,
        "line_items": lines,
        "total_money": total,
        "tenders": [tender],
        "state": "COMPLETED",
        "created_at": stamp(seed.created_at),
        "updated_at": stamp(seed.updated_at),
        "closed_at": stamp(seed.updated_at),
        "version": seed.version,
    }
    if seed.source_name is not None:
        order["source"] = {"name": seed.source_name}
    if seed.online:
        order["reference_id"] = f"WEB-{native_id(seed.id, 6, 'digits')}"
    if seed.customer_id is not None:
        tender["customer_id"] = seed.customer_id
        if not seed.on_tender_only:
            order["customer_id"] = seed.customer_id
    return order


def loyalty_payload(person: Person, customer: dict[str, Any], program_id: str) -> dict[str, Any]:
    created = customer["created_at"]
    digest = hashlib.blake2b(customer["id"].encode(), digest_size=16).digest()
    account_id = str(uuid.UUID(bytes=digest, version=4))
    return {
        "id": account_id,
        "program_id": program_id,
        "balance": int(hashlib.blake2b(account_id.encode(), digest_size=2).hexdigest(), 16) % 400,
        "lifetime_points": 400,
        "customer_id": customer["id"],
        "mapping": {
            "id": native_id(f"mapping:{account_id}", 26),
            "phone_number": person.phone,  # Square Loyalty keeps phones in E.164
            "created_at": created,
        },
        "enrolled_at": created,
        "created_at": created,
        "updated_at": customer["updated_at"],
    }


def order_meta(order: dict[str, Any]) -> dict[str, Any]:
    """The searchable attributes of a full order (one set by a test, or a raw payload)."""
    tenders = order.get("tenders")
    customers = {order.get("customer_id")} | {
        t.get("customer_id")
        for t in (tenders if isinstance(tenders, list) else ())
        if isinstance(t, dict)
    }
    source = order.get("source")
    source = source if isinstance(source, dict) else {}
    return {
        "location_id": order.get("location_id"),
        "customer_ids": frozenset(c for c in customers if isinstance(c, str)),
        "state": order.get("state"),
        "source_name": source.get("name"),
    }


def seed_meta(seed: OrderSeed) -> dict[str, Any]:
    return {
        "created_at": seed.created_at,
        "updated_at": seed.updated_at,
        "closed_at": seed.updated_at,
        "location_id": seed.location_id,
        "customer_ids": frozenset({seed.customer_id} if seed.customer_id else ()),
        "state": "COMPLETED",
        "source_name": seed.source_name,
    }
