"""The whole data path over real HTTP: file source → store → profiles → GraphQL, and /health."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
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
from tests.conftest import CSV_CONNECTOR, WriteConfig, bearer, new_key

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


@dataclass(frozen=True)
class Served:
    """A served hub and an admin key of it."""

    url: str
    key: str


@pytest.fixture
async def served(hub: Hub, admin_key: str) -> AsyncIterator[Served]:
    """The hub's web app served by uvicorn on a free loopback port."""
    await run_sync(hub, (), full=False, console=Console(quiet=True))
    await run_resolve(hub, console=Console(quiet=True))
    async with serve_asgi(create_app(hub)) as url:
        yield Served(url, admin_key)


async def graphql(served: Served, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    async with aiohttp.ClientSession(headers=bearer(served.key)) as http:
        response = await http.post(
            f"{served.url}/graphql", json={"query": query, "variables": variables}
        )
        assert response.status == 200
        body: dict[str, Any] = await response.json()
        return body


async def test_profile_found_by_email_in_any_case(served: Served) -> None:
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
) -> AsyncIterator[Served]:
    """The CRM of ``served`` with its records' country set, so phones are read as French."""
    config = CSV_CONNECTOR.replace('brand = "maison"', 'brand = "maison"\ncountry = "FR"')
    hub = await Hub.open(write_config(config), url=db_url)
    try:
        await run_sync(hub, (), full=False, console=Console(quiet=True))
        await run_resolve(hub, console=Console(quiet=True))
        key = await new_key(hub)
        async with serve_asgi(create_app(hub)) as url:
            yield Served(url, key)
    finally:
        await hub.close()


@pytest.mark.parametrize(
    "typed", ["06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78", "0033612345678"]
)
async def test_profile_found_by_phone_typed_any_way(served_french_crm: Served, typed: str) -> None:
    body = await graphql(served_french_crm, QUERY, {"kind": "PHONE", "value": typed})
    customer = body["data"]["customerByIdentifier"]
    assert customer["lastName"] == "Durand"
    assert {"kind": "PHONE", "value": "06 12 34 56 78",
            "normalizedValue": "+33612345678"} in customer["identifiers"]  # fmt: skip


async def test_lookup_by_source_id_and_by_profile_id_agree(served: Served) -> None:
    by_source = await graphql(served, QUERY, {"kind": "SOURCE_CUSTOMER_ID", "value": "crm:A3"})
    customer = by_source["data"]["customerByIdentifier"]
    assert customer["lastName"] == "Martin"
    by_id = await graphql(
        served, "query ($id: ID!) { customer(id: $id) { id lastName } }", {"id": customer["id"]}
    )
    assert by_id["data"]["customer"] == {"id": customer["id"], "lastName": "Martin"}


async def test_unknown_identifier_and_id_give_null_not_an_error(served: Served) -> None:
    body = await graphql(served, QUERY, {"kind": "EMAIL", "value": "nobody@example.org"})
    assert body == {"data": {"customerByIdentifier": None}}
    body = await graphql(served, '{ customer(id: "no-such-id") { id } }', {})
    assert body == {"data": {"customer": None}}


async def test_invalid_query_is_a_graphql_error_not_a_crash(served: Served) -> None:
    body = await graphql(served, QUERY, {"kind": "FAX", "value": "x"})
    assert body["data"] is None
    assert "FAX" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_health_reports_the_database(served: Served) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{served.url}/health") as response:
        body = await response.json()
    assert response.status == 200
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["revision"] == body["database"]["expected_revision"]


async def test_graphiql_is_served_to_browsers(served: Served) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{served.url}/graphql", headers={"Accept": "text/html"}) as response,
    ):
        page = await response.text()
    assert response.status == 200
    assert "graphiql" in page.lower()
