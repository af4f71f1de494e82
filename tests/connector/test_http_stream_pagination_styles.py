"""HttpStream with the two other pagination styles, end to end: Shopify's ``Link`` header
(without the first request's filters) and Square's cursor sent back in the search body."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from hub.connector import ConnectorRuntime, CursorPaginator, LinkHeaderPaginator, StreamCursor
from hub.sandbox import serve
from tests.connector.people_api import PeopleStream, day, person
from tests.connector.stream_reading import cursor_of, first_page, ids, people_stream, read_all


class ShopApi:
    """Shopify's style: the next page is a URL in ``Link``; its ``page_info`` must not be sent
    with the first request's filters again (Shopify answers 400)."""

    def __init__(self, customers: list[dict[str, Any]]) -> None:
        self.customers = customers
        self.queries: list[dict[str, str]] = []
        self.app = web.Application()
        self.app.router.add_get("/admin/customers.json", self.list_customers)

    async def list_customers(self, request: web.Request) -> web.Response:
        query = dict(request.query)
        self.queries.append(query)
        if "page_info" in query and "updated_at_min" in query:
            return web.json_response({"errors": "page_info takes no other filter"}, status=400)
        offset = int(query.get("page_info", "0"))
        limit = int(query["limit"])
        headers = {}
        if offset + limit < len(self.customers):
            url = request.url.with_query({"limit": str(limit), "page_info": str(offset + limit)})
            headers["Link"] = f'<{url}>; rel="next"'
        body = {"customers": self.customers[offset : offset + limit]}
        return web.json_response(body, headers=headers)


class ShopCustomers(PeopleStream):
    name = "customers"
    path = "/admin/customers.json"
    items_path = "customers"
    paginator = LinkHeaderPaginator()

    def params(self, since: datetime | None) -> dict[str, str]:
        return {"limit": "2", **({"updated_at_min": since.isoformat()} if since else {})}


async def test_link_header_pages_are_followed_without_the_first_filters(
    runtime: ConnectorRuntime,
) -> None:
    api = ShopApi([person(n) for n in range(1, 6)])
    saved = StreamCursor(watermark=day(1, minute=10).isoformat()).dump()
    async with serve(api.app) as base:
        pages = await read_all(people_stream(base, runtime, ShopCustomers), saved)
    assert ids(pages) == [["1", "2"], ["3", "4"], ["5"]]
    assert api.queries == [
        {"limit": "2", "updated_at_min": day(1, minute=5).isoformat()},
        {"limit": "2", "page_info": "2"},
        {"limit": "2", "page_info": "4"},
    ]
    assert cursor_of(pages[0]).next == f"{base}/admin/customers.json?limit=2&page_info=2"


class SquareApi:
    """Square's search style: POST a query; the cursor goes back in the same JSON body."""

    def __init__(self, customers: list[dict[str, Any]]) -> None:
        self.customers = customers
        self.bodies: list[dict[str, Any]] = []
        self.app = web.Application()
        self.app.router.add_post("/v2/customers/search", self.search)

    async def search(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.bodies.append(body)
        offset = int(body.get("cursor", "0"))
        end = offset + body["limit"]
        page: dict[str, Any] = {"customers": self.customers[offset:end]}
        if end < len(self.customers):
            page["cursor"] = str(end)
        return web.json_response(page)


class SquareCustomers(PeopleStream):
    name = "customers"
    method = "POST"
    path = "/v2/customers/search"
    items_path = "customers"
    paginator = CursorPaginator("cursor", body_field="cursor")

    def params(self, since: datetime | None) -> dict[str, str]:
        return {}

    def body(self, since: datetime | None) -> Any:
        start = since.isoformat() if since else "1970-01-01T00:00:00+00:00"
        return {"limit": 2, "query": {"filter": {"updated_at": {"start_at": start}}}}


async def test_a_body_cursor_is_sent_back_with_the_same_search(
    runtime: ConnectorRuntime,
) -> None:
    api = SquareApi([person(n) for n in range(1, 6)])
    async with serve(api.app) as base:
        first = await first_page(people_stream(base, runtime, SquareCustomers), None)
        resumed = await read_all(people_stream(base, runtime, SquareCustomers), first.cursor)
    assert ids([first, *resumed]) == [["1", "2"], ["3", "4"], ["5"]]
    search = {
        "limit": 2,
        "query": {"filter": {"updated_at": {"start_at": "1970-01-01T00:00:00+00:00"}}},
    }
    assert api.bodies == [search, {**search, "cursor": "2"}, {**search, "cursor": "4"}]
