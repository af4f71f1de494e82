"""The floor of a Shopify sync: the same pages fetched with plain aiohttp and stored raw.

What it does, per page: one GET (``limit=250``, orders with ``status=any``, then the ``Link``
header's next URL verbatim), ``json.loads`` of the body, and for each item one row (connector,
entity, source id, the item re-serialised with ``json.dumps``). Rows go to a plain table with no
key or index, all pages in one transaction: ``sqlite3`` ``executemany`` per page, or asyncpg
``copy_records_to_table`` per page into a ``jsonb`` column.

What it leaves out, and the hub must do: retries and throttling, mapping items to person fields,
identifiers and activities, canonical JSON and the content hash, normalised identifiers, the
look-up of stored versions (upsert and staleness), the identifier and activity rows, the unique
key and indexes, the per-page commit with its cursor, and run history.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from remote_shop import INSTANCE, RemoteShop

PAGE_SIZE = 250
STREAMS = (("customer", "customers", {}), ("order", "orders", {"status": "any"}))
"""(entity, resource, extra parameters of the first request), as the connector asks."""
CREATE_TABLE = "create table raw_record (connector text, entity text, source_id text, payload {})"

Row = tuple[str, str, str, str]
Sink = Callable[[Sequence[Row]], Awaitable[None]]


async def shop_pages(session: aiohttp.ClientSession, shop: RemoteShop) -> AsyncIterator[list[Row]]:
    """Every page of both streams, as rows ready to insert."""
    headers = {"X-Shopify-Access-Token": shop.access_token, "Accept": "application/json"}
    for entity, resource, extra in STREAMS:
        url: Any = f"{shop.api_url}/{resource}.json"
        params: dict[str, str] | None = {"limit": str(PAGE_SIZE), **extra}
        while url is not None:
            async with session.get(url, params=params, headers=headers) as response:
                response.raise_for_status()
                body = await response.read()
                following = response.links.get("next")
            items = json.loads(body)[resource]
            yield [
                (INSTANCE, entity, str(item["id"]), json.dumps(item, ensure_ascii=False))
                for item in items
            ]
            url, params = (following["url"], None) if following else (None, None)


async def _drain(shop: RemoteShop, sink: Sink | None) -> int:
    stored = 0
    async with aiohttp.ClientSession() as session:
        async for rows in shop_pages(session, shop):
            if sink is not None:
                await sink(rows)
            stored += len(rows)
    return stored


async def fetch_only(shop: RemoteShop) -> int:
    """The pages alone, stored nowhere: what the sandbox and the client cost by themselves."""
    return await _drain(shop, None)


async def floor_sqlite(shop: RemoteShop, database: Path) -> int:
    connection = sqlite3.connect(database)
    try:
        connection.execute(CREATE_TABLE.format("text"))
        connection.commit()

        async def insert(rows: Sequence[Row]) -> None:
            # sqlite3 opens one transaction at the first insert; it lasts until the commit.
            connection.executemany("insert into raw_record values (?, ?, ?, ?)", rows)

        stored = await _drain(shop, insert)
        connection.commit()
    finally:
        connection.close()
    return stored


async def floor_postgresql(shop: RemoteShop, dsn: str) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(CREATE_TABLE.format("jsonb"))

        async def copy(rows: Sequence[Row]) -> None:
            await connection.copy_records_to_table("raw_record", records=rows)

        async with connection.transaction():
            stored = await _drain(shop, copy)
    finally:
        await connection.close()
    return stored
