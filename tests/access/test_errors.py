"""Client mistakes and abusive queries get a coded error, never a 5xx nor a stack trace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import aiohttp
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL

from hub.access import Role
from hub.access.api_config import ApiConfig
from schema.context import HubInfo
from schema.errors import MASKED_MESSAGE, PageSizeTooLarge
from schema.limits import page_size
from tests.access.conftest import TwoBrands, open_two_brands
from tests.conftest import WriteConfig, new_key

LIMITS = """
[api]
max_depth = 2
max_aliases = 3
max_tokens = 120
max_cost = 60
"""
PROFILE = '{ customer(id: "x") { id } }'


@pytest.fixture
async def limited(
    db_url: URL, write_config: WriteConfig, customers_csv: Path, atelier_csv: Path
) -> AsyncIterator[TwoBrands]:
    async for served in open_two_brands(db_url, write_config, LIMITS):
        yield served


def codes(status: int, body: dict[str, Any], expected_status: int = 200) -> list[str]:
    """The error codes of a response, after checking what every error response must be."""
    assert status == expected_status, body
    text_body = repr(body)
    assert "Traceback" not in text_body and 'File "' not in text_body
    return [error["extensions"]["code"] for error in body["errors"]]


async def test_malformed_queries_and_wrong_variables(two_brands: TwoBrands) -> None:
    key = await new_key(two_brands.hub, Role.ADMIN)
    cases = {
        "{ customer(id: ": "GRAPHQL_PARSE_FAILED",
        '{ customer(id: "x") { shoeSize } }': "GRAPHQL_VALIDATION_FAILED",
        "{ customer { id } }": "GRAPHQL_VALIDATION_FAILED",
        '{ customerByIdentifier(kind: FAX, value: "x") { id } }': "GRAPHQL_VALIDATION_FAILED",
    }
    for query, code in cases.items():
        assert codes(*await two_brands.query(key, query)) == [code], query
    typed = "query ($id: ID!) { customer(id: $id) { id } }"
    assert codes(*await two_brands.query(key, typed)) == ["BAD_USER_INPUT"]  # missing
    assert codes(*await two_brands.query(key, typed, id={"a": 1})) == ["BAD_USER_INPUT"]


async def test_requests_that_are_not_graphql_get_400_with_a_code(two_brands: TwoBrands) -> None:
    key = await new_key(two_brands.hub, Role.ADMIN)
    batch = [{"query": PROFILE}, {"query": PROFILE}]
    assert codes(*await two_brands.post(batch, key), 400) == ["BATCH_NOT_ALLOWED"]
    assert codes(*await two_brands.post({"variables": {}}, key), 400) == ["BAD_REQUEST"]
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession(headers=headers) as http,
        http.post(f"{two_brands.url}/graphql", data=b"{not json") as response,
    ):
        assert codes(response.status, await response.json(), 400) == ["BAD_REQUEST"]


async def test_introspection_is_off_unless_configured(two_brands: TwoBrands) -> None:
    key = await new_key(two_brands.hub, Role.ADMIN)
    query = "{ __schema { queryType { name } } }"
    assert set(codes(*await two_brands.query(key, query))) == {"INTROSPECTION_DISABLED"}


async def test_depth_aliases_tokens_and_cost_are_limited(limited: TwoBrands) -> None:
    key = await new_key(limited.hub, Role.ADMIN)
    deep = '{ customer(id: "x") { sourceRecords { link { rule } } } }'
    assert "QUERY_TOO_DEEP" in codes(*await limited.query(key, deep))
    aliases = '{ a: customer(id: "x") { id } b: customer(id: "y") { id } ' + (
        'c: customer(id: "z") { id } d: customer(id: "w") { id } }'
    )
    assert codes(*await limited.query(key, aliases)) == ["TOO_MANY_ALIASES"]
    long = "{ " + " ".join(f'customer(id: "{n}") {{ id }}' for n in range(30)) + " }"
    assert codes(*await limited.query(key, long)) == ["QUERY_TOO_LARGE"]
    records = "id connector entity sourceId contentHash firstSeenAt lastSeenAt"
    costly = f'{{ customer(id: "x") {{ sourceRecords {{ {records} }} }} }}'
    assert codes(*await limited.query(key, costly)) == ["QUERY_TOO_COSTLY"]
    cheap = '{ customer(id: "x") { id sourceRecords { id } } }'
    status, body = await limited.query(key, cheap)
    assert status == 200 and body == {"data": {"customer": None}}


async def test_unexpected_errors_are_masked(two_brands: TwoBrands) -> None:
    key = await new_key(two_brands.hub, Role.ADMIN)
    _, body = await two_brands.query(
        key, '{ customerByIdentifier(kind: SOURCE_CUSTOMER_ID, value: "crm:A1") { id } }'
    )
    profile_id = body["data"]["customerByIdentifier"]["id"]
    async with two_brands.hub.engine.begin() as connection:  # a real fault: a table gone
        await connection.execute(text("DROP TABLE profile_link"))
    status, body = await two_brands.query(
        key, "query ($id: ID!) { customer(id: $id) { id sourceRecords { id } } }", id=profile_id
    )
    assert codes(status, body) == ["INTERNAL_SERVER_ERROR"]
    assert body["errors"][0]["message"] == MASKED_MESSAGE
    assert "profile_link" not in repr(body) and "SQL" not in repr(body)


def test_page_size_over_the_limit_is_a_coded_error() -> None:
    info = cast(HubInfo, SimpleNamespace(context=SimpleNamespace(api=ApiConfig(max_page_size=100))))
    assert page_size(info, None) == 100
    assert page_size(info, 100) == 100
    assert page_size(info, None, default=20) == 20
    with pytest.raises(PageSizeTooLarge, match="at most 100"):
        page_size(info, 101)
