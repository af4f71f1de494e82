"""A fake Shopify shop: the Admin REST endpoints the connector reads, and signed webhooks.

It follows Shopify where a connector can go wrong: the ``X-Shopify-Access-Token`` check and its
401 text, ``limit`` (default 50, at most 250), ``page_info`` cursors in the ``Link`` header that
refuse filters beside them, orders filtered to ``status=open`` unless asked otherwise, the
``X-Shopify-Shop-Api-Call-Limit`` leaky bucket with 429 and ``Retry-After``, and webhooks
signed base64 HMAC-SHA256 with the app's client secret. Customers are 60 % of the shared
population, spelled the way shoppers type themselves in; each orders about three times.
"""

from __future__ import annotations

import base64
import json
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from aiohttp import web

from connectors.shopify.sandbox_bucket import CallBucket
from connectors.shopify.sandbox_data import CustomerRow, OrderRow, generate
from connectors.shopify.sandbox_documents import (
    REMOVED,
    customer_document,
    customer_text,
    order_document,
    order_text,
)
from connectors.shopify.sandbox_paging import Filters, PageInfo, SortedRows, select_page
from connectors.shopify.sandbox_requests import (
    BadRequest,
    filters_from,
    limit_from,
    page_info_from,
)
from hub.connector import hmac_sha256
from hub.sandbox import (
    Faults,
    Person,
    Population,
    Sandbox,
    SandboxConfig,
    WebhookDelivery,
    faults_middleware,
    install_faults,
)

API_VERSION = "2024-10"
UNRECOGNIZED_LOGIN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _error(status: int, message: str) -> dict[str, Any]:
    return {"errors": message}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return web.Response(
        body=body, status=status, headers=headers, content_type="application/json", charset="utf-8"
    )


class ShopifySandbox(Sandbox):
    connector_type: ClassVar[str] = "shopify"

    def __init__(
        self,
        population: Population,
        *,
        faults: Faults | None = None,
        share: float = 0.6,
        brand: str = "lumiere",
    ) -> None:
        super().__init__(population, faults=faults)
        self.brand = brand
        self.shop_domain = f"{brand}-shop.myshopify.com"
        self.access_token = f"shpat_sandbox_{population.seed:04d}_{brand}"
        self.webhook_secret = f"shpss_sandbox_{population.seed:04d}_{brand}"
        self.bucket = CallBucket()
        self._rng = random.Random(f"{population.seed}:shopify-webhooks")
        people = population.sample(share, "shopify")
        in_shop = {person.person_id for person in people}
        others = [
            p for p in population.sample(0.05, "shopify-guests") if p.person_id not in in_shop
        ]
        customers, orders = generate(people, others, f"{population.seed}:shopify")
        self.customers = SortedRows(customers)
        self.orders = SortedRows(orders)

    # -- tests and demos change the shop through these ------------------------------------

    def customer(self, customer_id: int) -> dict[str, Any]:
        """The customer's REST JSON, as ``GET customers/{id}.json`` returns it."""
        return customer_document(self.customers.by_id[customer_id])

    def order(self, order_id: int) -> dict[str, Any]:
        return order_document(self.orders.by_id[order_id])

    def update_customer(self, customer_id: int, **changes: Any) -> dict[str, Any]:
        """Change fields of the customer's JSON (``REMOVED`` deletes one); bumps updated_at."""
        row = self.customers.by_id[customer_id]
        row.overrides = {**(row.overrides or {}), **changes}
        self.customers.touch(row, self._now_after(row.updated))
        return customer_document(row)

    def update_order(self, order_id: int, **changes: Any) -> dict[str, Any]:
        row = self.orders.by_id[order_id]
        row.overrides = {**(row.overrides or {}), **changes}
        self.orders.touch(row, self._now_after(row.updated))
        return order_document(row)

    def add_customer(self, person: Person) -> dict[str, Any]:
        now = self._now_after(0)
        row = CustomerRow(
            id=max(self.customers.by_id, default=6_900_000_000_000) + 1013,
            person=person,
            created=now,
            updated=now,
            state="enabled",
            email_consent=None,
            sms_consent=None,
            address_phone=None,
        )
        self.customers.add(row)
        return customer_document(row)

    def delete_customer(self, customer_id: int) -> None:
        self.customers.remove(customer_id)

    @staticmethod
    def _now_after(previous: int) -> int:
        """Now in whole seconds, and always later than the previous version."""
        return max(int(time.time()), previous + 1)

    # -- plugins.toml and webhooks ---------------------------------------------------------

    def config(self, base_url: str, instance: str) -> SandboxConfig:
        suffix = instance.upper().replace("-", "_")
        token_var, secret_var = f"SHOPIFY_TOKEN_{suffix}", f"SHOPIFY_WEBHOOK_SECRET_{suffix}"
        table = {
            "type": self.connector_type,
            "base_url": f"{base_url.rstrip('/')}/admin/api/{API_VERSION}",
            "access_token": f"${{{token_var}}}",
            "webhook_secret": f"${{{secret_var}}}",
            "brand": self.brand,
        }
        return SandboxConfig(table, {token_var: self.access_token, secret_var: self.webhook_secret})

    def webhook(
        self, topic: str, resource: Any, *, target_url: str, event_id: str | None = None
    ) -> WebhookDelivery:
        """A delivery as Shopify sends it; pass the ``event_id`` of an earlier one to redeliver."""
        body = json.dumps(resource, ensure_ascii=False, separators=(",", ":")).encode()
        signature = base64.b64encode(hmac_sha256(self.webhook_secret, body)).decode()
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": signature,
            "X-Shopify-Shop-Domain": self.shop_domain,
            "X-Shopify-Webhook-Id": str(uuid.UUID(int=self._rng.getrandbits(128))),
            "X-Shopify-Event-Id": event_id or str(uuid.UUID(int=self._rng.getrandbits(128))),
            "X-Shopify-API-Version": API_VERSION,
            "X-Shopify-Triggered-At": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        }
        return WebhookDelivery(headers, body)

    def webhook_samples(self) -> list[tuple[str, Any]]:
        """A customer and an order just changed in the shop admin, as their webhooks carry them."""
        customer_id = next(iter(self.customers.by_id))
        order_id = next(iter(self.orders.by_id))
        return [
            ("customers/update", self.update_customer(customer_id, note="Called the shop")),
            ("orders/updated", self.update_order(order_id, note="Gift wrap")),
        ]

    # -- the HTTP API -----------------------------------------------------------------------

    def create_app(self) -> web.Application:
        app = web.Application(middlewares=[faults_middleware(_error, sends_retry_after=True)])
        install_faults(app, self.faults)
        prefix = "/admin/api/{version}"
        routes = [
            ("/customers/count.json", self._count_customers),
            ("/customers/{id:\\d+}.json", self._get_customer),
            ("/customers.json", self._list_customers),
            ("/orders/count.json", self._count_orders),
            ("/orders/{id:\\d+}.json", self._get_order),
            ("/orders.json", self._list_orders),
        ]
        for path, handler in routes:
            app.router.add_get(prefix + path, self._guarded(handler))
        return app

    def _guarded(self, handler: Handler) -> Handler:
        """Token check, call bucket and the headers every answer carries."""

        async def guarded(request: web.Request) -> web.StreamResponse:
            if request.headers.get("X-Shopify-Access-Token") != self.access_token:
                return _json(_error(401, UNRECOGNIZED_LOGIN), 401)
            wait = self.bucket.take()
            if wait is not None:
                message = "Exceeded 2 calls per second for api client. Reduce request rates."
                return _json({"errors": message}, 429, {"Retry-After": f"{wait:.2f}"})
            try:
                response = await handler(request)
            except BadRequest as exc:
                response = _json({"errors": exc.errors}, 400)
            response.headers["X-Shopify-Shop-Api-Call-Limit"] = self.bucket.header()
            response.headers["X-Shopify-API-Version"] = API_VERSION
            response.headers["X-Request-Id"] = str(uuid.uuid4())
            return response

        return guarded

    async def _list_customers(self, request: web.Request) -> web.StreamResponse:
        return self._list(request, "customers", self.customers, customer_text, None)

    async def _list_orders(self, request: web.Request) -> web.StreamResponse:
        return self._list(request, "orders", self.orders, order_text, "open")

    async def _count_customers(self, request: web.Request) -> web.StreamResponse:
        return _json({"count": self._count(request, self.customers, None)})

    async def _count_orders(self, request: web.Request) -> web.StreamResponse:
        return _json({"count": self._count(request, self.orders, "open")})

    async def _get_customer(self, request: web.Request) -> web.StreamResponse:
        row = self.customers.by_id.get(int(request.match_info["id"]))
        if row is None:
            return _json(_error(404, "Not Found"), 404)
        return _json({"customer": customer_document(row)})

    async def _get_order(self, request: web.Request) -> web.StreamResponse:
        row = self.orders.by_id.get(int(request.match_info["id"]))
        if row is None:
            return _json(_error(404, "Not Found"), 404)
        return _json({"order": order_document(row)})

    def _count(self, request: web.Request, table: SortedRows[Any], status: str | None) -> int:
        filters = filters_from(request.query, default_status=status)
        low, high = filters.bounds(table.keys)
        matches = _matcher(filters)
        return sum(1 for row in table.rows(low, high) if matches(row))

    def _list(
        self,
        request: web.Request,
        name: str,
        table: SortedRows[Any],
        text: Callable[[Any], str],
        default_status: str | None,
    ) -> web.Response:
        limit = limit_from(request.query)
        page_info = page_info_from(request.query)
        filters = (
            page_info.filters
            if page_info is not None
            else filters_from(request.query, default_status=default_status)
        )
        page = select_page(table, filters, _matcher(filters), limit, page_info)
        items = [text(row) for row in page.rows]
        fields = [f for f in request.query.get("fields", "").split(",") if f]
        if fields:
            items = [_only(item, fields) for item in items]
        links = []
        url = f"{request.url.origin()}{request.path}?limit={limit}&page_info="
        if page.rows and page.has_previous:
            token = PageInfo("prev", page.first_key(), filters).encode()
            links.append(f'<{url}{token}>; rel="previous"')
        if page.rows and page.has_next:
            token = PageInfo("next", page.last_key(), filters).encode()
            if page_info is not None and self.faults.take("repeat_token"):
                token = request.query["page_info"]  # the page just served, again
            links.append(f'<{url}{token}>; rel="next"')
        headers = {"Link": ", ".join(links)} if links else {}
        body = f'{{"{name}":[{",".join(items)}]}}'.encode()
        return web.Response(
            body=body, headers=headers, content_type="application/json", charset="utf-8"
        )


def _only(text: str, fields: list[str]) -> str:
    """The ``fields=`` parameter: only the keys asked for."""
    document = json.loads(text)
    return json.dumps({key: document[key] for key in fields if key in document})


def _matcher(filters: Filters) -> Callable[[Any], bool]:
    """The filters a bisect cannot apply: creation time and order status."""
    created_min, created_max, status = (
        filters.created_at_min,
        filters.created_at_max,
        filters.status,
    )

    def matches(row: CustomerRow | OrderRow) -> bool:
        if created_min is not None and row.created < created_min:
            return False
        if created_max is not None and row.created > created_max:
            return False
        return status in (None, "any") or (isinstance(row, OrderRow) and row.status == status)

    return matches


__all__ = ["REMOVED", "CallBucket", "ShopifySandbox"]
