"""The Shopify sandbox speaks the Admin REST API the way Shopify does, over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import aiohttp
import pytest

from connectors.shopify.sandbox import CallBucket, ShopifySandbox
from hub.connector.pagination import parse_link_header
from hub.sandbox import serve
from tests.connectors.shopify_support import population, small_shop

API = "/admin/api/2024-10"


class Client:
    """A bare HTTP client with the sandbox's token: what any Shopify app would send."""

    def __init__(self, session: aiohttp.ClientSession, url: str, token: str) -> None:
        self.session, self.url, self.token = session, url, token

    async def get(
        self, path: str, params: dict[str, str] | None = None, token: str | None = None
    ) -> tuple[int, Any, dict[str, str]]:
        url = path if path.startswith("http") else self.url + API + path
        headers = {"X-Shopify-Access-Token": token or self.token}
        async with self.session.get(url, params=params, headers=headers) as response:
            return response.status, json.loads(await response.read()), dict(response.headers)

    async def walk(self, path: str, params: dict[str, str]) -> list[list[dict[str, Any]]]:
        """Every page, following rel="next" verbatim."""
        pages = []
        status, body, headers = await self.get(path, params)
        while True:
            assert status == 200, body
            pages.append(next(iter(body.values())))
            following = parse_link_header(headers.get("Link")).get("next")
            if following is None:
                return pages
            status, body, headers = await self.get(following)


@pytest.fixture
def sandbox() -> ShopifySandbox:
    return small_shop(100)


@pytest.fixture
async def client(sandbox: ShopifySandbox) -> AsyncIterator[Client]:
    async with serve(sandbox.create_app()) as url, aiohttp.ClientSession() as session:
        yield Client(session, url, sandbox.access_token)


def key(item: dict[str, Any]) -> tuple[datetime, int]:
    return datetime.fromisoformat(item["updated_at"]), item["id"]


async def test_a_wrong_token_gets_shopifys_401(client: Client) -> None:
    status, body, _ = await client.get("/customers.json", token="shpat_wrong")
    assert status == 401
    assert body == {
        "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
    }


async def test_limit_is_50_by_default_and_250_at_most(client: Client) -> None:
    status, body, _ = await client.get("/customers.json")
    assert (status, len(body["customers"])) == (200, 50)
    status, body, _ = await client.get("/customers.json", {"limit": "251"})
    assert status == 400
    assert list(body["errors"]) == ["limit"]


async def test_link_pages_hold_every_customer_once_in_updated_order(
    client: Client, sandbox: ShopifySandbox
) -> None:
    pages = await client.walk("/customers.json", {"limit": "7"})
    items = [item for page in pages for item in page]
    _, count, _ = await client.get("/customers/count.json")
    assert len(items) == count["count"] == len(sandbox.customers) > 50
    assert len({item["id"] for item in items}) == len(items)
    assert [key(item) for item in items] == sorted(key(item) for item in items)
    assert all(len(page) == 7 for page in pages[:-1])


async def test_previous_links_lead_back(client: Client) -> None:
    _, first, headers = await client.get("/customers.json", {"limit": "5"})
    assert "previous" not in parse_link_header(headers["Link"])  # none on the first page
    _, second, headers = await client.get(parse_link_header(headers["Link"])["next"])
    _, back, _ = await client.get(parse_link_header(headers["Link"])["previous"])
    assert back == first
    assert second["customers"][0]["id"] not in {item["id"] for item in first["customers"]}


@pytest.mark.parametrize("param", ["updated_at_min", "status"])
async def test_filters_beside_page_info_are_refused(client: Client, param: str) -> None:
    _, _, headers = await client.get("/orders.json", {"limit": "5", "status": "any"})
    following = parse_link_header(headers["Link"])["next"]
    value = "any" if param == "status" else "2024-01-01T00:00:00+00:00"
    status, body, _ = await client.get(following, {param: value})
    assert status == 400
    assert body == {
        "errors": {
            param: f"{param} cannot be passed when page_info is present. "
            "See https://shopify.dev/api/usage/pagination-rest for more information."
        }
    }


async def test_a_page_info_it_did_not_issue_is_refused(client: Client) -> None:
    status, body, _ = await client.get("/customers.json", {"page_info": "not-a-cursor"})
    assert (status, body) == (400, {"errors": {"page_info": "Invalid value."}})


async def test_orders_are_open_ones_unless_status_any(client: Client) -> None:
    _, open_count, _ = await client.get("/orders/count.json")
    _, any_count, _ = await client.get("/orders/count.json", {"status": "any"})
    assert 0 < open_count["count"] < any_count["count"]
    pages = await client.walk("/orders.json", {"limit": "250"})
    open_orders = [order for page in pages for order in page]
    assert len(open_orders) == open_count["count"]
    assert all(o["closed_at"] is None and o["cancelled_at"] is None for o in open_orders)
    every = [o for page in await client.walk("/orders.json", {"status": "any"}) for o in page]
    assert len(every) == any_count["count"]
    assert any(order["cancelled_at"] for order in every)


async def test_updated_at_min_filters_every_page_of_the_sequence(client: Client) -> None:
    every = [c for page in await client.walk("/customers.json", {"limit": "250"}) for c in page]
    middle = sorted(key(item) for item in every)[len(every) // 2][0]
    params = {"limit": "4", "updated_at_min": middle.isoformat()}
    newer = [item for page in await client.walk("/customers.json", params) for item in page]
    assert {item["id"] for item in newer} == {
        item["id"] for item in every if key(item)[0] >= middle
    }
    _, count, _ = await client.get("/customers/count.json", {"updated_at_min": middle.isoformat()})
    assert count["count"] == len(newer)


async def test_every_answer_shows_the_call_bucket_and_a_full_one_answers_429(
    client: Client, sandbox: ShopifySandbox
) -> None:
    sandbox.bucket = CallBucket(capacity=3, leak_per_second=0.01)
    seen = []
    for _ in range(3):
        status, _, headers = await client.get("/customers/count.json")
        seen.append((status, headers["X-Shopify-Shop-Api-Call-Limit"]))
    assert seen == [(200, "1/3"), (200, "2/3"), (200, "3/3")]
    status, body, headers = await client.get("/customers/count.json")
    assert status == 429
    assert "Exceeded" in body["errors"]
    assert float(headers["Retry-After"]) > 0


async def test_a_repeat_token_fault_hands_out_the_same_page_again(
    client: Client, sandbox: ShopifySandbox
) -> None:
    _, _, headers = await client.get("/customers.json", {"limit": "5"})
    second = parse_link_header(headers["Link"])["next"]
    sandbox.faults.repeat_token = 1
    _, _, headers = await client.get(second)
    assert parse_link_header(headers["Link"])["next"] == second
    _, _, headers = await client.get(second)
    assert parse_link_header(headers["Link"])["next"] != second


async def test_an_update_bumps_updated_at_and_moves_the_customer_last(
    client: Client, sandbox: ShopifySandbox
) -> None:
    oldest = sandbox.customers.by_id[sandbox.customers.keys[0][1]]
    before = sandbox.customer(oldest.id)
    after = sandbox.update_customer(oldest.id, first_name="Zoé")
    assert after["first_name"] == "Zoé"
    assert key(after) > key(before)
    pages = await client.walk("/customers.json", {"limit": "250"})
    assert pages[-1][-1] == after
    status, body, _ = await client.get(f"/customers/{oldest.id}.json")
    assert (status, body) == (200, {"customer": after})
    status, body, _ = await client.get("/customers/1.json")
    assert (status, body) == (404, {"errors": "Not Found"})


def test_webhooks_carry_shopifys_headers_and_a_base64_hmac_of_the_body(
    sandbox: ShopifySandbox,
) -> None:
    customer = sandbox.customer(sandbox.customers.keys[0][1])
    delivery = sandbox.webhook("customers/update", customer, target_url="http://hub/webhooks")
    assert json.loads(delivery.body) == customer  # the resource itself, not {"customer": …}
    digest = hmac.new(sandbox.webhook_secret.encode(), delivery.body, hashlib.sha256).digest()
    assert delivery.headers["X-Shopify-Hmac-Sha256"] == base64.b64encode(digest).decode()
    assert delivery.headers["X-Shopify-Topic"] == "customers/update"
    assert delivery.headers["X-Shopify-Shop-Domain"] == sandbox.shop_domain
    assert delivery.headers["X-Shopify-API-Version"] == "2024-10"
    for name in ("X-Shopify-Webhook-Id", "X-Shopify-Event-Id", "X-Shopify-Triggered-At"):
        assert delivery.headers[name]
    again = sandbox.webhook(
        "customers/update",
        customer,
        target_url="http://hub/webhooks",
        event_id=delivery.headers["X-Shopify-Event-Id"],
    )
    assert again.headers["X-Shopify-Event-Id"] == delivery.headers["X-Shopify-Event-Id"]
    assert again.headers["X-Shopify-Webhook-Id"] != delivery.headers["X-Shopify-Webhook-Id"]


def test_config_points_an_instance_at_the_sandbox_with_secrets_from_the_environment(
    sandbox: ShopifySandbox,
) -> None:
    config = sandbox.config("http://127.0.0.1:9", "web-shop")
    assert config.table == {
        "type": "shopify",
        "base_url": "http://127.0.0.1:9/admin/api/2024-10",
        "access_token": "${SHOPIFY_TOKEN_WEB_SHOP}",
        "webhook_secret": "${SHOPIFY_WEBHOOK_SECRET_WEB_SHOP}",
        "brand": "lumiere",
    }
    assert config.env == {
        "SHOPIFY_TOKEN_WEB_SHOP": sandbox.access_token,
        "SHOPIFY_WEBHOOK_SECRET_WEB_SHOP": sandbox.webhook_secret,
    }


def test_the_seeded_shop_looks_like_a_european_web_shop() -> None:
    shop = ShopifySandbox(population(1500))
    customers = [shop.customer(row_id) for _, row_id in shop.customers.keys]
    orders = [shop.order(row_id) for _, row_id in shop.orders.keys]
    emails = [c["email"].lower() for c in customers if c["email"]]
    assert len(emails) == len(set(emails))  # Shopify keeps e-mails unique per shop
    names = [(c["first_name"], c["last_name"], c["default_address"]["zip"]) for c in customers]
    assert len(set(names)) < len(names)  # a few people have two accounts
    assert 2.5 < len(orders) / len(customers) < 3.5
    assert {o["currency"] for o in orders} == {"EUR", "GBP"}
    assert all(
        o["currency"] == "GBP"
        for o in orders
        if o["billing_address"]["country"] == "United Kingdom"
    )
    guests = [o for o in orders if o["customer"] is None]
    assert 0 < len(guests) < len(orders) * 0.1
    assert all(guest["email"] for guest in guests)
    assert {o["financial_status"] for o in orders} >= {"paid", "pending", "refunded", "voided"}
    skus = {line["sku"] for o in orders for line in o["line_items"]}
    assert len(skus) > 10
    states = {c["email_marketing_consent"]["state"] for c in customers if c["email"]}
    assert states == {"subscribed", "not_subscribed", "unsubscribed", "pending"}
    assert {c["default_address"]["country_code"] for c in customers} == {
        "FR",
        "ES",
        "DE",
        "IT",
        "GB",
    }
