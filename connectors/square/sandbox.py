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
import json
import random
import re
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from connectors.square.sandbox_data import (
    LOCATIONS,
    LOYALTY_SHARE,
    SEEDED_UNTIL,
    Location,
    OrderSeed,
    customer_id,
    loyalty_payload,
    order_meta,
    order_payload,
    seed_customers,
    seed_meta,
    seed_orders,
)
from connectors.square.sandbox_index import (
    Collection,
    CursorError,
    QueryCache,
    Results,
    decode_cursor,
    encode_cursor,
    page_after,
    parse_time,
    signature,
    stamp,
    to_millis,
)
from connectors.square.sandbox_queries import (
    QueryError,
    customer_results,
    loyalty_results,
    order_results,
    read_limit,
)
from hub.connector.webhooks import hmac_sha256
from hub.sandbox import (
    Faults,
    Population,
    Sandbox,
    SandboxConfig,
    WebhookDelivery,
    faults_middleware,
    install_faults,
)
from hub.sandbox.faults import ADMIN_PREFIX

SANDBOX_TOKEN = "EAAAl-sandbox-square-access-token"  # noqa: S105 - the sandbox's public test token
SANDBOX_SIGNATURE_KEY = "sandbox-square-signature-key"
SQUARE_VERSION = "2024-10-17"
MERCHANT_ID = "MLSANDBOX7Q2WX"
_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FAULT_ERRORS = {
    429: ("RATE_LIMIT_ERROR", "RATE_LIMITED"),
    500: ("API_ERROR", "INTERNAL_SERVER_ERROR"),
    502: ("API_ERROR", "BAD_GATEWAY"),
    503: ("API_ERROR", "SERVICE_UNAVAILABLE"),
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def square_errors(category: str, code: str, detail: str, field: str | None = None) -> Any:
    error = {"category": category, "code": code, "detail": detail}
    if field is not None:
        error["field"] = field
    return {"errors": [error]}


def fault_error_body(status: int, message: str) -> Any:
    category, code = _FAULT_ERRORS.get(status, ("API_ERROR", "INTERNAL_SERVER_ERROR"))
    return square_errors(category, code, message)


def _bad_request(code: str, detail: str, field: str | None = None) -> web.Response:
    return web.json_response(
        square_errors("INVALID_REQUEST_ERROR", code, detail, field), status=400
    )


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
        self.locations: tuple[Location, ...] = LOCATIONS[: max(1, min(3, location_count))]
        self.access_token = SANDBOX_TOKEN
        self.signature_key = SANDBOX_SIGNATURE_KEY
        self.square_versions: Counter[str | None] = Counter()
        """Square-Version headers received; ``None`` counts requests without one."""
        self._last_change = to_millis(SEEDED_UNTIL)
        self._cache = QueryCache()
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
        @web.middleware
        async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
            if request.path.startswith(ADMIN_PREFIX):
                return await handler(request)
            if request.headers.get("Authorization") != f"Bearer {self.access_token}":
                body = square_errors(
                    "AUTHENTICATION_ERROR", "UNAUTHORIZED", "This request could not be authorized."
                )
                return web.json_response(body, status=401)
            version = request.headers.get("Square-Version")
            self.square_versions[version] += 1
            if version is not None and not _VERSION.match(version):
                return _bad_request(
                    "INVALID_SQUARE_VERSION_FORMAT", f"Invalid Square-Version `{version}`."
                )
            try:
                return await handler(request)
            except QueryError as exc:
                return _bad_request(exc.code, exc.detail, exc.field)

        app = web.Application(
            middlewares=[
                faults_middleware(fault_error_body, sends_retry_after=False),
                authenticate,
            ]
        )
        install_faults(app, self.faults)
        app.router.add_get("/v2/locations", self._locations)
        app.router.add_get("/v2/customers", self._list_customers)
        app.router.add_post("/v2/customers/search", self._search_customers)
        app.router.add_post("/v2/orders/search", self._search_orders)
        app.router.add_post("/v2/orders/batch-retrieve", self._batch_retrieve_orders)
        app.router.add_post("/v2/loyalty/accounts/search", self._search_loyalty_accounts)
        return app

    async def _locations(self, request: web.Request) -> web.Response:
        return web.json_response({"locations": [loc.payload() for loc in self.locations]})

    async def _list_customers(self, request: web.Request) -> web.Response:
        params = request.query
        text = params.get("limit", "100")
        if not text.lstrip("-").isdigit():
            raise QueryError("EXPECTED_INTEGER", "Expected an integer value.", "limit")
        limit = read_limit({"limit": int(text)}, 100, 100)
        sort = {"field": params.get("sort_field"), "order": params.get("sort_order")}
        query = {"sort": {k: v for k, v in sort.items() if v is not None}}
        return self._page(
            self.customers, ["list", query], lambda: customer_results(self.customers, query),
            params.get("cursor"), limit, "customers",
        )  # fmt: skip

    async def _search_customers(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        limit = read_limit(body, 100, 100)
        query = body.get("query") or {}
        return self._page(
            self.customers, ["search", query], lambda: customer_results(self.customers, query),
            body.get("cursor"), limit, "customers",
        )  # fmt: skip

    async def _search_orders(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        limit = read_limit(body, 500, 1000)
        known = {loc.id for loc in self.locations}
        shape = [body.get("location_ids"), body.get("query")]
        entries = bool(body.get("return_entries"))
        return self._page(
            self.orders, shape, lambda: order_results(self.orders, body, known),
            body.get("cursor"), limit, "order_entries" if entries else "orders",
        )  # fmt: skip

    async def _batch_retrieve_orders(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        ids = body.get("order_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise QueryError("BAD_REQUEST", "order_ids must list 1 to 100 ids.", "order_ids")
        location = body.get("location_id")
        found = [
            self.orders.payload(key)
            for key in dict.fromkeys(str(i) for i in ids)
            if key in self.orders.payloads
            and (location is None or self.orders.meta[key]["location_id"] == location)
        ]
        return web.json_response({"orders": found} if found else {})

    async def _search_loyalty_accounts(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        limit = read_limit(body, 30, 200)
        return self._page(
            self.loyalty_accounts, ["loyalty", body.get("query")],
            lambda: loyalty_results(self.loyalty_accounts, body),
            body.get("cursor"), limit, "loyalty_accounts",
        )  # fmt: skip

    def _page(
        self,
        collection: Collection,
        query: Any,
        compute: Callable[[], Results],
        cursor: Any,
        limit: int,
        items_key: str,
    ) -> web.Response:
        query_signature = signature(query)
        after = None
        if cursor is not None:
            try:
                after = decode_cursor(str(cursor), query_signature)
            except CursorError as exc:
                raise QueryError("INVALID_CURSOR", str(exc), "cursor") from None
        results, descending = self._cache.results(collection, query_signature, compute)
        chunk, more = page_after(results, after, limit, descending)
        body: dict[str, Any] = {}
        if chunk:  # Square leaves the list out of an empty answer
            body[items_key] = [self._item(collection, key, items_key) for _, key in chunk]
        next_cursor = encode_cursor(query_signature, chunk[-1]) if more else None
        if cursor is not None and self.faults.take("repeat_token"):
            next_cursor = str(cursor)
        if next_cursor is not None:
            body["cursor"] = next_cursor
        return web.json_response(body, dumps=_dumps)

    def _item(self, collection: Collection, key: str, items_key: str) -> Any:
        payload = collection.payload(key)
        if items_key != "order_entries":
            return payload
        meta = collection.meta[key]
        return {
            "order_id": key,
            "location_id": meta["location_id"],
            "version": payload.get("version"),
        }

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

    def webhook(self, topic: str, resource: Any, *, target_url: str) -> WebhookDelivery:
        body = _dumps(self.event(topic, resource)).encode("utf-8")
        digest = hmac_sha256(self.signature_key, target_url.encode("utf-8") + body)
        headers = {
            "Content-Type": "application/json",
            "x-square-hmacsha256-signature": base64.b64encode(digest).decode("ascii"),
        }
        return WebhookDelivery(headers, body)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


async def _json_body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise QueryError("BAD_REQUEST", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise QueryError("BAD_REQUEST", "The request body must be a JSON object.")
    return body
