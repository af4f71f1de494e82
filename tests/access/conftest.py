"""A served hub with two brands: one person known to both, one only to the second."""

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
from tests.conftest import CSV_CONNECTOR, WriteConfig, bearer

ATELIER_CONNECTOR = (
    CSV_CONNECTOR.replace("[connectors.crm", "[connectors.atelier")
    .replace('path = "crm.csv"', 'path = "atelier.csv"')
    .replace('brand = "maison"', 'brand = "atelier"')
)


@dataclass
class TwoBrands:
    hub: Hub
    url: str

    async def post(self, body: Any, key: str | None = None, **headers: str) -> tuple[int, Any]:
        """POST ``body`` as JSON to /graphql; the status and the decoded body."""
        sent = {**(bearer(key) if key else {}), **headers}
        async with (
            aiohttp.ClientSession(headers=sent) as http,
            http.post(f"{self.url}/graphql", json=body) as response,
        ):
            return response.status, await response.json(content_type=None)

    async def query(self, key: str | None, query: str, **variables: Any) -> tuple[int, Any]:
        return await self.post({"query": query, "variables": variables}, key)


def two_brands_config(extra: str = "") -> str:
    return CSV_CONNECTOR + ATELIER_CONNECTOR + extra


@pytest.fixture
def atelier_csv(tmp_path: Path) -> Path:
    path = tmp_path / "atelier.csv"
    rows = [
        "Code;Prénom;Nom;E-mail;Téléphone;Ville",
        "B1;Amélie;Durand;amelie.durand@example.fr;;Lyon",
        "B2;Paul;Leroy;paul.leroy@example.fr;06 99 88 77 66;Lille",
    ]
    path.write_bytes("\r\n".join(rows).encode("cp1252"))
    return path


async def open_two_brands(
    db_url: URL, write_config: WriteConfig, api: str = ""
) -> AsyncIterator[TwoBrands]:
    hub = await Hub.open(write_config(two_brands_config(api)), url=db_url)
    try:
        await run_sync(hub, (), full=False, console=Console(quiet=True))
        await run_resolve(hub, console=Console(quiet=True))
        async with serve_asgi(create_app(hub)) as url:
            yield TwoBrands(hub, url)
    finally:
        await hub.close()


@pytest.fixture
async def two_brands(
    db_url: URL, write_config: WriteConfig, customers_csv: Path, atelier_csv: Path
) -> AsyncIterator[TwoBrands]:
    async for served in open_two_brands(db_url, write_config):
        yield served
