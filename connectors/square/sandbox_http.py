"""The HTTP face of the Square sandbox: Square's paths, auth, error shapes and pagination.

Requests are checked in the order Square checks them: faults first (a 429 or a 5xx can come
before anything), then the bearer token, then ``Square-Version`` (absent is fine: Square
uses the application's default), then the body. Every search page is cut from a cached,
sorted result list (see :mod:`connectors.square.sandbox_index`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from connectors.square.sandbox_index import (
    Collection,
    CursorError,
    QueryCache,
    Results,
    decode_cursor,
    encode_cursor,
    page_after,
    signature,
)
from connectors.square.sandbox_queries import (
    QueryError,
    customer_results,
    loyalty_results,
    order_results,
    read_limit,
)
from hub.sandbox import faults_middleware, install_faults
from hub.sandbox.faults import ADMIN_PREFIX

if TYPE_CHECKING:
    from connectors.square.sandbox import SquareSandbox

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


class SquareApi:
    """The routes of one sandbox; the data stays on the sandbox, where tests change it."""

    def __init__(self, sandbox: SquareSandbox) -> None:
        self.sandbox = sandbox
        self._cache = QueryCache()

    def app(self) -> web.Application:
        @web.middleware
        async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
            if request.path.startswith(ADMIN_PREFIX):
                return await handler(request)
            if request.headers.get("Authorization") != f"Bearer {self.sandbox.access_token}":
                body = square_errors(
                    "AUTHENTICATION_ERROR", "UNAUTHORIZED", "This request could not be authorized."
                )
                return web.json_response(body, status=401)
            version = request.headers.get("Square-Version")
            self.sandbox.square_versions[version] += 1
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
        install_faults(app, self.sandbox.faults)
        app.router.add_get("/v2/locations", self._locations)
        app.router.add_get("/v2/customers", self._list_customers)
        app.router.add_post("/v2/customers/search", self._search_customers)
        app.router.add_post("/v2/orders/search", self._search_orders)
        app.router.add_post("/v2/orders/batch-retrieve", self._batch_retrieve_orders)
        app.router.add_post("/v2/loyalty/accounts/search", self._search_loyalty_accounts)
        return app

    async def _locations(self, request: web.Request) -> web.Response:
        return web.json_response({"locations": [loc.payload() for loc in self.sandbox.locations]})

    async def _list_customers(self, request: web.Request) -> web.Response:
        params = request.query
        text = params.get("limit", "100")
        if not text.lstrip("-").isdigit():
            raise QueryError("EXPECTED_INTEGER", "Expected an integer value.", "limit")
        limit = read_limit({"limit": int(text)}, 100, 100)
        sort = {"field": params.get("sort_field"), "order": params.get("sort_order")}
        query = {"sort": {k: v for k, v in sort.items() if v is not None}}
        customers = self.sandbox.customers
        return self._page(
            customers, ["list", query], lambda: customer_results(customers, query),
            params.get("cursor"), limit, "customers",
        )  # fmt: skip

    async def _search_customers(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        limit = read_limit(body, 100, 100)
        query = body.get("query") or {}
        customers = self.sandbox.customers
        return self._page(
            customers, ["search", query], lambda: customer_results(customers, query),
            body.get("cursor"), limit, "customers",
        )  # fmt: skip

    async def _search_orders(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        limit = read_limit(body, 500, 1000)
        known = {loc.id for loc in self.sandbox.locations}
        shape = [body.get("location_ids"), body.get("query")]
        entries = bool(body.get("return_entries"))
        return self._page(
            self.sandbox.orders, shape, lambda: order_results(self.sandbox.orders, body, known),
            body.get("cursor"), limit, "order_entries" if entries else "orders",
        )  # fmt: skip

    async def _batch_retrieve_orders(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        ids = body.get("order_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise QueryError("BAD_REQUEST", "order_ids must list 1 to 100 ids.", "order_ids")
        location = body.get("location_id")
        found = [
            self.sandbox.orders.payload(key)
            for key in dict.fromkeys(str(i) for i in ids)
            if key in self.sandbox.orders.payloads
            and (location is None or self.sandbox.orders.meta[key]["location_id"] == location)
        ]
        return web.json_response({"orders": found} if found else {})

    async def _search_loyalty_accounts(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        limit = read_limit(body, 30, 200)
        return self._page(
            self.sandbox.loyalty_accounts, ["loyalty", body.get("query")],
            lambda: loyalty_results(self.sandbox.loyalty_accounts, body),
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
        if cursor is not None and self.sandbox.faults.take("repeat_token"):
            next_cursor = str(cursor)
        if next_cursor is not None:
            body["cursor"] = next_cursor
        return web.json_response(body, dumps=compact_json)

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


def compact_json(data: Any) -> str:
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
