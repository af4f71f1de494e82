"""The Square connector against its sandbox, end to end through the store: mapping,
incremental syncs, resuming after a kill, and quarantined items."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

from connectors.square.sandbox import SquareSandbox
from connectors.square.sandbox_data import SEEDED_UNTIL, OrderSeed
from hub.records import ActivityKind
from hub.store import sync_state
from hub.store.models import ActivityRow
from hub.sync.engine import RunCounts, sync_connector
from tests.conftest import WriteConfig
from tests.connectors.square_kit import (
    entity_counts,
    expected_counts,
    identifiers_of,
    population,
    quarantined,
    runtime,
    small_sandbox,
    square_hub,
    stored_records,
)

OVERLAP = timedelta(minutes=5)


def find_customer(sandbox: SquareSandbox, *needed: str) -> dict[str, Any]:
    for payload in sandbox.customers.payloads.values():
        birthday = str(payload.get("birthday", "0000"))
        if all(key in payload for key in needed) and not birthday.startswith("0000"):
            return dict(payload)
    raise AssertionError(f"no seeded customer has {needed}")


def find_order(sandbox: SquareSandbox, *, online: bool, tender_only: bool = False) -> OrderSeed:
    for seed in sandbox.orders.payloads.values():
        if (
            isinstance(seed, OrderSeed)
            and seed.customer_id
            and seed.online == online
            and seed.on_tender_only == tender_only
        ):
            return seed
    raise AssertionError("no such seeded order")


async def activities_of(hub: Any, record_id: int) -> list[ActivityRow]:
    async with hub.sessions() as session:
        rows = await session.scalars(select(ActivityRow).where(ActivityRow.record_id == record_id))
        return list(rows)


async def test_a_full_sync_maps_customers_orders_and_loyalty_accounts(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = small_sandbox()
    async with square_hub(sandbox, db_url, write_config, monkeypatch, brand="lumiere") as square:
        async with runtime() as rt:
            result = await sync_connector(square.connector(), square.hub.sessions, rt)
        assert (result.status, result.error) == ("succeeded", None)
        total = sum(expected_counts(sandbox).values())
        assert result.counts == RunCounts(fetched=total, inserted=total)
        records = await stored_records(square.hub, "tills")
        assert entity_counts(records) == expected_counts(sandbox)
        assert set(sandbox.square_versions) == {"2024-10-17"}  # every request pinned the version

        customer = find_customer(
            sandbox, "email_address", "phone_number", "reference_id", "birthday"
        )
        row = records[("customer", customer["id"])]
        assert row.payload == customer
        address = customer["address"]
        assert row.person == {
            "first_name": customer["given_name"],
            "last_name": customer["family_name"],
            "email": customer["email_address"],
            "phone": customer["phone_number"],
            "street": address["address_line_1"],
            "postcode": address["postal_code"],
            "city": address["locality"],
            "country": address["country"],
            "birth_date": customer["birthday"],
            "brand": "lumiere",
        }
        assert await identifiers_of(square.hub, row.id) == {
            ("source_customer_id", f"tills:{customer['id']}"),
            ("email", customer["email_address"]),
            ("phone", customer["phone_number"]),
            ("cross_reference", f"square_reference:{customer['reference_id']}"),
        }
        [consent] = await activities_of(square.hub, row.id)
        unsubscribed = customer["preferences"]["email_unsubscribed"]
        assert (consent.kind, consent.source_id) == ("consent", "email_marketing")
        assert consent.details["state"] == ("denied" if unsubscribed else "granted")

        till = sandbox.order(find_order(sandbox, online=False, tender_only=True).id)
        assert "customer_id" not in till  # the buyer is only on the card tender
        row = records[("order", till["id"])]
        assert await identifiers_of(square.hub, row.id) == {
            ("source_customer_id", f"tills:{till['tenders'][0]['customer_id']}")
        }
        [receipt] = await activities_of(square.hub, row.id)
        assert receipt.kind == ActivityKind.RECEIPT
        assert (receipt.amount_minor, receipt.currency) == (till["total_money"]["amount"], "EUR")
        assert receipt.details["store"] == till["location_id"]
        assert receipt.details["payment"] == "CARD"
        first_line = till["line_items"][0]
        assert receipt.details["lines"][0] == {
            "sku": first_line["catalog_object_id"],
            "title": first_line["name"],
            "quantity": int(first_line["quantity"]),
            "unit_price_minor": first_line["base_price_money"]["amount"],
            "total_minor": first_line["total_money"]["amount"],
        }

        online = sandbox.order(find_order(sandbox, online=True).id)
        [order] = await activities_of(square.hub, records[("order", online["id"])].id)
        assert order.kind == ActivityKind.ORDER
        assert order.details["channel"] == "Square Online"
        assert order.details["number"] == online["reference_id"]
        assert order.amount_minor == online["total_money"]["amount"]

        account = next(iter(sandbox.loyalty_accounts.payloads.values()))
        row = records[("loyalty_account", account["id"])]
        assert account["mapping"]["phone_number"].startswith("+")  # E.164, as Loyalty keeps it
        assert await identifiers_of(square.hub, row.id) == {
            ("loyalty_card", account["id"]),
            ("phone", account["mapping"]["phone_number"]),
            ("source_customer_id", f"tills:{account['customer_id']}"),
        }


async def test_an_incremental_sync_reads_the_change_and_the_overlap_only(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = small_sandbox()
    run_total_after: dict[str, int] = {}  # the run's fetched count after each stream's pages

    def progress(where: str, counts: RunCounts) -> None:
        run_total_after[where] = counts.fetched

    async with square_hub(sandbox, db_url, write_config, monkeypatch) as square:
        async with runtime() as rt:
            await sync_connector(square.connector(), square.hub.sessions, rt)
            newest = {
                name: max(meta["updated_at"] for meta in collection.meta.values())
                for name, collection in (
                    ("customers", sandbox.customers),
                    ("orders", sandbox.orders),
                )
            }
            customer = find_customer(sandbox, "email_address")
            sandbox.update_customer(customer["id"], given_name="Zoé")
            result = await sync_connector(
                square.connector(), square.hub.sessions, rt, progress=progress
            )
        assert result.status == "succeeded"
        assert (result.counts.updated, result.counts.inserted) == (1, 0)
        totals = [
            run_total_after[f"tills/{name}"] for name in ("customers", "orders", "loyalty_accounts")
        ]
        fetched = dict(
            zip(
                ("customers", "orders", "loyalty_accounts"),
                (totals[0], totals[1] - totals[0], totals[2] - totals[1]),
                strict=True,
            )
        )
        overlap_ms = OVERLAP.total_seconds() * 1000
        in_overlap = {
            name: sum(
                1
                for meta in collection.meta.values()
                if meta["updated_at"] >= newest[name] - overlap_ms
            )
            for name, collection in (("customers", sandbox.customers), ("orders", sandbox.orders))
        }
        assert fetched["customers"] == in_overlap["customers"] < 5  # the change is in it
        assert fetched["orders"] == in_overlap["orders"] < 5
        assert fetched["loyalty_accounts"] == len(sandbox.loyalty_accounts)  # no filter
        records = await stored_records(square.hub, "tills")
        assert records[("customer", customer["id"])].person["first_name"] == "Zoé"


async def test_a_sync_killed_at_random_pages_resumes_to_the_rows_of_an_uninterrupted_run(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = small_sandbox()
    pages = 0

    def count(where: str, counts: RunCounts) -> None:
        nonlocal pages
        pages += 1

    instances = ("whole", "killed")
    async with square_hub(sandbox, db_url, write_config, monkeypatch, instances) as square:
        async with runtime() as rt:
            whole = await sync_connector(
                square.connector("whole"), square.hub.sessions, rt, progress=count
            )
            assert whole.status == "succeeded"
            # The first run dies somewhere in the whole sequence; the next ones, resuming,
            # die again a few pages later (or finish first), then one run completes.
            rng = random.Random(3)
            kill_points = [rng.randrange(1, pages), rng.randint(1, 3), rng.randint(1, 3)]
            statuses = []
            for kill_at in kill_points:
                seen = 0

                def kill(where: str, counts: RunCounts, stop: int = kill_at) -> None:
                    nonlocal seen
                    seen += 1
                    if seen == stop:
                        raise RuntimeError(f"killed after page {stop} of {where}")

                killed = await sync_connector(
                    square.connector("killed"), square.hub.sessions, rt, progress=kill
                )
                statuses.append(killed.status)
            assert statuses[0] == "failed"
            resumed = await sync_connector(square.connector("killed"), square.hub.sessions, rt)
            assert resumed.status == "succeeded"

        def rows(records: dict[Any, Any]) -> set[tuple[str, str, str]]:
            # Payloads, not content hashes: the hash covers identifiers, which name the instance.
            return {
                (e, s, json.dumps(row.payload, sort_keys=True)) for (e, s), row in records.items()
            }

        assert rows(await stored_records(square.hub, "killed")) == rows(
            await stored_records(square.hub, "whole")
        )
        assert len(rows(await stored_records(square.hub, "whole"))) == sum(
            expected_counts(sandbox).values()
        )


async def test_bad_items_are_quarantined_and_good_items_of_the_same_page_stored(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = small_sandbox()
    mid = SEEDED_UNTIL - timedelta(days=200)  # amid seeded items: pages mix good and bad
    good_customer = find_customer(sandbox, "email_address")
    bad_customers = [
        {**good_customer, "id": None},
        {**good_customer, "id": "BADNAME", "given_name": {"first": "Ann"}},
        {**good_customer, "id": "BADDATE", "updated_at": "3024-01-01T00:00:00Z"},
    ]
    for offset, payload in enumerate(bad_customers):
        sandbox.put_raw("customers", payload, at=mid + timedelta(seconds=offset))
    good_order = sandbox.order(find_order(sandbox, online=True).id)
    bad_orders = [
        {**good_order, "id": "BADCURRENCY", "total_money": {"amount": 990, "currency": "XYZ"}},
        {**good_order, "id": "BADAMOUNT", "total_money": {"amount": "9.90", "currency": "EUR"}},
    ]
    for offset, payload in enumerate(bad_orders):
        sandbox.put_raw("orders", payload, at=mid + timedelta(seconds=offset))
    async with square_hub(sandbox, db_url, write_config, monkeypatch) as square:
        async with runtime() as rt:
            result = await sync_connector(square.connector(), square.hub.sessions, rt)
        assert result.status == "succeeded"
        assert result.counts.quarantined == 5
        good = sum(expected_counts(sandbox).values()) - 5
        assert result.counts.inserted == good
        reasons = {
            (row.stream, row.source_id): row.reason
            for row in await quarantined(square.hub, "tills")
        }
        assert reasons == {
            ("customers", None): "tills/customers: RecordError: id: missing or not an id (None)",
            (
                "customers",
                "BADNAME",
            ): "tills/customers: RecordError: given_name: expected text, got dict",
            ("customers", "BADDATE"): (
                "tills/customers: RecordError: updated_at: '3024-01-01T00:00:00Z' "
                "is outside 1900 to 2100"
            ),
            ("orders", "BADCURRENCY"): (
                "tills/orders: RecordError: total_money.currency: 'XYZ' is not an ISO 4217 currency"
            ),
            ("orders", "BADAMOUNT"): (
                "tills/orders: RecordError: total_money.amount: "
                "expected an integer of minor units, got '9.90'"
            ),
        }
        records = await stored_records(square.hub, "tills")
        assert ("customer", good_customer["id"]) in records
        assert ("order", good_order["id"]) in records


async def test_a_chain_with_more_than_ten_locations_is_searched_in_groups_of_ten(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = SquareSandbox(population(120, 7), location_count=12)
    async with square_hub(sandbox, db_url, write_config, monkeypatch, page_size=50) as square:
        async with runtime() as rt:
            result = await sync_connector(square.connector(), square.hub.sessions, rt)
        assert (result.status, result.error) == ("succeeded", None)
        assert entity_counts(await stored_records(square.hub, "tills")) == expected_counts(sandbox)
        async with square.hub.sessions() as session:
            cursor = await sync_state.load_cursor(session, "tills", "orders")
        assert cursor is not None
        groups = [key.split(",") for key in json.loads(cursor)["groups"]]
        assert sorted(len(group) for group in groups) == [2, 10]
        assert sorted(loc for group in groups for loc in group) == sorted(
            loc.id for loc in sandbox.locations
        )


async def test_configured_locations_limit_the_orders_read(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = small_sandbox()
    madrid = "LESMAD3H8W1ZB"
    settings = {"location_ids": [madrid]}
    async with square_hub(sandbox, db_url, write_config, monkeypatch, **settings) as square:
        async with runtime() as rt:
            result = await sync_connector(square.connector(), square.hub.sessions, rt)
        assert result.status == "succeeded"
        records = await stored_records(square.hub, "tills")
        orders = {source_id for entity, source_id in records if entity == "order"}
        in_madrid = {k for k, meta in sandbox.orders.meta.items() if meta["location_id"] == madrid}
        assert orders == in_madrid
        assert 0 < len(in_madrid) < len(sandbox.orders)
