"""Sandbox faults seen from a plain HTTP client: each counter hits exactly N requests, storms
are seeded, the admin routes change and report them."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from hub.sandbox import FAULTS, Faults, faults_middleware, install_faults, serve

BODY = {"customers": [{"id": 1, "name": "Amélie Durand"}, {"id": 2, "name": "Jean Martin"}]}


def vendor_error(status: int, message: str) -> dict[str, Any]:
    return {"errors": [{"code": status, "detail": message}]}


async def customers(request: web.Request) -> web.Response:
    return web.json_response(BODY)


async def refuse(request: web.Request) -> web.Response:
    raise web.HTTPUnauthorized(text="no token")


def sandbox_app(faults: Faults | None = None, *, sends_retry_after: bool = True) -> web.Application:
    app = web.Application(
        middlewares=[faults_middleware(vendor_error, sends_retry_after=sends_retry_after)]
    )
    install_faults(app, faults)
    app.router.add_get("/customers", customers)
    app.router.add_get("/private", refuse)
    return app


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def settings(faults: Faults) -> dict[str, Any]:
    """The fields a test or ``POST /_sandbox/faults`` sets."""
    return {
        f.name: getattr(faults, f.name)
        for f in dataclasses.fields(faults)
        if f.name not in ("stats", "_rng")
    }


async def statuses(session: aiohttp.ClientSession, url: str, count: int) -> list[int]:
    found = []
    for _ in range(count):
        async with session.get(url) as response:
            await response.read()
            found.append(response.status)
    return found


async def post_faults(
    session: aiohttp.ClientSession, base: str, changes: Any
) -> tuple[int, dict[str, Any]]:
    async with session.post(f"{base}/_sandbox/faults", data=json.dumps(changes)) as response:
        return response.status, await response.json()


async def stats(session: aiohttp.ClientSession, base: str) -> Any:
    async with session.get(f"{base}/_sandbox/stats") as response:
        return await response.json()


# --- counters ----------------------------------------------------------------------------------


async def test_rate_limit_answers_429_to_exactly_the_next_n_requests(
    session: aiohttp.ClientSession,
) -> None:
    async with serve(sandbox_app(Faults(rate_limit=2, retry_after=1.5))) as base:
        async with session.get(f"{base}/customers") as response:
            assert response.status == 429
            assert response.headers["Retry-After"] == "1.50"
            assert await response.json() == vendor_error(
                429, "Exceeded rate limit. Too many requests."
            )
        assert await statuses(session, f"{base}/customers", 3) == [429, 200, 200]


@pytest.mark.parametrize(
    ("faults", "sends_retry_after"),
    [(Faults(rate_limit=1, retry_after=None), True), (Faults(rate_limit=1), False)],
    ids=["retry_after None", "vendor sends none"],
)
async def test_retry_after_is_left_out_when_asked(
    session: aiohttp.ClientSession, faults: Faults, sends_retry_after: bool
) -> None:
    app = sandbox_app(faults, sends_retry_after=sends_retry_after)
    async with serve(app) as base, session.get(f"{base}/customers") as response:
        assert response.status == 429
        assert "Retry-After" not in response.headers


async def test_server_errors_answer_5xx_to_exactly_the_next_n_requests(
    session: aiohttp.ClientSession,
) -> None:
    async with serve(sandbox_app(Faults(server_errors=3))) as base:
        found = await statuses(session, f"{base}/customers", 5)
    assert all(status in (500, 502, 503) for status in found[:3])
    assert found[3:] == [200, 200]


async def test_truncate_cuts_exactly_the_next_n_bodies_in_half(
    session: aiohttp.ClientSession,
) -> None:
    full = json.dumps(BODY).encode()
    async with serve(sandbox_app(Faults(truncate=1))) as base:
        async with session.get(f"{base}/customers") as response:
            cut = await response.read()
        async with session.get(f"{base}/customers") as response:
            whole = await response.read()
    assert cut == full[: len(full) // 2]
    with pytest.raises(ValueError):
        json.loads(cut)
    assert json.loads(whole) == BODY


async def test_malformed_answers_html_to_exactly_the_next_n_requests(
    session: aiohttp.ClientSession,
) -> None:
    async with serve(sandbox_app(Faults(malformed=2))) as base:
        bodies = []
        for _ in range(3):
            async with session.get(f"{base}/customers") as response:
                bodies.append((response.status, await response.read()))
    html = b"<html><body>502 Bad Gateway</body></html>"
    assert bodies[:2] == [(200, html), (200, html)]
    assert json.loads(bodies[2][1]) == BODY


async def test_slow_delays_exactly_the_next_n_answers(session: aiohttp.ClientSession) -> None:
    async with serve(sandbox_app(Faults(slow=1, delay=0.3))) as base:
        took = []
        for _ in range(2):
            started = time.monotonic()
            async with session.get(f"{base}/customers") as response:
                assert await response.json() == BODY
            took.append(time.monotonic() - started)
    assert took[0] >= 0.3
    assert took[1] < 0.2


# --- storms ------------------------------------------------------------------------------------


async def storm(session: aiohttp.ClientSession, faults: Faults, count: int = 200) -> list[int]:
    async with serve(sandbox_app(faults)) as base:
        return await statuses(session, f"{base}/customers", count)


async def test_a_storm_is_the_same_for_the_same_seed(session: aiohttp.ClientSession) -> None:
    first = await storm(session, Faults(rate_limit_ratio=0.3, server_error_ratio=0.2, seed=7))
    again = await storm(session, Faults(rate_limit_ratio=0.3, server_error_ratio=0.2, seed=7))
    other = await storm(session, Faults(rate_limit_ratio=0.3, server_error_ratio=0.2, seed=8))
    assert first == again
    assert first != other
    limited = first.count(429) / len(first)
    failed = sum(first.count(status) for status in (500, 502, 503)) / len(first)
    assert 0.2 < limited < 0.4
    assert 0.08 < failed < 0.22  # 20 % of the 70 % not rate-limited


async def test_a_ratio_of_zero_leaves_every_request_alone(session: aiohttp.ClientSession) -> None:
    assert set(await storm(session, Faults(seed=3), count=20)) == {200}


# --- admin routes ------------------------------------------------------------------------------


async def test_faults_can_be_set_over_http(session: aiohttp.ClientSession) -> None:
    app = sandbox_app()
    async with serve(app) as base:
        assert await post_faults(session, base, {"rate_limit": 1, "server_errors": 1}) == (
            200,
            {"ok": True},
        )
        found = await statuses(session, f"{base}/customers", 3)
    assert found[0] == 429
    assert found[1] in (500, 502, 503)
    assert found[2] == 200
    assert (app[FAULTS].rate_limit, app[FAULTS].server_errors) == (0, 0)


async def test_setting_the_seed_over_http_restarts_the_storm(
    session: aiohttp.ClientSession,
) -> None:
    async with serve(sandbox_app()) as base:
        runs = []
        for _ in range(2):
            await post_faults(session, base, {"rate_limit_ratio": 0.5, "seed": 11})
            runs.append(await statuses(session, f"{base}/customers", 30))
    assert runs[0] == runs[1]
    assert 429 in runs[0] and 200 in runs[0]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"rate_limits": 1}, "unknown fault 'rate_limits'; known: delay, malformed,"),
        ({"stats": {}}, "unknown fault 'stats'"),
        ({"_rng": 1}, "unknown fault '_rng'"),
        ([1, 2], "expected a JSON object"),
        ({"rate_limit": "3"}, "fault 'rate_limit': expected int, got '3'"),
        ({"rate_limit": 1.5}, "fault 'rate_limit': expected int, got 1.5"),
        ({"slow": True}, "fault 'slow': expected int, got True"),
        ({"delay": "2s"}, "fault 'delay': expected float, got '2s'"),
        ({"retry_after": "soon"}, "fault 'retry_after': expected float | None"),
    ],
)
async def test_a_bad_fault_update_is_refused_with_400_and_changes_nothing(
    session: aiohttp.ClientSession, changes: Any, error: str
) -> None:
    app = sandbox_app()
    async with serve(app) as base:
        status, body = await post_faults(session, base, changes)
        # The whole update is refused, even its good part.
        if isinstance(changes, dict):
            assert await post_faults(session, base, {"server_errors": 1, **changes}) == (
                status,
                body,
            )
        assert await statuses(session, f"{base}/customers", 1) == [200]
    assert status == 400
    assert body["error"].startswith(error)
    assert settings(app[FAULTS]) == settings(Faults())


async def test_invalid_json_is_refused_with_400(session: aiohttp.ClientSession) -> None:
    async with (
        serve(sandbox_app()) as base,
        session.post(f"{base}/_sandbox/faults", data=b"{rate_limit") as response,
    ):
        assert response.status == 400
        assert (await response.json())["error"].startswith("Expecting property name")


async def test_accepted_values_of_each_kind(session: aiohttp.ClientSession) -> None:
    app = sandbox_app()
    changes = {"delay": 1, "retry_after": None, "rate_limit_ratio": 0.25, "seed": 5}
    async with serve(app) as base:
        assert (await post_faults(session, base, changes))[0] == 200
    faults = app[FAULTS]
    assert (faults.delay, faults.retry_after, faults.rate_limit_ratio, faults.seed) == (
        1,
        None,
        0.25,
        5,
    )


async def test_stats_count_answers_by_status_but_not_admin_requests(
    session: aiohttp.ClientSession,
) -> None:
    async with serve(sandbox_app(Faults(rate_limit=2))) as base:
        await statuses(session, f"{base}/customers", 5)
        await statuses(session, f"{base}/private", 1)  # the handler raises HTTPUnauthorized
        await statuses(session, f"{base}/nowhere", 1)  # no such route
        await post_faults(session, base, {"truncate": 0})
        await stats(session, base)
        assert await stats(session, base) == {
            "requests": 7,
            "by_status": {"429": 2, "200": 3, "401": 1, "404": 1},
        }


async def test_admin_routes_are_never_faulted(session: aiohttp.ClientSession) -> None:
    async with serve(sandbox_app(Faults(rate_limit=5, server_errors=5, malformed=5))) as base:
        assert await stats(session, base) == {"requests": 0, "by_status": {}}
        assert (await post_faults(session, base, {"rate_limit": 0}))[0] == 200


async def test_serve_runs_the_app_until_the_block_ends(session: aiohttp.ClientSession) -> None:
    async with serve(sandbox_app()) as base:
        assert base.startswith("http://127.0.0.1:")
        assert int(base.rsplit(":", 1)[1]) > 0
        assert await statuses(session, f"{base}/customers", 1) == [200]
    with pytest.raises(aiohttp.ClientConnectionError):
        await statuses(session, f"{base}/customers", 1)
