"""A fake of Square's Customers, Orders, Locations and Loyalty APIs, for tests and the demo.

What it keeps from Square: ``/v2`` paths; ``Authorization: Bearer`` refused with Square's
error shape; a missing ``Square-Version`` accepted (Square then uses the app's default) but
counted in :attr:`SquareSandbox.square_versions`; search bodies checked (limits, enums, the
sort field of SearchOrders matching its date filter, at most ten locations); opaque cursors
that belong to their query (another query with it: 400); empty pages without the list; 429
``RATE_LIMITED`` without ``Retry-After``; webhooks signed over notification URL + body.
"""

from __future__ import annotations

import base64
import copy
import random
import re
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from connectors.square.sandbox_data import (
    LOYALTY_SHARE,
    SEEDED_UNTIL,
    Location,
    OrderSeed,
    customer_id,
    loyalty_payload,
    merchant_locations,
    order_meta,
    order_payload,
    seed_customers,
    seed_meta,
    seed_orders,
)
from connectors.square.sandbox_http import SquareApi, compact_json
from connectors.square.sandbox_index import (
    Collection,
    parse_time,
    stamp,
    to_millis,
)
from hub.connector.webhooks import hmac_sha256
from hub.sandbox import (
    Faults,
    Population,
    Sandbox,
    SandboxConfig,
    WebhookDelivery,
)

SANDBOX_TOKEN = "EAAAl-sandbox-square-access-token"
SANDBOX_SIGNATURE_KEY = "sandbox-square-signature-key"
SQUARE_VERSION = "2024-10-17"
MERCHANT_ID = "MLSANDBOX7Q2WX"


def customer_meta(customer: dict[str, Any], created: int, updated: int) -> dict[str, Any]:
    """Searchable attributes; names sort as Square's DEFAULT order does."""
    names = [customer.get(k) for k in ("given_name", "family_name")]
    name_key = " ".join(str(n) for n in names if n) or str(
        customer.get("company_name") or customer.get("email_address") or ""
    )
    return {
        "created_at": created,
        "updated_at": updated,
        "email": customer.get("email_address"),
        "phone": customer.get("phone_number"),
        "reference_id": customer.get("reference_id"),
        "name_key": name_key.lower(),
    }


def _materialize_order(item: Any) -> Any:
    return order_payload(item) if isinstance(item, OrderSeed) else item


class SquareSandbox(Sandbox):
    connector_type = "square"

    def __init__(
        self,
        population: Population,
        *,
        faults: Faults | None = None,
        customer_share: float = 0.4,
        orders_per_customer: float = 1.5,
        location_count: int = 3,
    ) -> None:
        super().__init__(population, faults=faults)
        rng = random.Random(f"square:{population.seed}")
        self.locations: tuple[Location, ...] = merchant_locations(location_count)
        self.access_token = SANDBOX_TOKEN
        self.signature_key = SANDBOX_SIGNATURE_KEY
        self.square_versions: Counter[str | None] = Counter()
        """Square-Version headers received; ``None`` counts requests without one."""
        self._last_change = to_millis(SEEDED_UNTIL)
        seeded = seed_customers(population, customer_share, rng)
        self.customers = Collection(("created_at", "updated_at"), lambda item: item)
        self.customers.load(
            (c.payload["id"], c.payload, customer_meta(c.payload, c.created_at, c.updated_at))
            for c in seeded
        )
        seeds = seed_orders(seeded, orders_per_customer, self.locations, rng, str(population.seed))
        self.orders = Collection(("created_at", "updated_at", "closed_at"), _materialize_order)
        self.orders.load((seed.id, seed, seed_meta(seed)) for seed in seeds)
        program = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        # A phone maps to one account per program: a person with a till-made profile (made
        # when they joined the programme) holds the account there, and only there.
        joined_at_till = {c.person.person_id for c in seeded if c.phone_only}
        accounts = [
            loyalty_payload(c.person, c.payload, program)
            for c in seeded
            if c.phone_only
            or (c.person.person_id not in joined_at_till and rng.random() < LOYALTY_SHARE)
        ]
        self.loyalty_accounts = Collection(("created_at", "updated_at"), lambda item: item)
        self.loyalty_accounts.load((a["id"], a, self._loyalty_meta(a)) for a in accounts)

    # Changes made by tests ----------------------------------------------------------------

    def tick(self) -> int:
        """Now in milliseconds, and always after the previous change."""
        self._last_change = max(to_millis(datetime.now(UTC)), self._last_change + 1)
        return self._last_change

    def customer(self, key: str) -> dict[str, Any]:
        return copy.deepcopy(self.customers.payload(key))

    def order(self, key: str) -> dict[str, Any]:
        return copy.deepcopy(self.orders.payload(key))

    def loyalty_account(self, key: str) -> dict[str, Any]:
        return copy.deepcopy(self.loyalty_accounts.payload(key))

    def update_customer(self, key: str, **changes: Any) -> dict[str, Any]:
        """Change fields of a customer as Square does: a new ``updated_at`` and ``version``."""
        customer = {**self.customer(key), **changes}
        now = self.tick()
        customer["updated_at"] = stamp(now)
        customer["version"] = int(customer.get("version") or 0) + 1
        created = self.customers.meta[key]["created_at"]
        self.customers.put(key, customer, customer_meta(customer, created, now))
        return self.customer(key)

    def add_customer(self, **fields: Any) -> dict[str, Any]:
        now = self.tick()
        key = str(fields.pop("id", None) or customer_id(f"added:{len(self.customers)}:{now}"))
        customer = {"id": key, "created_at": stamp(now), "updated_at": stamp(now), "version": 1}
        customer.update(fields)
        self.customers.put(key, customer, customer_meta(customer, now, now))
        return self.customer(key)

    def update_order(self, key: str, **changes: Any) -> dict[str, Any]:
        order = {**self.order(key), **changes}
        now = self.tick()
        order["updated_at"] = stamp(now)
        order["version"] = int(order.get("version") or 0) + 1
        meta = self.orders.meta[key]
        times = {
            "created_at": meta["created_at"],
            "updated_at": now,
            "closed_at": meta["closed_at"],
        }
        self.orders.put(key, order, {**times, **order_meta(order)})
        return self.order(key)

    def add_order(
        self,
        customer_id: str | None,
        *,
        location_id: str | None = None,
        online: bool = False,
        on_tender_only: bool = False,
    ) -> dict[str, Any]:
        now = self.tick()
        seed = OrderSeed(
            id=f"added{len(self.orders)}x{now}",
            location_id=location_id or self.locations[0].id,
            customer_id=customer_id,
            on_tender_only=on_tender_only,
            online=online,
            source_name="Square Online" if online else None,
            created_at=now,
            updated_at=now,
        )
        self.orders.put(seed.id, seed, seed_meta(seed))
        return self.order(seed.id)

    def update_loyalty_account(self, key: str, **changes: Any) -> dict[str, Any]:
        account = {**self.loyalty_account(key), **changes, "updated_at": stamp(self.tick())}
        self.loyalty_accounts.put(key, account, self._loyalty_meta(account))
        return self.loyalty_account(key)

    def put_raw(self, kind: str, payload: Any, *, at: datetime | None = None) -> str:
        """Store ``payload`` verbatim among ``kind`` ("customers", "orders",
        "loyalty_accounts"), listed as changed ``at`` (default: now): for malformed items."""
        collection: Collection = getattr(self, kind)
        when = to_millis(at) if at is not None else self.tick()
        item = payload if isinstance(payload, dict) else {}
        key = str(item.get("id") or f"raw-{len(collection)}-{when}")
        meta: dict[str, Any] = {"created_at": when, "updated_at": when}
        if kind == "customers":
            meta = customer_meta(item, when, when)
        elif kind == "orders":
            meta = {**meta, "closed_at": when, **order_meta(item)}
            if meta["location_id"] not in {loc.id for loc in self.locations}:
                meta["location_id"] = self.locations[0].id
        collection.put(key, payload, meta)
        return key

    def _loyalty_meta(self, account: dict[str, Any]) -> dict[str, Any]:
        mapping = account.get("mapping")
        mapping = mapping if isinstance(mapping, dict) else {}
        times = {}
        for name in ("created_at", "updated_at"):
            try:
                times[name] = parse_time(account.get(name))
            except ValueError:
                times[name] = self._last_change
        return {
            **times,
            "customer_id": account.get("customer_id"),
            "phone": mapping.get("phone_number"),
        }

    # The HTTP API ------------------------------------------------------------------------

    def create_app(self) -> web.Application:
        return SquareApi(self).app()

    # Configuration and webhooks -----------------------------------------------------------

    def config(self, base_url: str, instance: str) -> SandboxConfig:
        prefix = re.sub(r"\W", "_", instance).upper()
        token, key = f"{prefix}_SQUARE_TOKEN", f"{prefix}_SQUARE_SIGNATURE_KEY"
        table = {
            "type": "square",
            "base_url": f"{base_url.rstrip('/')}/v2",
            "access_token": f"${{{token}}}",
            "square_version": SQUARE_VERSION,
            "webhook_secret": f"${{{key}}}",
        }
        return SandboxConfig(table, {token: self.access_token, key: self.signature_key})

    def event(self, topic: str, resource: Any) -> dict[str, Any]:
        """The body Square posts for ``topic``; ``resource`` is an item or its id."""
        kind = topic.partition(".")[0]
        if kind == "customer":
            item = resource if isinstance(resource, dict) else self.customer(str(resource))
            found = {"customer": {k: v for k, v in item.items() if k != "segment_ids"}}
        elif kind == "order":
            item = resource if isinstance(resource, dict) else self.order(str(resource))
            fields = ["order_id", "version", "location_id", "state", "created_at", "updated_at"]
            if topic == "order.created":
                fields.remove("updated_at")
            values = {**item, "order_id": item.get("id")}
            found = {topic.replace(".", "_"): {f: values.get(f) for f in fields}}
        else:
            item = resource if isinstance(resource, dict) else {"id": resource}
            found = {kind: item}
        return {
            "merchant_id": MERCHANT_ID,
            "type": topic,
            "event_id": str(uuid.uuid4()),
            "created_at": stamp(to_millis(datetime.now(UTC))),
            "data": {"type": kind, "id": item.get("id"), "object": found},
        }

    def webhook_samples(self) -> list[tuple[str, Any]]:
        """A customer edited in the dashboard and an order updated at a till."""
        customer = self.update_customer(next(iter(self.customers.payloads)), note="VIP")
        order = self.update_order(next(iter(self.orders.payloads)), ticket_name="Table 4")
        return [("customer.updated", customer), ("order.updated", order)]

    def webhook(self, topic: str, resource: Any, *, target_url: str) -> WebhookDelivery:
        body = compact_json(self.event(topic, resource)).encode("utf-8")
        digest = hmac_sha256(self.signature_key, target_url.encode("utf-8") + body)
        headers = {
            "Content-Type": "application/json",
            "x-square-hmacsha256-signature": base64.b64encode(digest).decode("ascii"),
        }
        return WebhookDelivery(headers, body)
