"""The till back-office sandbox: its export files as the stores write them, its download API with
faults, and a full sync of its exports through a hub configured from ``config()``."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.engine import URL

import connectors.pos_receipts
from connectors.pos_receipts.sandbox import PosReceiptsSandbox
from connectors.pos_receipts.sandbox_data import GUEST_CARD, STORES, loyalty_card
from hub.plugins import build_plugin_manager, connector_types
from hub.runtime import Hub
from hub.sandbox import Faults, Population, serve
from hub.sync.engine import RunCounts
from tests.conftest import WriteConfig
from tests.connectors.pos_receipts_support import (
    activities,
    identifiers,
    quarantined,
    records,
    sync,
    tills_table,
)


@pytest.fixture(scope="module")
def population() -> Population:
    return Population(120, seed=11)


def test_exports_are_written_as_each_store_s_till_writes_them(
    population: Population, tmp_path: Path
) -> None:
    sandbox = PosReceiptsSandbox(population, rows_per_file=40)
    paths = sandbox.write_exports(tmp_path / "exports")
    by_store = Counter(path.name[:5] for path in paths)
    assert set(by_store) == {store.code for store in STORES}
    assert max(by_store.values()) > 3  # several days, and days cut into parts
    paris = next(p for p in paths if p.name.startswith("PAR01")).read_bytes()
    lyon = next(p for p in paths if p.name.startswith("LYO02")).read_bytes()
    marseille = next(p for p in paths if p.name.startswith("MRS03")).read_bytes()
    assert paris.startswith(b"Code magasin;Caisse;") and "N° ticket".encode("cp1252") in paris
    assert lyon.startswith(b"\xef\xbb\xbf") and b";Heure;" not in lyon
    assert b"\xa0\x80" in marseille  # "89,00 €" with a no-break space, in Windows-1252
    text = lyon.decode("utf-8-sig")
    assert any(line.count(":") == 2 for line in text.splitlines()[1:])  # "23/11/2026 14:05:33"


def test_the_same_seed_gives_the_same_exports_and_stable_cards(population: Population) -> None:
    first, second = PosReceiptsSandbox(population), PosReceiptsSandbox(population)
    assert first.files == second.files
    members = first.book.members
    assert 0.2 < len(members) / len(population) < 0.5
    person = members[0]
    card = loyalty_card(person.person_id, str(population.seed))
    assert len(card) == 13 and card.isdigit() and card != GUEST_CARD
    assert card in first.book.cards[person.person_id]
    receipts = [r for r in first.book.receipts if r.customer is not None]
    anonymous = [r for r in first.book.receipts if r.customer is None]
    assert receipts and anonymous and any(r.card == GUEST_CARD for r in anonymous)


async def test_a_hub_configured_from_the_sandbox_stores_every_receipt(
    db_url: URL, write_config: WriteConfig, tmp_path: Path, population: Population
) -> None:
    sandbox = PosReceiptsSandbox(population, rows_per_file=25)
    sandbox.write_exports(tmp_path / "exports")
    table = dict(sandbox.config("http://unused", "tills").table)
    assert table.pop("type") == "pos_receipts"
    config = write_config(tills_table("tills", table))
    hub = await Hub.open(config, url=db_url, extra_plugins=(connectors.pos_receipts,))
    try:
        result = await sync(hub)
        stored = await records(hub)
        found = await activities(hub)
        ids = await identifiers(hub)
        bad = await quarantined(hub)
    finally:
        await hub.close()
    truth = {receipt.source_id: receipt for receipt in sandbox.book.receipts}
    assert bad == []
    assert result.counts == RunCounts(fetched=len(truth), inserted=len(truth))
    assert {key: activity.amount_minor for key, activity in found.items()} == {
        key: receipt.total_minor for key, receipt in truth.items()
    }
    assert any(receipt.total_minor < 0 for receipt in truth.values())  # returns were exported
    for key, receipt in truth.items():
        cards = {value for kind, value in ids.get(key, set()) if kind == "loyalty_card"}
        assert cards == ({receipt.card} if receipt.card not in ("", GUEST_CARD) else set())
        assert len(found[key].details["lines"]) == len(receipt.lines)
        if receipt.customer is not None:
            assert stored[key].person["last_name"] == receipt.customer.last_name
            assert stored[key].person["brand"] == "lumiere"


async def test_a_new_day_of_exports_is_picked_up_alone(
    db_url: URL, write_config: WriteConfig, tmp_path: Path, population: Population
) -> None:
    sandbox = PosReceiptsSandbox(population, days=2)
    sandbox.write_exports(tmp_path / "exports")
    table = dict(sandbox.config("http://unused", "tills").table)
    del table["type"]
    config = write_config(tills_table("tills", table))
    hub = await Hub.open(config, url=db_url, extra_plugins=(connectors.pos_receipts,))
    try:
        before = len(sandbox.book.receipts)
        await sync(hub)
        sandbox.add_day(share=0.5)
        result = await sync(hub)
    finally:
        await hub.close()
    added = len(sandbox.book.receipts) - before
    assert added > 0
    assert result.counts == RunCounts(fetched=added, inserted=added)


async def test_the_back_office_lists_and_serves_its_exports(population: Population) -> None:
    sandbox = PosReceiptsSandbox(population, days=1)
    async with serve(sandbox.create_app()) as url, aiohttp.ClientSession() as session:
        async with session.get(f"{url}/exports") as response:
            assert response.status == 200
            listing = (await response.json())["exports"]
        assert [item["name"] for item in listing] == list(sandbox.files)
        first = listing[0]
        assert first["date"] == "2026-11-23" and first["store"] == first["name"][:5]
        async with session.get(f"{url}/exports/{first['name']}") as response:
            body = await response.read()
            assert response.charset == first["encoding"]
            assert response.content_type == "text/csv"
        assert (
            hashlib.sha256(body).digest() == hashlib.sha256(sandbox.files[first["name"]]).digest()
        )
        async with session.get(f"{url}/exports/nothing.csv") as response:
            assert response.status == 404
            assert (await response.json())["error"]["message"] == "no export named 'nothing.csv'"


async def test_faults_hit_downloads_as_configured(population: Population) -> None:
    sandbox = PosReceiptsSandbox(
        population, days=1, faults=Faults(rate_limit=1, server_errors=1, truncate=1)
    )
    name = next(iter(sandbox.files))
    async with serve(sandbox.create_app()) as url, aiohttp.ClientSession() as session:
        statuses, bodies = [], []
        for _ in range(4):
            async with session.get(f"{url}/exports/{name}") as response:
                statuses.append((response.status, response.headers.get("Retry-After")))
                bodies.append(await response.read())
    assert statuses[0] == (429, "0.05")
    assert statuses[1][0] in (500, 502, 503)
    assert statuses[2:] == [(200, None), (200, None)]
    assert bodies[2] == sandbox.files[name][: len(sandbox.files[name]) // 2]  # cut in the middle
    assert bodies[3] == sandbox.files[name]


def test_the_plugin_provides_the_connector_and_the_sandbox() -> None:
    manager = build_plugin_manager(extra=(connectors.pos_receipts,))
    assert connector_types(manager)["pos_receipts"].cls.type_name == "pos_receipts"
    sandboxes = [cls for found in manager.hook.hub_sandboxes() for cls in found]
    assert PosReceiptsSandbox in sandboxes
