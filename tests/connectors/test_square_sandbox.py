"""The Square sandbox itself: Square's auth and error shapes, limits, query rules, cursors
tied to their query, keyset pages that stay right while data changes, and its seed data."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from connectors.square.sandbox import SquareSandbox
from connectors.square.sandbox_data import OrderSeed
from hub.sandbox import serve
from tests.connectors.square_kit import small_sandbox


@dataclass
class Client:
    session: aiohttp.ClientSession
    url: str
    sandbox: SquareSandbox

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        if headers is None:
            headers = {
                "Authorization": f"Bearer {self.sandbox.access_token}",
                "Square-Version": "2024-10-17",
            }
        async with self.session.request(
            method, self.url + path, json=body, headers=headers, params=params
        ) as response:
            return response.status, await response.json()

    async def all_pages(self, path: str, body: dict[str, Any], items: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        request = dict(body)
        while True:
            status, data = await self.call("POST", path, request)
            assert status == 200, data
            found += data.get(items, [])
            if "cursor" not in data:
                return found
            request["cursor"] = data["cursor"]


@pytest.fixture
async def client() -> AsyncIterator[Client]:
    sandbox = small_sandbox()
    async with serve(sandbox.create_app()) as url, aiohttp.ClientSession() as session:
        yield Client(session, url, sandbox)


def error_of(data: Any) -> tuple[str, str]:
    [error] = data["errors"]
    return error["category"], error["code"]


ALL_ORDERS = {
    "location_ids": ["LFRPAR7K2M9QX", "LESMAD3H8W1ZB", "LDEBER5T4N6CV"],
    "limit": 7,
    "query": {"sort": {"sort_field": "UPDATED_AT", "sort_order": "ASC"}},
}


async def test_a_missing_or_wrong_token_gets_square_s_401(client: Client) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "nope"}):
        status, data = await client.call("GET", "/v2/locations", headers=headers)
        assert status == 401
        assert error_of(data) == ("AUTHENTICATION_ERROR", "UNAUTHORIZED")
        assert data["errors"][0]["detail"]


async def test_a_missing_square_version_is_accepted_and_counted(client: Client) -> None:
    headers = {"Authorization": f"Bearer {client.sandbox.access_token}"}
    status, data = await client.call("GET", "/v2/locations", headers=headers)
    assert status == 200
    assert [loc["country"] for loc in data["locations"]] == ["FR", "ES", "DE"]
    status, data = await client.call(
        "GET", "/v2/locations", headers={**headers, "Square-Version": "latest"}
    )
    assert (status, error_of(data)) == (
        400,
        ("INVALID_REQUEST_ERROR", "INVALID_SQUARE_VERSION_FORMAT"),
    )
    assert client.sandbox.square_versions == Counter({None: 1, "latest": 1})


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        ("/v2/customers/search", {"limit": 101}, "VALUE_TOO_HIGH"),
        ("/v2/customers/search", {"limit": 0}, "VALUE_TOO_LOW"),
        ("/v2/customers/search", {"limit": "10"}, "EXPECTED_INTEGER"),
        ("/v2/orders/search", {**ALL_ORDERS, "limit": 1001}, "VALUE_TOO_HIGH"),
        ("/v2/loyalty/accounts/search", {"limit": 201}, "VALUE_TOO_HIGH"),
        (
            "/v2/customers/search",
            {"query": {"sort": {"field": "UPDATED_AT"}}},
            "INVALID_ENUM_VALUE",
        ),
        ("/v2/customers/search", {"query": {"filter": {"group_ids": {}}}}, "BAD_REQUEST"),
        (
            "/v2/customers/search",
            {"query": {"filter": {"updated_at": {"start_at": "2024-06-01"}}}},
            "INVALID_TIME",
        ),
        ("/v2/orders/search", {"limit": 10}, "MISSING_REQUIRED_PARAMETER"),
        (
            "/v2/orders/search",
            {"location_ids": [f"L{i}" for i in range(11)]},
            "TOO_MANY_MAP_ENTRIES",
        ),
        ("/v2/orders/search", {"location_ids": ["LNOPE"]}, "NOT_FOUND"),
        (
            "/v2/orders/search",
            {
                **ALL_ORDERS,
                "query": {
                    "filter": {
                        "date_time_filter": {"updated_at": {"start_at": "2024-06-01T00:00:00Z"}}
                    },
                    "sort": {"sort_field": "CREATED_AT"},
                },
            },
            "BAD_REQUEST",  # the sort field must be the date filter's field
        ),
        (
            "/v2/loyalty/accounts/search",
            {"query": {"mappings": [{"phone_number": "+33600000000"}], "customer_ids": ["C"]}},
            "BAD_REQUEST",
        ),
        ("/v2/orders/batch-retrieve", {"order_ids": []}, "BAD_REQUEST"),
    ],
)
async def test_what_square_refuses_is_a_400_in_its_error_shape(
    client: Client, path: str, body: dict[str, Any], code: str
) -> None:
    status, data = await client.call("POST", path, body)
    assert status == 400
    assert error_of(data) == ("INVALID_REQUEST_ERROR", code)


async def test_list_customers_checks_its_limit_too(client: Client) -> None:
    status, data = await client.call("GET", "/v2/customers", params={"limit": "101"})
    assert (status, error_of(data)) == (400, ("INVALID_REQUEST_ERROR", "VALUE_TOO_HIGH"))
    status, data = await client.call("GET", "/v2/customers", params={"limit": "3"})
    assert (status, len(data["customers"])) == (200, 3)


async def test_a_cursor_belongs_to_its_query(client: Client) -> None:
    status, first = await client.call("POST", "/v2/orders/search", ALL_ORDERS)
    assert status == 200
    other_query = {
        **ALL_ORDERS,
        "cursor": first["cursor"],
        "query": {"sort": {"sort_field": "CREATED_AT", "sort_order": "ASC"}},
    }
    status, data = await client.call("POST", "/v2/orders/search", other_query)
    assert (status, error_of(data)) == (400, ("INVALID_REQUEST_ERROR", "INVALID_CURSOR"))
    status, data = await client.call("POST", "/v2/orders/search", {**ALL_ORDERS, "cursor": "@@"})
    assert (status, error_of(data)) == (400, ("INVALID_REQUEST_ERROR", "INVALID_CURSOR"))
    same_query_other_limit = {**ALL_ORDERS, "limit": 3, "cursor": first["cursor"]}
    status, data = await client.call("POST", "/v2/orders/search", same_query_other_limit)
    assert status == 200
    assert len(data["orders"]) == 3


async def test_orders_page_in_updated_order_and_a_date_filter_is_inclusive(client: Client) -> None:
    orders = await client.all_pages("/v2/orders/search", ALL_ORDERS, "orders")
    assert len(orders) == len({o["id"] for o in orders}) == len(client.sandbox.orders)
    stamps = [o["updated_at"] for o in orders]
    assert stamps == sorted(stamps)
    start = stamps[len(stamps) // 2]
    filtered = {
        **ALL_ORDERS,
        "query": {
            "filter": {"date_time_filter": {"updated_at": {"start_at": start}}},
            "sort": {"sort_field": "UPDATED_AT", "sort_order": "ASC"},
        },
    }
    later = await client.all_pages("/v2/orders/search", filtered, "orders")
    assert [o["id"] for o in later] == [o["id"] for o in orders if o["updated_at"] >= start]
    one_store = {**ALL_ORDERS, "location_ids": ["LESMAD3H8W1ZB"]}
    madrid = await client.all_pages("/v2/orders/search", one_store, "orders")
    assert {o["location_id"] for o in madrid} == {"LESMAD3H8W1ZB"}
    assert len(madrid) == sum(o["location_id"] == "LESMAD3H8W1ZB" for o in orders)


async def test_customer_pages_stay_exact_while_customers_change(client: Client) -> None:
    body: dict[str, Any] = {"limit": 10, "query": {"sort": {"field": "CREATED_AT", "order": "ASC"}}}
    _, first = await client.call("POST", "/v2/customers/search", body)
    seen = [c["id"] for c in first["customers"]]
    # Between two pages one customer already served changes and one is created.
    client.sandbox.update_customer(seen[0], given_name="Changed")
    added = client.sandbox.add_customer(given_name="New", family_name="Comer")
    rest = await client.all_pages(
        "/v2/customers/search", {**body, "cursor": first["cursor"]}, "customers"
    )
    ids = seen + [c["id"] for c in rest]
    assert len(ids) == len(set(ids)) == len(client.sandbox.customers)
    assert ids[-1] == added["id"]  # created last, served last
    descending = {"limit": 10, "query": {"sort": {"field": "CREATED_AT", "order": "DESC"}}}
    newest_first = await client.all_pages("/v2/customers/search", descending, "customers")
    assert [c["id"] for c in newest_first] == ids[::-1]


async def test_customer_filters_and_the_default_name_order(client: Client) -> None:
    sandbox = client.sandbox
    target = next(c for c in sandbox.customers.payloads.values() if "email_address" in c)
    exact = {"query": {"filter": {"email_address": {"exact": target["email_address"]}}}}
    found = await client.all_pages("/v2/customers/search", exact, "customers")
    assert target["id"] in {c["id"] for c in found}
    changed = sandbox.update_customer(target["id"], note="VIP")
    since = {
        "query": {
            "filter": {"updated_at": {"start_at": changed["updated_at"]}},
            "sort": {"field": "CREATED_AT"},
        }
    }
    status, data = await client.call("POST", "/v2/customers/search", since)
    assert (status, [c["id"] for c in data["customers"]]) == (200, [target["id"]])
    by_name = await client.all_pages("/v2/customers/search", {"limit": 25}, "customers")
    names = [f"{c.get('given_name', '')} {c.get('family_name', '')}".lower() for c in by_name]
    assert names == sorted(names)
    nobody = {"query": {"filter": {"email_address": {"exact": "nobody@example.invalid"}}}}
    assert await client.call("POST", "/v2/customers/search", nobody) == (200, {})  # no list


async def test_loyalty_search_and_batch_retrieve(client: Client) -> None:
    sandbox = client.sandbox
    accounts = await client.all_pages(
        "/v2/loyalty/accounts/search", {"limit": 7}, "loyalty_accounts"
    )
    assert len(accounts) == len(sandbox.loyalty_accounts)
    target = accounts[3]
    by_customer = {"query": {"customer_ids": [target["customer_id"]]}}
    status, data = await client.call("POST", "/v2/loyalty/accounts/search", by_customer)
    assert [a["id"] for a in data["loyalty_accounts"]] == [target["id"]]
    by_phone = {"query": {"mappings": [{"phone_number": target["mapping"]["phone_number"]}]}}
    status, data = await client.call("POST", "/v2/loyalty/accounts/search", by_phone)
    assert [a["id"] for a in data["loyalty_accounts"]] == [target["id"]]
    key = next(iter(sandbox.orders.payloads))
    status, data = await client.call(
        "POST", "/v2/orders/batch-retrieve", {"order_ids": [key, "UNKNOWN"]}
    )
    assert (status, data) == (200, {"orders": [sandbox.order(key)]})


def test_seed_data_looks_like_a_merchant_with_stores_in_three_countries() -> None:
    sandbox = small_sandbox(size=400, seed=3)
    customers = list(sandbox.customers.payloads.values())
    people = Counter(c.get("given_name", "") + c.get("family_name", "")[:2] for c in customers)
    till_made = [c for c in customers if "address" not in c]
    assert till_made, "some people have a second profile made at a till"
    assert all(c["phone_number"] and "email_address" not in c for c in till_made)
    assert any(c.get("birthday", "").startswith("0000-") for c in customers)
    assert len(people) > len(customers) * 0.8
    seeds = [s for s in sandbox.orders.payloads.values() if isinstance(s, OrderSeed)]
    assert {s.location_id for s in seeds} == {loc.id for loc in sandbox.locations}
    assert any(s.on_tender_only and s.customer_id and not s.online for s in seeds)
    assert any(s.customer_id is None for s in seeds)
    assert any(s.online for s in seeds)
    phones = [a["mapping"]["phone_number"] for a in sandbox.loyalty_accounts.payloads.values()]
    assert all(phone.startswith("+") and phone[1:].isdigit() for phone in phones)
    assert len(phones) == len(set(phones))  # a phone maps to one account per programme
    assert 0.35 < len(phones) / len(customers) < 0.65
    again = small_sandbox(size=400, seed=3)
    key = next(iter(sandbox.orders.payloads))
    assert again.order(key) == sandbox.order(key)  # seeded: the same every time
