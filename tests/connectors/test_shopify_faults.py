"""The Shopify connector on a bad day: rate limits, server errors, broken bodies, bad items."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

import connectors.shopify
from connectors.shopify.connector import ShopifyConnector
from connectors.shopify.sandbox import CallBucket, ShopifySandbox
from connectors.shopify.sandbox_documents import REMOVED
from hub.config import render_instance
from hub.connector import RetryPolicy
from hub.errors import ConfigError
from hub.runtime import Hub
from hub.store.models import QuarantineRow
from hub.sync.engine import RunCounts, sync_connector
from tests.conftest import WriteConfig
from tests.connectors.shopify_support import fast_runtime, shop_hub, small_shop, stored_records
from tests.hub_config import table_with_line

PATIENT = RetryPolicy(attempts=30, base_delay=0.001, max_delay=0.01, timeout=2)


@pytest.fixture
def sandbox() -> ShopifySandbox:
    return small_shop()


def everything(sandbox: ShopifySandbox) -> int:
    return len(sandbox.customers) + len(sandbox.orders)


@pytest.mark.parametrize(
    "faults",
    [
        {"rate_limit_ratio": 0.3, "retry_after": 0.001},
        {"server_error_ratio": 0.3},
        {"truncate": 3, "malformed": 3},
    ],
    ids=["429-storm", "5xx-bursts", "broken-bodies"],
)
async def test_a_bad_day_still_ends_in_a_complete_sync(
    sandbox: ShopifySandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
    faults: dict[str, float],
) -> None:
    sandbox.faults.update({**faults, "seed": 5})
    async with (
        shop_hub(sandbox, db_url, write_config, monkeypatch, page_size=10) as shop,
        fast_runtime(PATIENT) as rt,
    ):
        result = await sync_connector(shop.connector, shop.hub.sessions, rt)
        stored = await stored_records(shop.hub)
    failures = sum(n for status, n in sandbox.faults.stats.items() if status >= 400)
    assert (result.status, result.error) == ("succeeded", None)
    assert result.counts == RunCounts(
        fetched=everything(sandbox), inserted=everything(sandbox), retries=rt.http.retries
    )
    assert len(stored) == everything(sandbox)
    if "truncate" in faults:
        assert rt.http.retries == 6
    else:
        assert failures >= 3
        assert rt.http.retries == failures


async def test_retry_after_is_honoured(
    sandbox: ShopifySandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox.faults.update({"rate_limit": 2, "retry_after": 0.3})
    policy = RetryPolicy(attempts=5, base_delay=0.001, max_delay=5, timeout=2)
    async with (
        shop_hub(sandbox, db_url, write_config, monkeypatch) as shop,
        fast_runtime(policy) as rt,
    ):
        started = time.monotonic()
        result = await sync_connector(shop.connector, shop.hub.sessions, rt)
        elapsed = time.monotonic() - started
    assert result.status == "succeeded"
    assert sandbox.faults.stats[429] == 2
    assert elapsed >= 0.6  # two waits of Retry-After: 0.30; the backoff alone is ~0.001 s


async def test_a_repeated_page_token_fails_the_run_without_looping(
    sandbox: ShopifySandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox.faults.repeat_token = 1
    async with (
        shop_hub(sandbox, db_url, write_config, monkeypatch, page_size=10) as shop,
        fast_runtime() as rt,
    ):
        result = await sync_connector(shop.connector, shop.hub.sessions, rt)
        stored = await stored_records(shop.hub)
    assert result.status == "failed"
    assert result.error is not None
    assert result.error.startswith("webshop/customers: the source sent the page token")
    assert "twice" in result.error
    assert sum(sandbox.faults.stats.values()) == 2  # page 2 pointed at itself: no third call
    assert len(stored) == 20  # the page before the repeat and the page with it are kept


async def test_bad_items_are_quarantined_and_good_ones_in_the_same_page_stored(
    sandbox: ShopifySandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer_ids = [row_id for _, row_id in sandbox.customers.keys]
    order_ids = [row_id for _, row_id in sandbox.orders.keys]
    sandbox.update_customer(customer_ids[0], id=REMOVED)
    sandbox.update_customer(customer_ids[1], default_address="12 rue de la Paix, Paris")
    sandbox.update_customer(customer_ids[2], updated_at="2999-01-01T00:00:00+01:00")
    sandbox.update_order(order_ids[0], currency="ZZZ")
    sandbox.update_order(order_ids[1], total_price="12,3.4")
    async with shop_hub(sandbox, db_url, write_config, monkeypatch) as shop, fast_runtime() as rt:
        result = await sync_connector(shop.connector, shop.hub.sessions, rt)
        async with shop.hub.sessions() as session:
            quarantined = (
                await session.scalars(select(QuarantineRow).order_by(QuarantineRow.id))
            ).all()
        stored = await stored_records(shop.hub)
    assert result.status == "succeeded"
    assert result.counts == RunCounts(
        fetched=everything(sandbox), inserted=everything(sandbox) - 5, quarantined=5
    )
    assert len(stored) == everything(sandbox) - 5
    assert {(q.stream, q.source_id, q.reason) for q in quarantined} == {
        ("customers", None, "webshop/customers: RecordError: id: missing or not an id (None)"),
        (
            "customers",
            str(customer_ids[1]),
            "webshop/customers: RecordError: default_address: expected an object, got str",
        ),
        (
            "customers",
            str(customer_ids[2]),
            "webshop/customers: RecordError: updated_at: "
            "'2999-01-01T00:00:00+01:00' is outside 1900 to 2100",
        ),
        (
            "orders",
            str(order_ids[0]),
            "webshop/orders: RecordError: currency: 'ZZZ' is not an ISO 4217 currency",
        ),
        (
            "orders",
            str(order_ids[1]),
            "webshop/orders: RecordError: total_price: '12,3.4' is not an amount",
        ),
    }


async def test_a_refused_token_fails_the_run_naming_the_instance_and_not_the_token(
    sandbox: ShopifySandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with shop_hub(sandbox, db_url, write_config, monkeypatch) as shop, fast_runtime() as rt:
        monkeypatch.setenv("SHOPIFY_TOKEN_WEBSHOP", "shpat_revoked_0123456789")
        hub = await Hub.open(shop.hub.config.path, url=db_url, extra_plugins=(connectors.shopify,))
        try:
            result = await sync_connector(hub.connectors["webshop"], hub.sessions, rt)
        finally:
            await hub.close()
    assert result.status == "failed"
    assert result.error is not None
    assert result.error.startswith(
        "webshop/customers: the source refused the credentials (HTTP 401)"
    )
    assert "Invalid API key or access token" in result.error
    assert "shpat_revoked" not in result.error
    assert sandbox.faults.stats[401] == 1  # not retried


async def test_a_nearly_full_call_bucket_slows_the_sync_down_instead_of_hitting_429(
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox = small_shop(12)
    async with (
        shop_hub(sandbox, db_url, write_config, monkeypatch, page_size=10) as shop,
        fast_runtime() as rt,
    ):
        # Filled just before the sync: on a busy machine, setting up the hub takes long
        # enough for a bucket filled earlier to drain on its own.
        sandbox.bucket = CallBucket(capacity=40, leak_per_second=2.0, used=38)  # standard plan
        result = await sync_connector(shop.connector, shop.hub.sessions, rt)
    connector: ShopifyConnector = shop.connector
    assert result.status == "succeeded"
    assert sum(sandbox.faults.stats.values()) >= 3
    assert sandbox.faults.stats[429] == 0
    assert connector.throttle.waited > 0


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("page_size = 251", "key 'page_size': Shopify pages hold 1 to 250 items, got 251"),
        ("page_size = 0", "key 'page_size': Shopify pages hold 1 to 250 items, got 0"),
        ('base_url = "shop.myshopify.com"', "key 'base_url': expected https://"),
        ('access_token = "shpat_literal"', "key 'access_token': a secret must be written as"),
    ],
)
async def test_settings_errors_name_the_instance_and_the_key(
    write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch, setting: str, message: str
) -> None:
    monkeypatch.setenv("SHOPIFY_TOKEN", "shpat_x")
    table = {"type": "shopify", "base_url": "https://lumiere.myshopify.com/admin/api/2024-10"}
    table["access_token"] = "${SHOPIFY_TOKEN}"
    config = write_config(table_with_line("webshop", table, setting))
    with pytest.raises(ConfigError) as raised:
        await Hub.open(config, extra_plugins=(connectors.shopify,))
    assert "[connectors.webshop]" in str(raised.value)
    assert message in str(raised.value)


async def test_a_missing_base_url_is_a_settings_error(
    write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOPIFY_TOKEN", "shpat_x")
    config = write_config(
        render_instance("webshop", {"type": "shopify", "access_token": "${SHOPIFY_TOKEN}"})
    )
    with pytest.raises(ConfigError, match="missing setting 'base_url'"):
        await Hub.open(config, extra_plugins=(connectors.shopify,))
