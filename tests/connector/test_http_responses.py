"""HttpClient against real local servers: what a response reads as, from a healthy source, an
empty body, and bodies that cannot be read (retried, then MalformedResponse with the body)."""

from __future__ import annotations

import json
import math

import aiohttp
import pytest
from aiohttp import web

from hub.connector import HttpClient, MalformedResponse, RetryPolicy
from hub.errors import ConnectorError
from hub.sandbox import Faults, serve
from tests.connector.conftest import RecordingSleep
from tests.connector.customers_api import CUSTOMERS, TOKEN, WHERE, api, get_customers


async def test_a_healthy_source_is_asked_once_with_params_body_and_headers(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    async def echo(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "method": request.method,
                "query": dict(request.query),
                "body": await request.json(),
                "auth": request.headers.get("Authorization"),
            },
            headers={"X-Request-Id": "abc"},
        )

    app, faults = api(echo)
    client = HttpClient(session, sleep=sleep)
    async with serve(app) as base:
        response = await client.request_json(
            "POST",
            f"{base}/customers",
            where=WHERE,
            params={"limit": "2", "since": "2024-01-01T00:00:00+00:00"},
            json_body={"query": {"name": "Durand"}},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert response.status == 200
    assert response.data == {
        "method": "POST",
        "query": {"limit": "2", "since": "2024-01-01T00:00:00+00:00"},
        "body": {"query": {"name": "Durand"}},
        "auth": f"Bearer {TOKEN}",
    }
    assert response.url.startswith(f"{base}/customers?limit=2&since=")
    assert response.headers["x-request-id"] == "abc"
    assert (client.retries, sleep.waits, faults.stats) == (0, [], {200: 1})


async def test_an_empty_body_reads_as_none(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    async def no_content(request: web.Request) -> web.Response:
        return web.Response(status=204)

    app, _ = api(no_content)
    async with serve(app) as base:
        response = await HttpClient(session, sleep=sleep).request_json(
            "DELETE", f"{base}/customers", where=WHERE
        )
    assert (response.status, response.data, response.body) == (204, None, b"")


@pytest.mark.parametrize("fault", ["truncate", "malformed"])
async def test_an_unreadable_body_once_is_retried(
    session: aiohttp.ClientSession, sleep: RecordingSleep, fault: str
) -> None:
    faults = Faults()
    setattr(faults, fault, 1)
    app, _ = api(faults=faults)
    client = HttpClient(session, sleep=sleep)
    async with serve(app) as base:
        assert await get_customers(client, base) == CUSTOMERS
    assert client.retries == 1
    assert faults.stats == {200: 2}


async def test_a_body_truncated_every_time_raises_malformed_response_with_the_body(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    app, _ = api(faults=Faults(truncate=3))
    client = HttpClient(session, RetryPolicy(attempts=3), sleep=sleep)
    async with serve(app) as base:
        with pytest.raises(MalformedResponse) as caught:
            await get_customers(client, base)
    full = web.json_response(CUSTOMERS).body
    assert isinstance(full, bytes)
    assert caught.value.body == full[: len(full) // 2]
    message = str(caught.value)
    assert message.startswith("shop/customers: gave up after 3 attempts; last: malformed JSON")
    assert "/customers" in message.split("last:")[1]
    assert client.retries == 2


async def test_html_instead_of_json_every_time_raises_malformed_response(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    app, _ = api(faults=Faults(malformed=2))
    client = HttpClient(session, RetryPolicy(attempts=2), sleep=sleep)
    async with serve(app) as base:
        with pytest.raises(MalformedResponse) as caught:
            await get_customers(client, base)
    assert caught.value.body == b"<html><body>502 Bad Gateway</body></html>"
    assert str(caught.value).startswith(WHERE + ": gave up after 2 attempts")


async def test_malformed_response_is_raised_only_when_the_last_failure_was_malformed(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    answered: list[str] = []

    async def html_then_down(request: web.Request) -> web.Response:
        answered.append(request.path)
        if len(answered) == 1:
            return web.Response(text="<html>oops</html>", content_type="text/html")
        return web.json_response({"errors": "down"}, status=503)

    app, _ = api(html_then_down)
    client = HttpClient(session, RetryPolicy(attempts=2), sleep=sleep)
    async with serve(app) as base:
        with pytest.raises(ConnectorError) as caught:
            await get_customers(client, base)
    assert not isinstance(caught.value, MalformedResponse)
    assert str(caught.value).endswith('last: HTTP 503 "down"')


@pytest.mark.parametrize(
    ("body", "data"),
    [
        pytest.param(
            b'{"id": 123456789012345678901234567890}',
            {"id": 123456789012345678901234567890},
            id="big-integer",
        ),
        pytest.param('{"name": "Chloé"}'.encode("utf-16"), {"name": "Chloé"}, id="utf-16"),
        pytest.param(b'{"score": -Infinity, "n": 1}', {"score": -math.inf, "n": 1}, id="infinity"),
    ],
)
async def test_bodies_are_read_exactly_as_the_standard_library_reads_them(
    session: aiohttp.ClientSession, sleep: RecordingSleep, body: bytes, data: object
) -> None:
    """Integers of any size stay exact; what the fast parser refuses, json.loads reads."""

    async def unusual(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    app, _ = api(unusual)
    async with serve(app) as base:
        response = await HttpClient(session, sleep=sleep).request_json(
            "GET", f"{base}/customers", where=WHERE
        )
    assert response.data == data == json.loads(body)
