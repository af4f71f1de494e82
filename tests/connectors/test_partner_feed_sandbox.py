"""The partner sandbox speaks the contract: problem+json errors, limits, filters, validators."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import aiohttp
import pytest

from connectors.partner_feed.sandbox import API_KEY, PartnerFeedSandbox
from hub.sandbox import serve
from tests.connectors.partner_feed_support import new_sandbox

AUTH = {"X-API-Key": API_KEY}


@pytest.fixture
async def api() -> AsyncIterator[tuple[PartnerFeedSandbox, str, aiohttp.ClientSession]]:
    sandbox = new_sandbox()
    async with serve(sandbox.create_app()) as url, aiohttp.ClientSession() as session:
        yield sandbox, url, session


async def get(
    session: aiohttp.ClientSession, url: str, headers: dict[str, str] | None = None, **params: str
) -> tuple[int, Any, Mapping[str, str]]:
    async with session.get(url, params=params, headers=headers or AUTH) as response:
        body = await response.json(content_type=None) if response.status != 304 else None
        return response.status, body, response.headers


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"limit": "501"}, "limit must be an integer from 1 to 500"),
        ({"limit": "0"}, "limit must be an integer from 1 to 500"),
        ({"updated_since": "yesterday"}, "updated_since must be an RFC 3339"),
        ({"updated_since": "2024-06-01T09:00:00"}, "updated_since must be an RFC 3339"),
        ({"cursor": "!!not-ours"}, "cursor is not one this API issued"),
    ],
)
async def test_bad_parameters_are_400_problems(
    api: tuple[PartnerFeedSandbox, str, aiohttp.ClientSession], params: dict[str, str], detail: str
) -> None:
    _, url, session = api
    status, body, headers = await get(session, url + "/v1/holdings", **params)
    assert status == 400
    assert headers["Content-Type"].startswith("application/problem+json")
    assert body["status"] == 400 and body["title"] == "Bad Request"
    assert body["type"].endswith("/invalid-parameter")
    assert detail in body["detail"]


async def test_missing_key_is_a_401_problem_and_429_has_retry_after(
    api: tuple[PartnerFeedSandbox, str, aiohttp.ClientSession],
) -> None:
    sandbox, url, session = api
    status, body, headers = await get(session, url + "/v1/products", {"X-API-Key": "wrong"})
    assert (status, body["status"]) == (401, 401)
    assert headers["Content-Type"].startswith("application/problem+json")
    sandbox.faults.update({"rate_limit": 1, "retry_after": 1.5})
    status, body, headers = await get(session, url + "/v1/products")
    assert (status, headers["Retry-After"], body["status"]) == (429, "1.50", 429)
    assert headers["Content-Type"].startswith("application/problem+json")


async def test_pages_follow_the_cursor_and_the_updated_since_filter(
    api: tuple[PartnerFeedSandbox, str, aiohttp.ClientSession],
) -> None:
    sandbox, url, session = api
    keys: list[str] = []
    cursor = None
    while True:
        params = {"limit": "7", **({"cursor": cursor} if cursor else {})}
        status, body, _ = await get(session, url + "/v1/holdings", **params)
        assert status == 200 and len(body["data"]) <= 7
        keys += [f"{h['partner_id']}:{h['holding_id']}" for h in body["data"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert keys == sandbox.holding_keys()
    middle = sandbox.holding(keys[len(keys) // 2])["updated_at"]
    _, body, _ = await get(session, url + "/v1/holdings", updated_since=middle, limit="500")
    assert [h["updated_at"] >= middle for h in body["data"]] == [True] * (
        len(keys) - len(keys) // 2
    )
    offset = datetime.fromisoformat(middle).astimezone(timezone(timedelta(hours=2)))
    _, same, _ = await get(session, url + "/v1/holdings", updated_since=offset.isoformat())
    assert same["data"][0] == body["data"][0]  # any offset names the same instant


async def test_the_catalog_answers_304_to_its_etag_or_last_modified(
    api: tuple[PartnerFeedSandbox, str, aiohttp.ClientSession],
) -> None:
    sandbox, url, session = api
    status, body, headers = await get(session, url + "/v1/products")
    assert status == 200
    assert {p["partner_id"] for p in body["data"]} == {"acme-assur", "banco-sol", "telco-nord"}
    assert {p["language"] for p in body["data"]} >= {"fr", "es", "de", "en", "it"}
    etag, modified = headers["ETag"], headers["Last-Modified"]
    status, _, _ = await get(session, url + "/v1/products", {**AUTH, "If-None-Match": etag})
    assert status == 304
    status, _, _ = await get(session, url + "/v1/products", {**AUTH, "If-Modified-Since": modified})
    assert status == 304
    earlier = datetime.strptime(modified, "%a, %d %b %Y %H:%M:%S GMT") - timedelta(days=1)
    old = earlier.strftime("%a, %d %b %Y %H:%M:%S GMT")
    status, _, _ = await get(session, url + "/v1/products", {**AUTH, "If-Modified-Since": old})
    assert status == 200
    sandbox.rename_product("banco-sol", "AHORRO-SOL", "Cuenta Ahorro Sol Plus")
    status, body, headers = await get(
        session, url + "/v1/products", {**AUTH, "If-None-Match": etag}
    )
    assert status == 200 and headers["ETag"] != etag
    assert "Cuenta Ahorro Sol Plus" in {p["name"] for p in body["data"]}


def test_a_change_moves_the_holding_to_the_end_with_a_later_updated_at() -> None:
    sandbox = new_sandbox()
    first = sandbox.holding_keys()[0]
    before = sandbox.holding(first)["updated_at"]
    changed = sandbox.change_holding(first, customer={"phone": "+33 6 00 00 00 00"})
    assert sandbox.holding_keys()[-1] == first
    assert changed["updated_at"] > before
    assert changed["customer"]["phone"] == "+33 6 00 00 00 00"
    assert changed["customer"]["partner_customer_ref"]  # the rest of the customer is kept


def test_the_seed_has_duplicates_within_the_source_and_shares_people_with_others() -> None:
    sandbox = new_sandbox()
    holdings = [sandbox.holding(key) for key in sandbox.holding_keys()]
    emails = [h["customer"]["email"] for h in holdings if h["customer"]["email"]]
    assert len(set(emails)) < len(emails)  # one person, several holdings (or registrations)
    population_emails = {p.email for p in sandbox.population.people}
    folded = {e.lower() for e in emails}
    assert folded & {e.lower() for e in population_emails}
