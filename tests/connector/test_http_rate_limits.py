"""HttpClient against real local servers: 429s wait what Retry-After says (seconds or an HTTP
date, capped), or back off with full jitter without it; and how Retry-After is read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import aiohttp
import pytest
from aiohttp import web

from hub.connector import HttpClient, RetryPolicy
from hub.connector.http import retry_after_seconds
from hub.sandbox import Faults, serve
from tests.connector.conftest import RecordingSleep
from tests.connector.customers_api import CUSTOMERS, api, get_customers, sequence


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
