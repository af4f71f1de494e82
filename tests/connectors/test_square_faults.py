"""The Square connector on a bad day: rate limits, server errors, broken bodies, a repeated
cursor, a refused token, a saved cursor Square no longer accepts, and settings mistakes."""

from __future__ import annotations

import aiohttp
import pytest
from sqlalchemy.engine import URL

from hub.config import render_instance
from hub.errors import ConfigError
from hub.runtime import Hub
from hub.sandbox import Faults, serve
from hub.store import sync_state
from hub.sync.engine import sync_connector
from tests.conftest import WriteConfig
from tests.connectors.square_kit import (
    PATIENT,
    entity_counts,
    expected_counts,
    runtime,
    small_sandbox,
    square_hub,
    stored_records,
)
from tests.hub_config import table_with_line


async def test_a_429_storm_and_5xx_bursts_still_end_in_a_complete_sync(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults = Faults(rate_limit_ratio=0.3, server_error_ratio=0.3, seed=11)
    sandbox = small_sandbox(faults=faults)
    async with square_hub(sandbox, db_url, write_config, monkeypatch) as square:
        async with runtime(PATIENT) as rt:
            result = await sync_connector(square.connector(), square.hub.sessions, rt)
            retries = rt.http.retries
        assert (result.status, result.error) == ("succeeded", None)
        assert entity_counts(await stored_records(square.hub, "tills")) == expected_counts(sandbox)
        assert faults.stats[429] > 3
        assert sum(faults.stats[status] for status in (500, 502, 503)) > 3
        assert retries == sum(count for status, count in faults.stats.items() if status >= 429)


async def test_square_answers_429_rate_limited_without_retry_after() -> None:
    sandbox = small_sandbox(faults=Faults(rate_limit=1))
    async with serve(sandbox.create_app()) as url, aiohttp.ClientSession() as session:
        headers = {"Authorization": f"Bearer {sandbox.access_token}"}
        async with session.get(f"{url}/v2/locations", headers=headers) as response:
            assert response.status == 429
            assert "Retry-After" not in response.headers
            [error] = (await response.json())["errors"]
    assert (error["category"], error["code"]) == ("RATE_LIMIT_ERROR", "RATE_LIMITED")


async def test_truncated_and_malformed_bodies_are_retried(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults = Faults(truncate=2, malformed=2)
    sandbox = small_sandbox(faults=faults)
    async with square_hub(sandbox, db_url, write_config, monkeypatch) as square:
        async with runtime() as rt:
            result = await sync_connector(square.connector(), square.hub.sessions, rt)
            assert rt.http.retries == 4
        assert result.status == "succeeded"
        assert (faults.truncate, faults.malformed) == (0, 0)
        assert entity_counts(await stored_records(square.hub, "tills")) == expected_counts(sandbox)


async def test_a_repeated_cursor_fails_the_run_clearly_and_the_next_run_completes(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults = Faults(repeat_token=1)
    sandbox = small_sandbox(faults=faults)
    async with square_hub(sandbox, db_url, write_config, monkeypatch) as square:
        async with runtime() as rt:
            failed = await sync_connector(square.connector(), square.hub.sessions, rt)
            requests = sum(faults.stats.values())
            again = await sync_connector(square.connector(), square.hub.sessions, rt)
        assert failed.status == "failed"
        assert failed.error is not None
        assert failed.error.startswith("tills/customers: the source sent the page token")
        assert "twice" in failed.error
        assert requests == 2  # page 1, then page 2 handing back its own cursor: stopped there
        assert again.status == "succeeded"
        assert entity_counts(await stored_records(square.hub, "tills")) == expected_counts(sandbox)


async def test_a_refused_token_ends_the_run_naming_the_instance_not_the_token(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = small_sandbox()
    async with square_hub(sandbox, db_url, write_config, monkeypatch) as square:
        configured = sandbox.access_token
        sandbox.access_token = "the-right-token"  # the instance still holds the old one
        async with runtime() as rt:
            result = await sync_connector(square.connector(), square.hub.sessions, rt)
    assert result.status == "failed"
    assert result.error is not None
    assert result.error.startswith("tills/customers: the source refused the credentials (HTTP 401)")
    assert "UNAUTHORIZED" in result.error
    assert configured not in result.error
    assert "the-right-token" not in result.error


async def test_a_saved_cursor_square_refuses_restarts_the_query_from_the_watermark(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = small_sandbox()
    async with square_hub(sandbox, db_url, write_config, monkeypatch) as square:
        headers = {"Authorization": f"Bearer {sandbox.access_token}"}
        async with aiohttp.ClientSession() as session:
            # A cursor of another query (name order), as a changed configuration would leave.
            body = {"limit": 5, "query": {"sort": {"field": "DEFAULT"}}}
            async with session.post(
                f"{square.url}/v2/customers/search", json=body, headers=headers
            ) as response:
                foreign = (await response.json())["cursor"]
        async with square.hub.sessions.begin() as session:
            cursor = f'{{"since": null, "next": "{foreign}", "watermark": null}}'
            await sync_state.save_cursor(session, "tills", "customers", cursor)
        async with runtime() as rt:
            result = await sync_connector(square.connector(), square.hub.sessions, rt)
        assert (result.status, result.error) == ("succeeded", None)
        assert entity_counts(await stored_records(square.hub, "tills")) == expected_counts(sandbox)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            'square_version = "2024/10/17"',
            "key 'square_version': '2024/10/17' is not a Square API version (YYYY-MM-DD",
        ),
        ("page_size = 0", "key 'page_size': 0 is not between 1 and 1000"),
        ('base_url = "connect.squareup.com/v2"', "key 'base_url': 'connect.squareup.com/v2'"),
        ('webhook_url = "/webhooks/tills"', "key 'webhook_url': '/webhooks/tills' is not"),
        ('location_ids = ["L1", " "]', "key 'location_ids': a location id is empty"),
        ('access_token = "literal-token"', "key 'access_token': a secret must be written"),
        ('location_ids = "L1"', "key 'location_ids': expected an array of strings"),
    ],
)
async def test_settings_errors_name_the_instance_and_the_key(
    write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch, setting: str, message: str
) -> None:
    monkeypatch.setenv("SQ_TOKEN", "token")
    table = {"type": "square", "access_token": "${SQ_TOKEN}"}
    text = table_with_line("tills", table, setting)
    with pytest.raises(ConfigError) as raised:
        await Hub.open(write_config("[plugins]\nload = ['connectors.square']\n" + text))
    assert "[connectors.tills]" in str(raised.value)
    assert message in str(raised.value)
    assert "token" not in str(raised.value).replace("access_token", "")


async def test_missing_settings_and_defaults(
    write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugins = "[plugins]\nload = ['connectors.square']\n"
    with pytest.raises(ConfigError, match="missing setting 'access_token'"):
        await Hub.open(write_config(plugins + '[connectors.tills]\ntype = "square"\n'))
    monkeypatch.setenv("SQ_TOKEN", "token")
    text = plugins + render_instance("tills", {"type": "square", "access_token": "${SQ_TOKEN}"})
    hub = await Hub.open(write_config(text), url=URL.create("sqlite+aiosqlite", database="x.db"))
    try:
        settings = hub.connectors["tills"].settings
        assert (settings.base_url, settings.square_version) == (
            "https://connect.squareup.com/v2",
            "2024-10-17",
        )
        assert (settings.location_ids, settings.webhook_secret, settings.page_size) == (
            [],
            None,
            1000,
        )
        assert hub.connectors["tills"].accepts_webhooks is False
    finally:
        await hub.close()
