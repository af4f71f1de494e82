"""A key scoped to one brand cannot follow the changes of another brand's customer."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from hub.access import Role
from tests.access.conftest import TwoBrands
from tests.access.test_leaks import profile_ids
from tests.conftest import new_key

CHANGED = "subscription ($id: ID!) { customerChanged(id: $id) { customerId change } }"


async def first_answer(url: str, key: str, profile_id: str) -> dict[str, Any]:
    """The first message the server sends for a ``customerChanged`` subscription."""
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(f"{url}/graphql", protocols=("graphql-transport-ws",)) as socket,
    ):
        await socket.send_json(
            {"type": "connection_init", "payload": {"authorization": f"Bearer {key}"}}
        )
        assert (await socket.receive_json())["type"] == "connection_ack"
        payload = {"query": CHANGED, "variables": {"id": profile_id}}
        await socket.send_json({"id": "1", "type": "subscribe", "payload": payload})
        async with asyncio.timeout(10):
            message: dict[str, Any] = await socket.receive_json()
        return message


def error_codes(message: dict[str, Any]) -> list[str]:
    payload = message.get("payload")
    errors = payload if message["type"] == "error" else (payload or {}).get("errors", [])
    return [error.get("extensions", {}).get("code") for error in errors]


async def test_a_brand_scoped_key_cannot_watch_another_brands_customer(
    two_brands: TwoBrands,
) -> None:
    ids = await profile_ids(two_brands)
    maison = await new_key(two_brands.hub, Role.AGENT, brands=["maison"])
    answer = await first_answer(two_brands.url, maison, ids["atelier:B2"])
    assert error_codes(answer) == ["NOT_FOUND"], answer
    assert "Leroy" not in str(answer)
