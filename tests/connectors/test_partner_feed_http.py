"""The partner feed in HTTP mode, against its sandbox over real HTTP."""

from __future__ import annotations

import random
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from connectors.partner_feed.sandbox import API_KEY, PartnerFeedSandbox
from hub.connector import ConnectorRuntime, RetryPolicy
from hub.runtime import Hub
from hub.sandbox import Faults, SandboxConfig, serve
from hub.store.database import database_url
from hub.sync.engine import ProgressCallback, RunCounts, SyncResult, sync_connector
from tests.conftest import WriteConfig
from tests.connectors.partner_feed_support import (
    FAST_RETRIES,
    INSTANCE,
    STORM_RETRIES,
    activities_of,
    identifiers_of,
    new_sandbox,
    open_hub,
    quarantined,
    record_row,
    stored_records,
)

OVERLAP = timedelta(minutes=5)


class Running:
    """A sandbox served on a local port, and a hub with one instance configured against it."""

    def __init__(self, sandbox: PartnerFeedSandbox, url: str, hub: Hub) -> None:
        self.sandbox, self.url, self.hub = sandbox, url, hub

    async def sync(
        self, policy: RetryPolicy = FAST_RETRIES, progress: ProgressCallback | None = None
    ) -> SyncResult:
        return await sync_once(self.hub, policy, progress)


async def sync_once(
    hub: Hub, policy: RetryPolicy = FAST_RETRIES, progress: ProgressCallback | None = None
) -> SyncResult:
    async with ConnectorRuntime.open(policy) as runtime:
        return await sync_connector(
            hub.connectors[INSTANCE], hub.sessions, runtime, progress=progress
        )


class KilledBetweenPages(Exception):
    """Stands for the process dying between two pages."""


@pytest.fixture
async def running(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Running]:
    sandbox = new_sandbox()
    async with serve(sandbox.create_app()) as url:
        hub = await open_hub(
            sandbox.config(url, INSTANCE), db_url, write_config, monkeypatch, page_size=20
        )
        try:
            yield Running(sandbox, url, hub)
        finally:
            await hub.close()


def updated_at(sandbox: PartnerFeedSandbox, key: str) -> datetime:
    return datetime.fromisoformat(sandbox.holding(key)["updated_at"])


def first_with(sandbox: PartnerFeedSandbox, **wanted: object) -> str:
    """The key of the first holding whose fields (customer's included) have these values."""
    for key in sandbox.holding_keys():
        holding = sandbox.holding(key)
        flat = {**holding, **holding["customer"]}
        if all(flat.get(name) == value for name, value in wanted.items()):
            return key
    raise AssertionError(f"no holding with {wanted}")


async def test_a_full_sync_maps_holdings_people_identifiers_and_activities(
    running: Running,
) -> None:
    sandbox = running.sandbox
    result = await running.sync()
    assert result.status == "succeeded", result.error
    assert result.counts == RunCounts(fetched=len(sandbox), inserted=len(sandbox))
    assert set(await stored_records(running.hub)) == set(sandbox.holding_keys())

    key = first_with(sandbox, partner_id="telco-nord", currency="GBP", consent_marketing=True)
    holding = sandbox.holding(key)
    customer = holding["customer"]
    row = await record_row(running.hub, key)
    assert key == f"telco-nord:{holding['holding_id']}"  # ids restart per partner
    assert row.entity == "holding"
    assert row.payload == holding
    assert row.source_updated_at == datetime.fromisoformat(holding["updated_at"])
    expected_person = {
        "first_name": customer["first_name"],
        "last_name": customer["last_name"],
        "email": customer["email"],
        "phone": customer["phone"],
        "postcode": customer.get("postal_code"),
        "birth_date": customer.get("birth_date"),
    }
    assert row.person == {k: v for k, v in expected_person.items() if v}
    expected_identifiers = {
        ("cross_reference", f"partner:telco-nord:{customer['partner_customer_ref']}")
    }
    expected_identifiers |= {(k, customer[k]) for k in ("email", "phone") if customer[k]}
    assert await identifiers_of(running.hub, key) == expected_identifiers

    activities = await activities_of(running.hub, key)
    product = activities["partner_product"]
    assert product.source_id == key
    assert (product.amount_minor, product.currency) == (
        round(float(holding["amount"]) * 100),
        "GBP",
    )
    assert product.occurred_at == datetime.fromisoformat(holding["start_date"] + "T00:00:00+00:00")
    assert product.details == {
        "partner": "telco-nord",
        "product_id": holding["product_id"],
        "product_name": {
            "MOBILE-S-UK": "Mobile Plan S (5 GB)",
            "MOBILE-XL-UK": "Mobile Plan XL (unlimited data)",
        }[holding["product_id"]],
        "product_category": "Mobile plans",
        "policy_number": holding["policy_number"],
        "status": holding["status"],
        "start_date": holding["start_date"],
        "end_date": holding["end_date"],
        "frequency": "monthly",
        "channel": holding["channel"],
    }
    consent = activities["consent"]
    assert consent.details == {
        "channel": "all",
        "purpose": "marketing",
        "state": "granted",
        "vendor_state": True,
        "partner": "telco-nord",
    }


async def test_every_status_currency_and_partner_of_the_seed_is_stored(running: Running) -> None:
    await running.sync()
    statuses, currencies, partners = set(), set(), set()
    for key in running.sandbox.holding_keys():
        product = (await activities_of(running.hub, key))["partner_product"]
        statuses.add(product.details["status"])
        currencies.add(product.currency)
        partners.add(product.details["partner"])
        assert product.details["product_name"], key  # every product is in the catalog
    assert statuses == {"pending", "active", "suspended", "cancelled", "lapsed", "expired"}
    assert currencies == {"EUR", "GBP"}
    assert partners == {"acme-assur", "banco-sol", "telco-nord"}


async def test_an_incremental_sync_reads_only_the_change_and_keeps_the_catalog(
    running: Running,
) -> None:
    sandbox = running.sandbox
    await running.sync()
    served_before = sandbox.served.copy()
    watermark = updated_at(sandbox, sandbox.holding_keys()[-1])
    overlap = [k for k in sandbox.holding_keys() if updated_at(sandbox, k) >= watermark - OVERLAP]
    key = sandbox.holding_keys()[3]
    sandbox.change_holding(key, status="cancelled", end_date="2025-07-01")
    added = sandbox.add_holding("banco-sol", "LIVRET-SOL")
    result = await running.sync()
    # The changed and the new holding, and what the overlap before the watermark reads again.
    assert result.counts == RunCounts(
        fetched=2 + len(overlap), inserted=1, updated=1, unchanged=len(overlap)
    )
    served = running.sandbox.served - served_before
    assert served == {"/v1/products 304": 1, "/v1/holdings 200": 1}
    new = (await activities_of(running.hub, f"banco-sol:{added['holding_id']}"))["partner_product"]
    assert new.details["product_name"] == "Livret Épargne Sol"
    product = (await activities_of(running.hub, key))["partner_product"]
    assert (product.details["status"], product.details["end_date"]) == ("cancelled", "2025-07-01")


async def test_304_keeps_the_saved_catalog_even_in_a_new_process(
    running: Running, db_url: URL
) -> None:
    sandbox = running.sandbox
    await running.sync()
    assert sandbox.served["/v1/products 200"] == 1
    # A new Hub on the same database: nothing in memory, the catalog comes from the cursor.
    again = await Hub.open(running.hub.config.path, url=db_url)
    try:
        key = first_with(sandbox, product_id="HOME-PLUS")
        sandbox.change_holding(key, customer={"email": "new.address@example.fr"})
        result = await sync_once(again)
        assert (result.counts.updated, result.counts.inserted) == (1, 0)
        assert sandbox.served["/v1/products 200"] == 1  # not downloaded again
        assert sandbox.served["/v1/products 304"] == 1
        product = (await activities_of(again, key))["partner_product"]
        assert product.details["product_name"] == "Assurance Habitation Confort+"
    finally:
        await again.close()


async def test_a_changed_catalog_is_downloaded_again(running: Running) -> None:
    sandbox = running.sandbox
    await running.sync()
    sandbox.rename_product("acme-assur", "HOME-PLUS", "Habitation Confort+ 2025")
    key = first_with(sandbox, product_id="HOME-PLUS")
    sandbox.change_holding(key, status="suspended")
    await running.sync()
    assert sandbox.served["/v1/products 200"] == 2
    product = (await activities_of(running.hub, key))["partner_product"]
    assert product.details["product_name"] == "Habitation Confort+ 2025"


async def test_a_sync_killed_at_a_random_page_resumes_to_the_same_rows(
    running: Running, tmp_path: Path, write_config: WriteConfig
) -> None:
    pages = -(-len(running.sandbox) // 20)
    kill_after = random.Random(5).randrange(1, pages - 1)
    seen: list[int] = []

    def kill(where: str, counts: RunCounts) -> None:
        if where.endswith("/holdings"):
            seen.append(counts.fetched)
            if len(seen) == kill_after:
                raise KilledBetweenPages(f"killed after page {kill_after}")

    killed = await running.sync(progress=kill)
    assert killed.status == "failed"
    assert len(await stored_records(running.hub)) == kill_after * 20
    resumed = await running.sync()
    assert resumed.status == "succeeded"
    assert resumed.counts.fetched == len(running.sandbox) - kill_after * 20  # nothing re-read

    reference_url = database_url({"HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'reference.db'}"})
    reference = await Hub.open(running.hub.config.path, url=reference_url)
    try:
        await sync_once(reference)
        assert await stored_records(running.hub) == await stored_records(reference)
    finally:
        await reference.close()


async def test_a_429_and_5xx_storm_still_ends_in_a_complete_sync(running: Running) -> None:
    running.sandbox.faults.update({"rate_limit_ratio": 0.3, "server_error_ratio": 0.3, "seed": 3})
    result = await running.sync(STORM_RETRIES)
    assert result.status == "succeeded", result.error
    assert result.counts.inserted == len(running.sandbox)
    stats = running.sandbox.faults.stats
    assert stats[429] > 0 and stats[500] + stats[502] + stats[503] > 0


async def test_retry_after_is_honoured(running: Running) -> None:
    running.sandbox.faults.update({"rate_limit": 1, "retry_after": 0.4})
    started = time.monotonic()
    result = await running.sync(RetryPolicy(attempts=3, base_delay=0.001, max_delay=2, timeout=2))
    assert result.status == "succeeded"
    assert time.monotonic() - started >= 0.4  # the backoff alone would have waited ~1 ms


async def test_truncated_and_malformed_bodies_are_retried(running: Running) -> None:
    running.sandbox.faults.update({"truncate": 2, "malformed": 2})
    result = await running.sync()
    assert result.status == "succeeded", result.error
    assert result.counts.inserted == len(running.sandbox)


async def test_a_repeated_page_token_fails_the_run_without_looping(running: Running) -> None:
    running.sandbox.faults.update({"repeat_token": 1})
    result = await running.sync()
    assert result.status == "failed"
    assert result.error is not None
    assert f"{INSTANCE}/holdings" in result.error and "twice" in result.error
    # Page 2 came back with page 1's token: both pages are saved, and the run stopped.
    assert len(await stored_records(running.hub)) == 40
    assert running.sandbox.served["/v1/holdings 200"] == 2
    again = await running.sync()  # starts the query over instead of looping on the token
    assert again.status == "succeeded", again.error


async def test_bad_items_are_quarantined_and_good_ones_in_the_same_page_stored(
    running: Running,
) -> None:
    sandbox = running.sandbox
    template = sandbox.holding(sandbox.holding_keys()[5])
    middle = datetime.fromisoformat(template["updated_at"])  # lands inside the first page
    bad = {
        "x:no-id": {**template, "holding_id": None},
        "x:mistyped": {**template, "holding_id": "BAD-1", "customer": ["not", "an", "object"]},
        "x:absurd": {**template, "holding_id": "BAD-2", "updated_at": "1850-01-01T00:00:00Z"},
        "x:currency": {**template, "holding_id": "BAD-3", "currency": "XYZ"},
        "x:status": {**template, "holding_id": "BAD-4", "status": "terminated"},
        "x:amount": {**template, "holding_id": "BAD-5", "amount": "twelve"},
    }
    for key, item in bad.items():
        sandbox.put_raw(key, item, updated_at=middle)
    result = await running.sync()
    assert result.status == "succeeded"
    assert result.counts.quarantined == len(bad)
    assert result.counts.inserted == len(sandbox) - len(bad)
    reasons = dict((source_id, reason) for source_id, reason in await quarantined(running.hub))
    assert "holding_id: missing" in reasons[None]
    assert "customer: expected an object, got list" in reasons["acme-assur:BAD-1"]
    assert (
        "updated_at: '1850-01-01T00:00:00Z' is outside 1900 to 2100" in reasons["acme-assur:BAD-2"]
    )
    assert "currency: 'XYZ' is not an ISO 4217 currency" in reasons["acme-assur:BAD-3"]
    assert "status: 'terminated' is not one of pending, active" in reasons["acme-assur:BAD-4"]
    assert "amount: 'twelve' is not an amount" in reasons["acme-assur:BAD-5"]
    assert all(reason.startswith(f"{INSTANCE}/holdings: ") for reason in reasons.values())


async def test_a_refused_key_fails_the_run_naming_the_instance_not_the_secret(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = new_sandbox(api_key="the-partner-expects-this-one")
    async with serve(sandbox.create_app()) as url:
        config = sandbox.config(url, INSTANCE)
        revoked = SandboxConfig(
            config.table, {**config.env, "PARTNERS_API_KEY": "an-old-revoked-key"}
        )
        hub = await open_hub(revoked, db_url, write_config, monkeypatch)
        try:
            result = await sync_once(hub)
        finally:
            await hub.close()
    assert result.status == "failed"
    assert result.error is not None
    assert f"{INSTANCE}/products" in result.error and "HTTP 401" in result.error
    assert "an-old-revoked-key" not in result.error
    assert "the-partner-expects-this-one" not in result.error
    assert sandbox.served["/v1/products 401"] == 1  # not retried


async def test_bearer_authentication(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = new_sandbox(faults=Faults())
    async with serve(sandbox.create_app()) as url:
        hub = await open_hub(
            sandbox.config(url, INSTANCE), db_url, write_config, monkeypatch, auth="bearer"
        )
        try:
            assert hub.connectors[INSTANCE].headers()["Authorization"] == f"Bearer {API_KEY}"
            result = await sync_once(hub)
        finally:
            await hub.close()
    assert result.status == "succeeded"
    assert result.counts.inserted == len(sandbox)


def test_seeded_timestamps_are_in_the_past() -> None:
    """Changes made by tests must sort after every seeded holding."""
    sandbox = new_sandbox()
    newest = datetime.fromisoformat(sandbox.holding(sandbox.holding_keys()[-1])["updated_at"])
    assert newest < datetime.now(UTC)
