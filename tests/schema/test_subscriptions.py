"""Subscriptions over a real WebSocket (graphql-transport-ws, served by uvicorn): a customer's
change made by a sync of a sandbox, and a merge made by an agent, reach the subscribers; and
triggerSync / replayQuarantine as admins run them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from rich.console import Console

from hub.app import create_app
from hub.commands import run_resolve, run_sync
from hub.runtime import Hub
from hub.testing import serve_asgi
from tests.conftest import AcmeSource, bearer, new_key, until
from tests.schema.conftest import APP, audit_rows, execute

LOOKUP = """
query ($v: String!) { customerByIdentifier(kind: SOURCE_CUSTOMER_ID, value: $v) { id } }
"""
CHANGED = """
subscription ($id: ID!) {
  customerChanged(id: $id) { customerId change cause by customer { id firstName } }
}
"""
IDENTITY = """
subscription { identityChanges { kind profileId otherProfileIds decidedBy automatic cause } }
"""
TRIGGER = """
mutation ($c: String!) {
  triggerSync(connector: $c, reason: "member data fixed at the source") {
    __typename
    ... on MutationError { code }
    ... on SyncJobStatus { id connector status }
  }
}
"""
JOB = "query ($id: ID!) { syncJob(id: $id) { status runId error } }"
MERGE = """
mutation ($a: ID!, $b: ID!) {
  mergeProfiles(survivor: $a, other: $b, reason: "same person, told us on the phone") {
    __typename
  }
}
"""
REPLAY = """
mutation ($c: String!) {
  replayQuarantine(connector: $c) {
    __typename
    ... on MutationError { code }
    ... on QuarantineReplayed { replayed stillFailing }
  }
}
"""


@pytest.fixture
async def headers(acme: AcmeSource) -> dict[str, str]:
    """An admin key's header: /graphql, WebSocket included, refuses requests without a key."""
    return bearer(await new_key(acme.hub, name="ops"))


@pytest.fixture
async def served(acme: AcmeSource) -> AsyncIterator[str]:
    """The acme hub, synced and resolved, served by uvicorn with its background work."""
    quiet = Console(quiet=True)
    await run_sync(acme.hub, (), full=False, console=quiet)
    await run_resolve(acme.hub, console=quiet)
    async with serve_asgi(create_app(acme.hub)) as url:
        yield url


async def post(http: aiohttp.ClientSession, base: str, query: str, **variables: Any) -> Any:
    response = await http.post(f"{base}/graphql", json={"query": query, "variables": variables})
    assert response.status == 200
    body = await response.json()
    assert "errors" not in body, body
    return body["data"]


class Subscriber:
    """One graphql-transport-ws connection."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket

    async def start(self, op: str, query: str, **variables: Any) -> None:
        payload = {"query": query, "variables": variables}
        await self.socket.send_json({"id": op, "type": "subscribe", "payload": payload})

    async def next(self, op: str) -> Any:
        """The data of the next ``next`` message of ``op`` (waiting up to 10 s)."""
        async with asyncio.timeout(10):
            while True:
                message = json.loads(await self.socket.receive_str())
                assert message["type"] != "error", message
                if message["type"] == "next" and message["id"] == op:
                    assert "errors" not in message["payload"], message
                    return message["payload"]["data"]


@pytest.fixture
async def subscriber(served: str, headers: dict[str, str]) -> AsyncIterator[Subscriber]:
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(f"{served}/graphql", protocols=("graphql-transport-ws",)) as socket,
    ):
        assert socket.protocol == "graphql-transport-ws"
        payload = {"authorization": headers["Authorization"]}
        await socket.send_json({"type": "connection_init", "payload": payload})
        assert (await socket.receive_json())["type"] == "connection_ack"
        yield Subscriber(socket)


async def test_a_sync_and_an_agents_merge_reach_subscribers(
    acme: AcmeSource, served: str, subscriber: Subscriber, headers: dict[str, str]
) -> None:
    hub: Hub = acme.hub
    async with aiohttp.ClientSession(headers=headers) as http:
        first = (await post(http, served, LOOKUP, v="acme:M-00001"))["customerByIdentifier"]["id"]
        second = (await post(http, served, LOOKUP, v="acme:M-00002"))["customerByIdentifier"]["id"]
        await subscriber.start("one", CHANGED, id=first)
        await subscriber.start("feed", IDENTITY)

        async def listening() -> bool:
            return hub.events.subscribers == 2

        await until(listening, "both subscriptions")
        acme.sandbox.update_member("M-00001", given_name="Renamed")
        started = (await post(http, served, TRIGGER, c="acme"))["triggerSync"]
        assert (started["__typename"], started["status"]) == ("SyncJobStatus", "running")

        change = (await subscriber.next("one"))["customerChanged"]
        assert (change["customerId"], change["change"], change["cause"], change["by"]) == (
            first,
            "updated",
            "sync",
            "auto",
        )
        assert change["customer"] == {"id": first, "firstName": "Renamed"}
        job = (await post(http, served, JOB, id=started["id"]))["syncJob"]
        assert job["status"] == "succeeded" and job["runId"] is not None

        merged = (await post(http, served, MERGE, a=first, b=second))["mergeProfiles"]
        assert merged["__typename"] == "MergeSuccess"
        feed = (await subscriber.next("feed"))["identityChanges"]
        assert feed == {
            "kind": "merge",
            "profileId": first,
            "otherProfileIds": [second],
            "decidedBy": "key:ops",
            "automatic": False,
            "cause": "decision",
        }
        mine = (await subscriber.next("one"))["customerChanged"]
        assert (mine["change"], mine["cause"], mine["by"]) == ("merge", "decision", "key:ops")
    actions = [(e.action, e.subject_id) for e in await audit_rows(hub) if e.actor != "resolution"]
    assert actions == [("sync.trigger", "acme"), ("identity.merge", first)]


async def test_sync_mutations_refuse_unknown_connectors_and_non_admins(
    acme: AcmeSource, served: str, headers: dict[str, str]
) -> None:
    async with aiohttp.ClientSession(headers=headers) as http:
        unknown = (await post(http, served, TRIGGER, c="nope"))["triggerSync"]
        assert (unknown["__typename"], unknown["code"]) == ("NotFound", "CONNECTOR_NOT_FOUND")
        replayed = (await post(http, served, REPLAY, c="acme"))["replayQuarantine"]
        assert replayed == {"__typename": "QuarantineReplayed", "replayed": 0, "stillFailing": 0}
    for query in (TRIGGER, REPLAY):
        data = await execute(acme.hub, query, {"c": "acme"}, viewer=APP)
        [result] = data.values()
        assert (result["__typename"], result["code"]) == ("PermissionDenied", "PERMISSION_DENIED")
    assert [e.action for e in await audit_rows(acme.hub)] == ["sync.replay_quarantine"]
