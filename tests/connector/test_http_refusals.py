"""HttpClient against real local servers: what waiting cannot fix (refused credentials, rejected
requests) is raised at once, and the messages never carry the token."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web

from hub.connector import AuthenticationError, HttpClient, SourceRequestError
from hub.sandbox import serve
from tests.connector.conftest import RecordingSleep
from tests.connector.customers_api import CUSTOMERS, TOKEN, WHERE, Handler, api, get_customers


def bearer_only(expected: str, status: int) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {expected}":
            message = "[API] Invalid API key or access token (unrecognized login or wrong password)"
            return web.json_response({"errors": message}, status=status)
        return web.json_response(CUSTOMERS)

    return handler


@pytest.mark.parametrize("status", [401, 403])
async def test_refused_credentials_raise_at_once_without_the_token(
    session: aiohttp.ClientSession, sleep: RecordingSleep, status: int
) -> None:
    app, faults = api(bearer_only("the-right-token", status))
    client = HttpClient(session, sleep=sleep)
    async with serve(app) as base:
        with pytest.raises(AuthenticationError) as caught:
            await client.request_json(
                "GET",
                f"{base}/customers",
                where=WHERE,
                headers={"Authorization": f"Bearer {TOKEN}", "X-Shopify-Access-Token": TOKEN},
            )
    message = str(caught.value)
    assert message.startswith(f"shop/customers: the source refused the credentials (HTTP {status})")
    assert "[API] Invalid API key or access token" in message
    everything = f"{message} {caught.value.args!r} {caught.value.__cause__!r}"
    assert TOKEN not in everything
    assert "Bearer" not in everything
    assert caught.value.__cause__ is None
    assert (faults.stats, client.retries, sleep.waits) == ({status: 1}, 0, [])


async def test_a_source_echoing_the_refused_token_does_not_put_it_in_the_error(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    async def echo(request: web.Request) -> web.Response:
        sent = request.headers["Authorization"].removeprefix("Bearer ")
        return web.json_response({"errors": f"token {sent} is not valid"}, status=401)

    app, _ = api(echo)
    async with serve(app) as base:
        with pytest.raises(AuthenticationError) as caught:
            await HttpClient(session, sleep=sleep).request_json(
                "GET",
                f"{base}/customers",
                where=WHERE,
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
    assert TOKEN not in str(caught.value)
    assert "token [redacted] is not valid" in str(caught.value)


@pytest.mark.parametrize("status", [400, 404, 422])
async def test_a_rejected_request_raises_source_request_error_without_retrying(
    session: aiohttp.ClientSession, sleep: RecordingSleep, status: int
) -> None:
    async def strict(request: web.Request) -> web.Response:
        return web.json_response({"message": "unknown parameter 'updated_sinc'"}, status=status)

    app, faults = api(strict)
    client = HttpClient(session, sleep=sleep)
    async with serve(app) as base:
        with pytest.raises(SourceRequestError) as caught:
            await get_customers(client, base)
    assert caught.value.status == status
    assert not isinstance(caught.value, AuthenticationError)
    assert str(caught.value) == (
        f"shop/customers: the source rejected the request (HTTP {status}): "
        "\"unknown parameter 'updated_sinc'\""
    )
    assert (faults.stats, client.retries, sleep.waits) == ({status: 1}, 0, [])
