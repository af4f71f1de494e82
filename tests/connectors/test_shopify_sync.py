"""The Shopify connector against its sandbox over HTTP: mapping, incremental sync, resuming."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import URL

from connectors.shopify.sandbox import ShopifySandbox
from hub.sync.engine import RunCounts, sync_connector
from tests.conftest import WriteConfig
from tests.connectors.shopify_support import (
    INSTANCE,
    activities_of,
    fast_runtime,
    identifiers_of,
    shop_hub,
    small_shop,
    stored_record,
    stored_records,
)


@pytest.fixture
def sandbox() -> ShopifySandbox:
    return small_shop()


def all_orders(sandbox: ShopifySandbox) -> list[dict]:
    return [sandbox.order(order_id) for _, order_id in sandbox.orders.keys]


def all_customers(sandbox: ShopifySandbox) -> list[dict]:
    return [sandbox.customer(customer_id) for _, customer_id in sandbox.customers.keys]


async def test_a_full_sync_maps_customers_with_identifiers_and_consents(
    sandbox: ShopifySandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer = next(
        c
        for c in all_customers(sandbox)
        if c["email"] and c["phone"] and c["email_marketing_consent"]["state"] == "subscribed"
    )
    address = customer["default_address"]
    async with shop_hub(sandbox, db_url, write_config, monkeypatch) as shop, fast_runtime() as rt:
        result = await sync_connector(shop.connector, shop.hub.sessions, rt)
        expected = len(sandbox.customers) + len(sandbox.orders)
        assert (result.status, result.counts) == (
            "succeeded",
            RunCounts(fetched=expected, inserted=expected),
        )
        row = await stored_record(shop.hub, "customer", customer["id"])
        identifiers = await identifiers_of(shop.hub, row.id)
        consents = await activities_of(shop.hub, row.id)
    assert row.payload == customer
    assert row.source_updated_at == datetime.fromisoformat(customer["updated_at"])
    assert row.person == {
        "first_name": customer["first_name"],
        "last_name": customer["last_name"],
        "email": customer["email"],
        "phone": customer["phone"],
        "street": address["address1"],
        "postcode": address["zip"],
        "city": address["city"],
        "country": address["country_code"],
        "brand": "lumiere",
    }
    assert identifiers == {
        ("email", customer["email"]),
        ("phone", customer["phone"]),
        ("source_customer_id", f"{INSTANCE}:{customer['id']}"),
    }
    email_consent = next(a for a in consents if a.source_id == "email_marketing")
    assert email_consent.kind == "consent"
    assert email_consent.details == {
        "channel": "email",
        "purpose": "marketing",
        "state": "granted",
        "vendor_state": "subscribed",
    }
    assert email_consent.occurred_at == datetime.fromisoformat(
        customer["email_marketing_consent"]["consent_updated_at"]
    )
    assert {a.source_id for a in consents} == {"email_marketing", "sms_marketing"}


async def test_orders_of_every_status_carry_their_buyer_and_amounts_in_minor_units(
    sandbox: ShopifySandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    orders = all_orders(sandbox)
    closed = next(o for o in orders if o["closed_at"] and o["customer"] and o["discount_codes"])
    guest = next(o for o in orders if o["customer"] is None)
    async with shop_hub(sandbox, db_url, write_config, monkeypatch) as shop, fast_runtime() as rt:
        await sync_connector(shop.connector, shop.hub.sessions, rt)
        stored = await stored_records(shop.hub)
        row = await stored_record(shop.hub, "order", closed["id"])
        [activity] = await activities_of(shop.hub, row.id)
        identifiers = await identifiers_of(shop.hub, row.id)
        guest_row = await stored_record(shop.hub, "order", guest["id"])
        guest_identifiers = await identifiers_of(shop.hub, guest_row.id)
    # status=any: closed and cancelled orders are there too, not only the open ones
    assert {source_id for entity, source_id in stored if entity == "order"} == {
        str(o["id"]) for o in orders
    }
    assert identifiers == {
        ("email", closed["email"]),
        ("source_customer_id", f"{INSTANCE}:{closed['customer']['id']}"),
    }
    billing = closed["billing_address"]
    assert row.person == {
        "email": closed["email"],
        "first_name": billing["first_name"],
        "last_name": billing["last_name"],
        "country": billing["country_code"],
        "brand": "lumiere",
    }
    total = closed["total_price"].replace(".", "")
    assert (activity.kind, activity.amount_minor, activity.currency) == (
        "order",
        int(total),
        closed["currency"],
    )
    assert activity.occurred_at == datetime.fromisoformat(closed["processed_at"])
    first = closed["line_items"][0]
    discount = int(first["total_discount"].replace(".", ""))
    assert discount > 0
    assert activity.details["lines"][0] == {
        "sku": first["sku"],
        "title": first["title"],
        "quantity": first["quantity"],
        "unit_price_minor": int(first["price"].replace(".", "")),
        "total_minor": int(first["price"].replace(".", "")) * first["quantity"] - discount,
    }
    assert {k: activity.details[k] for k in ("number", "status", "channel")} == {
        "number": closed["name"],
        "status": closed["financial_status"],
        "channel": closed["source_name"],
    }
    assert guest_identifiers == {("email", guest["email"])}  # no customer, no customer id


async def test_an_incremental_sync_reads_only_changes_and_the_overlap(
    sandbox: ShopifySandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def in_overlap(items: list[dict]) -> int:
        newest = max(datetime.fromisoformat(item["updated_at"]) for item in items)
        since = newest - timedelta(minutes=5)
        return sum(1 for item in items if datetime.fromisoformat(item["updated_at"]) >= since)

    overlap = in_overlap(all_customers(sandbox)) + in_overlap(all_orders(sandbox))
    async with (
        shop_hub(sandbox, db_url, write_config, monkeypatch, page_size=7) as shop,
        fast_runtime() as rt,
    ):
        await sync_connector(shop.connector, shop.hub.sessions, rt)
        changed = sandbox.customers.keys[3][1]
        sandbox.update_customer(changed, last_name="Nouveau-Nom")
        result = await sync_connector(shop.connector, shop.hub.sessions, rt)
        row = await stored_record(shop.hub, "customer", changed)
    assert result.counts == RunCounts(fetched=overlap + 1, updated=1, unchanged=overlap)
    assert overlap < 10  # far fewer than the shop holds
    assert row.person["last_name"] == "Nouveau-Nom"


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_a_sync_killed_at_a_random_page_resumes_to_the_same_rows(
    sandbox: ShopifySandbox,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
) -> None:
    class Killed(Exception):
        pass

    pages_in_all = -(-len(sandbox.customers) // 10) + -(-len(sandbox.orders) // 10)
    kill_after = random.Random(seed).randrange(1, pages_in_all)
    pages = 0

    def progress(where: str, counts: RunCounts) -> None:
        nonlocal pages
        pages += 1
        if pages == kill_after:
            raise Killed(f"killed after page {pages} of {where}")

    instances = ("webshop", "reference")
    async with (
        shop_hub(sandbox, db_url, write_config, monkeypatch, instances, page_size=10) as shop,
        fast_runtime() as rt,
    ):
        killed = await sync_connector(shop.connector, shop.hub.sessions, rt, progress=progress)
        assert killed.status == "failed"
        assert f"killed after page {kill_after}" in (killed.error or "")
        resumed = await sync_connector(shop.connector, shop.hub.sessions, rt)
        reference = await sync_connector(shop.hub.connectors["reference"], shop.hub.sessions, rt)
        assert resumed.status == reference.status == "succeeded"
        assert await stored_records(shop.hub) == await stored_records(shop.hub, "reference")
    assert reference.counts.inserted == len(sandbox.customers) + len(sandbox.orders)
    # every record was inserted once: the resumed run went on after the last committed page
    assert killed.counts.inserted + resumed.counts.inserted == reference.counts.inserted
