"""The whole data path over real HTTP: file source → store → profiles → GraphQL, and /health."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from rich.console import Console
from sqlalchemy.engine import URL

from hub.app import create_app
from hub.commands import run_resolve, run_sync
from hub.runtime import Hub
from hub.testing import serve_asgi
from tests.conftest import CSV_CONNECTOR, WriteConfig

QUERY = """
query ($kind: IdentifierKind!, $value: String!) {
  customerByIdentifier(kind: $kind, value: $value) {
    id firstName lastName email city brand
    goldenFields { name value sourceRecordId rule }
    identifiers { kind value normalizedValue }
    sourceRecords { id connector entity sourceId payload link { rule decidedBy } }
  }
}
"""


@pytest.fixture
async def served(hub: Hub) -> AsyncIterator[str]:
    """The hub's web app served by uvicorn on a free loopback port."""
    await run_sync(hub, (), full=False, console=Console(quiet=True))
    await run_resolve(hub, console=Console(quiet=True))
    async with serve_asgi(create_app(hub)) as url:
        yield url


async def graphql(base: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http:
        response = await http.post(f"{base}/graphql", json={"query": query, "variables": variables})
        assert response.status == 200
        body: dict[str, Any] = await response.json()
        return body


async def test_profile_found_by_email_in_any_case(served: str) -> None:
    body = await graphql(served, QUERY, {"kind": "EMAIL", "value": "  AMELIE.Durand@EXAMPLE.fr "})
    customer = body["data"]["customerByIdentifier"]
    assert customer["firstName"] == "Amélie"  # decoded from Windows-1252
    assert customer["city"] == "Lyon"
    assert customer["brand"] == "maison"
    [record] = customer["sourceRecords"]
    assert record["connector"] == "crm"
    assert record["sourceId"] == "A1"
    assert record["payload"]["Prénom"] == "Amélie"  # kept exactly as received
    assert {"kind": "EMAIL", "value": "amelie.durand@example.fr",
            "normalizedValue": "amelie.durand@example.fr"} in customer["identifiers"]  # fmt: skip
    golden = {field["name"]: field for field in customer["goldenFields"]}
    assert golden["last_name"]["value"] == "Durand"
    assert golden["last_name"]["sourceRecordId"] == record["id"]
    assert record["link"]["decidedBy"] == "auto"


@pytest.fixture
async def served_french_crm(
    db_url: URL, write_config: WriteConfig, customers_csv: Path
) -> AsyncIterator[str]:
    """The CRM of ``served`` with its records' country set, so phones are read as French."""
    config = CSV_CONNECTOR.replace('brand = "maison"', 'brand = "maison"\ncountry = "FR"')
    hub = await Hub.open(write_config(config), url=db_url)
    try:
        await run_sync(hub, (), full=False, console=Console(quiet=True))
        await run_resolve(hub, console=Console(quiet=True))
        async with serve_asgi(create_app(hub)) as url:
            yield url
    finally:
        await hub.close()


@pytest.mark.parametrize(
    "typed", ["06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78", "0033612345678"]
)
async def test_profile_found_by_phone_typed_any_way(served_french_crm: str, typed: str) -> None:
    body = await graphql(served_french_crm, QUERY, {"kind": "PHONE", "value": typed})
    customer = body["data"]["customerByIdentifier"]
    assert customer["lastName"] == "Durand"
    assert {"kind": "PHONE", "value": "06 12 34 56 78",
            "normalizedValue": "+33612345678"} in customer["identifiers"]  # fmt: skip


async def test_lookup_by_source_id_and_by_profile_id_agree(served: str) -> None:
    by_source = await graphql(served, QUERY, {"kind": "SOURCE_CUSTOMER_ID", "value": "crm:A3"})
    customer = by_source["data"]["customerByIdentifier"]
    assert customer["lastName"] == "Martin"
    by_id = await graphql(
        served, "query ($id: ID!) { customer(id: $id) { id lastName } }", {"id": customer["id"]}
    )
    assert by_id["data"]["customer"] == {"id": customer["id"], "lastName": "Martin"}


async def test_unknown_identifier_and_id_give_null_not_an_error(served: str) -> None:
    body = await graphql(served, QUERY, {"kind": "EMAIL", "value": "nobody@example.org"})
    assert body == {"data": {"customerByIdentifier": None}}
    body = await graphql(served, '{ customer(id: "no-such-id") { id } }', {})
    assert body == {"data": {"customer": None}}


async def test_invalid_query_is_a_graphql_error_not_a_crash(served: str) -> None:
    body = await graphql(served, QUERY, {"kind": "FAX", "value": "x"})
    assert body["data"] is None
    assert "FAX" in body["errors"][0]["message"]


async def test_health_reports_the_database(served: str) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{served}/health") as response:
        body = await response.json()
    assert response.status == 200
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["revision"] == body["database"]["expected_revision"]


async def test_graphiql_is_served_to_browsers(served: str) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{served}/graphql", headers={"Accept": "text/html"}) as response,
    ):
        page = await response.text()
    assert response.status == 200
    assert "graphiql" in page.lower()
