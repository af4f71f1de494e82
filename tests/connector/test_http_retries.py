"""HttpClient against real local servers: 5xx bursts, time-outs and refused connections are
retried with growing waits, and giving up names where and the last failure."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web

from hub.connector import HttpClient, RetryPolicy
from hub.errors import ConnectorError
from hub.sandbox import Faults, serve
from hub.sandbox.server import free_port
from tests.connector.conftest import RecordingSleep
from tests.connector.customers_api import CUSTOMERS, api, constant, get_customers


async def test_a_burst_of_5xx_is_retried_with_growing_waits_then_succeeds(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    app, faults = api(faults=Faults(server_errors=3))
    client = HttpClient(session, sleep=sleep, rng=constant(0.5))
    async with serve(app) as base:
        assert await get_customers(client, base) == CUSTOMERS
    assert sleep.waits == [0.25, 0.5, 1.0]
    assert client.retries == 3
    assert faults.stats[200] == 1
    assert sum(faults.stats[status] for status in (500, 502, 503)) == 3


async def test_retries_add_up_over_the_requests_of_one_client(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    app, faults = api(faults=Faults(rate_limit=1))
    client = HttpClient(session, sleep=sleep)
    async with serve(app) as base:
        await get_customers(client, base)
        faults.server_errors = 2
        await get_customers(client, base)
        await get_customers(client, base)
    assert client.retries == 3


async def test_every_passing_fault_in_turn_is_retried(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    app, faults = api(faults=Faults(rate_limit=1, server_errors=1, truncate=1, malformed=1))
    client = HttpClient(session, sleep=sleep)
    async with serve(app) as base:
        assert await get_customers(client, base) == CUSTOMERS
    assert client.retries == 4
    assert faults.stats[200] == 3  # the truncated, the malformed and the good one


async def test_attempts_exhausted_raise_connector_error_naming_where_and_last_status(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    async def down(request: web.Request) -> web.Response:
        return web.json_response({"errors": "Service Unavailable: maintenance"}, status=503)

    app, faults = api(down)
    client = HttpClient(session, RetryPolicy(attempts=3), sleep=sleep)
    async with serve(app) as base:
        with pytest.raises(ConnectorError) as caught:
            await get_customers(client, base)
    assert type(caught.value) is ConnectorError
    assert str(caught.value) == (
        'shop/customers: gave up after 3 attempts; last: HTTP 503 "Service Unavailable: '
        'maintenance"'
    )
    assert faults.stats == {503: 3}
    assert (client.retries, len(sleep.waits)) == (2, 2)  # no wait after the last attempt


async def test_a_slow_answer_times_out_and_is_retried(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    app, _ = api(faults=Faults(slow=1, delay=0.3))
    client = HttpClient(session, RetryPolicy(timeout=0.05), sleep=sleep)
    async with serve(app) as base:
        assert await get_customers(client, base) == CUSTOMERS
    assert client.retries == 1


async def test_a_source_slower_than_the_timeout_every_time_gives_up_saying_so(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    app, _ = api(faults=Faults(slow=2, delay=0.3))
    client = HttpClient(session, RetryPolicy(attempts=2, timeout=0.05), sleep=sleep)
    async with serve(app) as base:
        with pytest.raises(ConnectorError) as caught:
            await get_customers(client, base)
    assert str(caught.value) == (
        "shop/customers: gave up after 2 attempts; last: no answer within 0.05s"
    )
    assert client.retries == 1


async def test_a_refused_connection_is_retried_then_raises_connector_error(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    client = HttpClient(session, RetryPolicy(attempts=3), sleep=sleep)
    with pytest.raises(ConnectorError) as caught:
        await get_customers(client, closed)
    assert type(caught.value) is ConnectorError
    message = str(caught.value)
    assert message.startswith("shop/customers: gave up after 3 attempts; last: connection problem")
    assert (client.retries, len(sleep.waits)) == (2, 2)
