"""API keys: a created key works, a revoked or altered one is refused, only a hash is stored."""

from __future__ import annotations

import asyncio
import hashlib
import warnings
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL
from starlette.websockets import WebSocketDisconnect

from hub.access import Role
from hub.access.keys import revoke_key
from hub.app import create_app
from hub.store.models import ApiKeyRow
from tests.access.conftest import TwoBrands, open_two_brands
from tests.conftest import WriteConfig, bearer, new_key

WHO = '{ customerByIdentifier(kind: SOURCE_CUSTOMER_ID, value: "crm:A1") { lastName } }'


def assert_unauthenticated(status: int, body: dict[str, object]) -> None:
    assert status == 401
    assert body["data"] is None
    [error] = body["errors"]  # type: ignore[misc]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_key_lifecycle_create_use_revoke(two_brands: TwoBrands) -> None:
    key = await new_key(two_brands.hub, Role.AGENT, name="desk")
    status, body = await two_brands.query(key, WHO)
    assert status == 200
    assert body == {"data": {"customerByIdentifier": {"lastName": "Durand"}}}

    async with two_brands.hub.sessions() as session:
        await revoke_key(session, "desk")
    assert_unauthenticated(*await two_brands.query(key, WHO))


async def test_missing_wrong_and_malformed_keys_are_refused(two_brands: TwoBrands) -> None:
    key = await new_key(two_brands.hub, Role.ADMIN)
    key_id = key.split("_")[1]
    for wrong in (None, key[:-1] + ("A" if key[-1] != "A" else "B"), f"hub_{key_id}_", "nonsense",
                  f"hub_unknown_{key.split('_', 2)[2]}"):  # fmt: skip
        assert_unauthenticated(*await two_brands.query(wrong, WHO))


async def test_x_api_key_header_works_too(two_brands: TwoBrands) -> None:
    key = await new_key(two_brands.hub, Role.ADMIN)
    status, body = await two_brands.post({"query": WHO}, None, **{"X-Api-Key": key})
    assert status == 200 and body["data"]["customerByIdentifier"] == {"lastName": "Durand"}


async def test_only_the_hash_of_the_secret_is_stored(two_brands: TwoBrands) -> None:
    key = await new_key(two_brands.hub, Role.APP, name="shop")
    secret = key.split("_", 2)[2]
    async with two_brands.hub.sessions() as session:
        row = await session.scalar(select(ApiKeyRow).where(ApiKeyRow.name == "shop"))
        assert row is not None
        stored = [str(value) for value in vars(row).values()]
    assert not any(secret in value for value in stored)
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()


def _websocket_handshakes(config: Path, key: str) -> list[str]:
    """Three graphql-transport-ws handshakes: key in the payload, no key, key in the header.

    In-process (the loopback server has no WebSocket library), with the app opening its own hub
    in the test client's event loop.
    """
    with warnings.catch_warnings():
        # Starlette prefers httpx2 for its test client; httpx (installed) works the same.
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    outcomes = []
    init = {"authorization": f"Bearer {key}"}
    with TestClient(create_app(config_path=config)) as client:
        for payload, headers in ((init, {}), ({}, {}), ({}, bearer(key))):
            with client.websocket_connect(
                "/graphql", subprotocols=["graphql-transport-ws"], headers=headers
            ) as ws:
                ws.send_json({"type": "connection_init", "payload": payload})
                try:
                    outcomes.append(ws.receive_json()["type"])
                except WebSocketDisconnect as closed:
                    outcomes.append(f"closed {closed.code}")
    return outcomes


async def test_websocket_needs_a_key_in_connection_init_or_header(
    two_brands: TwoBrands, db_url: URL, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = await new_key(two_brands.hub, Role.ADMIN)
    monkeypatch.setenv("HUB_DATABASE_URL", db_url.render_as_string(hide_password=False))
    config = two_brands.hub.config.path
    assert config is not None
    outcomes = await asyncio.to_thread(_websocket_handshakes, config, key)
    assert outcomes == ["connection_ack", "closed 4403", "connection_ack"]


async def test_anonymous_access_only_when_configured(
    db_url: URL, write_config: WriteConfig, customers_csv: Path, atelier_csv: Path
) -> None:
    async for served in open_two_brands(db_url, write_config, "[api]\nanonymous = true\n"):
        status, body = await served.query(None, WHO)
        assert status == 200 and body["data"]["customerByIdentifier"] == {"lastName": "Durand"}
        # a key that is sent is still checked: a wrong one is not taken for anonymous
        assert_unauthenticated(*await served.query("hub_0000_wrong", WHO))
