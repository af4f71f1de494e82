"""HttpClient against real local servers: what is retried and how long it waits, what is raised
at once, and what the messages say (and never say)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from hub.connector import (
    AuthenticationError,
    HttpClient,
    MalformedResponse,
    RetryPolicy,
    SourceRequestError,
)
from hub.connector.http import retry_after_seconds
from hub.errors import ConnectorError
from hub.sandbox import Faults, faults_middleware, install_faults, serve
from hub.sandbox.server import free_port
from tests.connector.conftest import RecordingSleep

WHERE = "shop/customers"
TOKEN = "shpat_9f8e7d6c5b4a-live-secret"
CUSTOMERS = {"customers": [{"id": 1, "email": "amelie@example.fr"}, {"id": 2, "email": None}]}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def vendor_error(status: int, message: str) -> dict[str, Any]:
    return {"errors": message}


async def list_customers(request: web.Request) -> web.Response:
    return web.json_response(CUSTOMERS)


def api(
    handler: Handler = list_customers,
    faults: Faults | None = None,
    *,
    sends_retry_after: bool = True,
) -> tuple[web.Application, Faults]:
    """A one-route source at ``/customers`` behind the sandbox faults; the faults count requests."""
    app = web.Application(
        middlewares=[faults_middleware(vendor_error, sends_retry_after=sends_retry_after)]
    )
    installed = install_faults(app, faults)
    app.router.add_route("*", "/customers", handler)
    return app, installed


def constant(value: float) -> Callable[[], float]:
    return lambda: value


def sequence(*values: float) -> Callable[[], float]:
    """An rng that hands out ``values`` in order and fails the test if asked for more."""
    it: Iterator[float] = iter(values)
    return lambda: next(it)


async def get_customers(client: HttpClient, base: str) -> Any:
    response = await client.request_json("GET", f"{base}/customers", where=WHERE)
    return response.data


# --- success -------------------------------------------------------------------------------


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


# --- rate limits and Retry-After -------------------------------------------------------------


async def test_429_with_retry_after_seconds_waits_exactly_that(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    app, faults = api(faults=Faults(rate_limit=2, retry_after=1.5))
    client = HttpClient(session, sleep=sleep, rng=sequence())  # no jitter may be drawn
    async with serve(app) as base:
        assert await get_customers(client, base) == CUSTOMERS
    assert sleep.waits == [1.5, 1.5]
    assert client.retries == 2
    assert faults.stats == {429: 2, 200: 1}


async def test_retry_after_longer_than_max_delay_is_capped(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    app, _ = api(faults=Faults(rate_limit=1, retry_after=90))
    client = HttpClient(session, RetryPolicy(max_delay=10), sleep=sleep)
    async with serve(app) as base:
        assert await get_customers(client, base) == CUSTOMERS
    assert sleep.waits == [10.0]


async def test_429_with_retry_after_as_an_http_date_waits_until_that_time(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    answered: list[int] = []

    async def limited_once(request: web.Request) -> web.Response:
        if answered:
            return web.json_response(CUSTOMERS)
        answered.append(429)
        when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
        return web.json_response({"errors": "slow down"}, status=429, headers={"Retry-After": when})

    app, _ = api(limited_once)
    client = HttpClient(session, sleep=sleep, rng=sequence())
    async with serve(app) as base:
        assert await get_customers(client, base) == CUSTOMERS
    [wait] = sleep.waits
    assert 28.5 < wait <= 30  # the date has whole seconds; a few ms passed since it was made


async def test_429_without_retry_after_backs_off_exponentially_with_full_jitter(
    session: aiohttp.ClientSession, sleep: RecordingSleep
) -> None:
    app, faults = api(faults=Faults(rate_limit=4), sends_retry_after=False)
    policy = RetryPolicy(base_delay=0.1, max_delay=0.5)
    client = HttpClient(session, policy, sleep=sleep, rng=sequence(0.9, 0.5, 0.25, 0.1))
    async with serve(app) as base:
        assert await get_customers(client, base) == CUSTOMERS
    # Ceilings 0.1, 0.2, 0.4, then 0.8 capped at 0.5; each wait is the rng's share of it.
    assert sleep.waits == pytest.approx([0.09, 0.1, 0.1, 0.05])
    assert faults.stats == {429: 4, 200: 1}


# --- server errors, exhaustion -----------------------------------------------------------------


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


# --- bodies that cannot be read ----------------------------------------------------------------


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


# --- what waiting cannot fix -------------------------------------------------------------------


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


# --- time-outs and connections -----------------------------------------------------------------


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


# --- Retry-After parsing -----------------------------------------------------------------------

NOW = datetime(2015, 10, 21, 7, 27, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("2.0", 2.0),  # Shopify
        ("120", 120.0),
        ("0", 0.0),
        ("-5", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:28:00 -0000", 30.0),  # no zone given: read as UTC
        ("Wed, 21 Oct 2015 09:28:00 +0200", 30.0),
        ("Wed, 21 Oct 2015 07:00:00 GMT", 0.0),  # already past
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(value: str, seconds: float) -> None:
    assert retry_after_seconds(value, now=NOW) == seconds


@pytest.mark.parametrize("value", [None, "", "soon", "Wed, 99 Foo 2015"])
def test_an_unreadable_retry_after_is_ignored(value: str | None) -> None:
    assert retry_after_seconds(value, now=NOW) is None
