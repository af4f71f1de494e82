"""The partner feed in CSV mode: drop files, their cursor, files still being written."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

from connectors.partner_feed.connector import PartnerFeedConnector, PartnerFeedSettings
from connectors.partner_feed.sandbox import PartnerFeedSandbox
from connectors.partner_feed.sandbox_data import CSV_HOLDING_COLUMNS, csv_text
from hub.connector import ConnectorRuntime
from hub.records import Page, SourceRecord
from hub.runtime import Hub
from hub.sandbox import serve
from hub.settings import Secret
from hub.store import sync_state
from hub.store.database import database_url
from hub.store.models import QuarantineRow
from hub.sync.engine import RunCounts, SyncResult, sync_connector
from tests.conftest import WriteConfig
from tests.connectors.partner_feed_support import (
    FAST_RETRIES,
    INSTANCE,
    activities_of,
    new_sandbox,
    open_hub,
    quarantined,
    stored_records,
)

STAMP = datetime(2025, 7, 1, 2, 0, tzinfo=UTC)
PAGE = 5


class KilledBetweenPages(Exception):
    """Stands for the process dying between two pages."""


async def sync_once(hub: Hub, **options: Any) -> SyncResult:
    async with ConnectorRuntime.open(FAST_RETRIES) as runtime:
        return await sync_connector(hub.connectors[INSTANCE], hub.sessions, runtime, **options)


@pytest.fixture
def sandbox() -> PartnerFeedSandbox:
    return new_sandbox()


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


@pytest.fixture
async def hub(
    sandbox: PartnerFeedSandbox,
    drop: Path,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Hub]:
    opened = await open_hub(
        sandbox.file_config(drop, INSTANCE), db_url, write_config, monkeypatch, page_size=PAGE
    )
    try:
        yield opened
    finally:
        await opened.close()


def comparable(records: list[SourceRecord]) -> dict[str, Any]:
    """What a record says, without the payload (nested JSON or flat CSV row) and raw consent."""
    return {
        r.source_id: (
            r.updated_at,
            r.person,
            set(r.identifiers),
            [
                (a.kind, a.source_id, a.occurred_at, a.amount_minor, a.currency,
                 {k: v for k, v in a.details.items() if k != "vendor_state"})
                for a in r.activities
            ],
        )
        for r in records
    }  # fmt: skip


async def read_all(connector: PartnerFeedConnector) -> list[SourceRecord]:
    records: list[SourceRecord] = []
    async with ConnectorRuntime.open(FAST_RETRIES) as runtime:
        for stream in connector.streams(runtime):
            async for page in stream.pages(None):
                assert page.rejected == ()
                records.extend(page.records)
    return records


async def test_drop_files_give_the_same_records_as_the_api(
    sandbox: PartnerFeedSandbox, drop: Path
) -> None:
    written = sandbox.write_drop_files(drop, stamp=STAMP)
    assert [p.name for p in written] == [
        "acme-assur_products_20250701T020000Z.csv",
        "banco-sol_products_20250701T020000Z.csv",
        "telco-nord_products_20250701T020000Z.csv",
        "acme-assur_holdings_20250701T020000Z.csv",
        "banco-sol_holdings_20250701T020000Z.csv",
        "telco-nord_holdings_20250701T020000Z.csv",
    ]
    from_files = await read_all(PartnerFeedConnector("p", PartnerFeedSettings(path=drop)))
    async with serve(sandbox.create_app()) as url:
        settings = PartnerFeedSettings(base_url=url, api_key=Secret("sandbox-partner-key", "$K"))
        from_api = await read_all(PartnerFeedConnector("p", settings))
    assert len(from_files) == len(sandbox)
    assert comparable(from_files) == comparable(from_api)
    assert all(r.activities[0].details["product_name"] for r in from_files)


async def test_a_rerun_reads_nothing_and_a_new_drop_file_is_picked_up(
    hub: Hub, sandbox: PartnerFeedSandbox, drop: Path
) -> None:
    sandbox.write_drop_files(drop, stamp=STAMP)
    first = await sync_once(hub)
    assert first.counts == RunCounts(fetched=len(sandbox), inserted=len(sandbox))
    again = await sync_once(hub)
    assert (again.status, again.counts) == ("succeeded", RunCounts())

    key = sandbox.holding_keys()[0]
    changed_at = datetime.now(UTC)
    sandbox.change_holding(key, status="lapsed", end_date="2025-07-15")
    new_files = sandbox.write_drop_files(
        drop, stamp=STAMP + timedelta(days=1), since=changed_at, products=False
    )
    assert [p.name for p in new_files] == [f"{key.split(':')[0]}_holdings_20250702T020000Z.csv"]
    delta = await sync_once(hub)
    assert delta.counts == RunCounts(fetched=1, updated=1)
    product = (await activities_of(hub, key))["partner_product"]
    assert (product.details["status"], product.details["end_date"]) == ("lapsed", "2025-07-15")
    assert product.details["product_name"]  # the catalog came from the saved cursor


async def test_a_partly_processed_file_resumes_at_the_right_row(
    hub: Hub,
    sandbox: PartnerFeedSandbox,
    drop: Path,
    tmp_path: Path,
) -> None:
    first_file = next(
        p for p in sandbox.write_drop_files(drop, stamp=STAMP) if "_holdings_" in p.name
    )
    in_first_file = sum(1 for key in sandbox.holding_keys() if key.startswith("acme-assur:"))
    kill_after = random.Random(8).randrange(1, in_first_file // PAGE)

    def kill(where: str, counts: RunCounts) -> None:
        if counts.fetched >= kill_after * PAGE:
            raise KilledBetweenPages(where)

    killed = await sync_once(hub, progress=kill)
    assert killed.status == "failed"
    committed = len(await stored_records(hub))
    assert committed == kill_after * PAGE
    async with hub.sessions() as session:
        cursor = json.loads(await sync_state.load_cursor(session, INSTANCE, "holdings") or "")
    digest = hashlib.sha256(first_file.read_bytes()).hexdigest()
    assert cursor == {"files": {}, "partial": f"{digest}:{committed}"}
    resumed = await sync_once(hub)
    assert resumed.status == "succeeded"
    assert resumed.counts.fetched == len(sandbox) - committed

    reference_url = database_url({"HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'ref.db'}"})
    reference = await Hub.open(hub.config.path, url=reference_url)
    try:
        await sync_once(reference)
        assert await stored_records(hub) == await stored_records(reference)
    finally:
        await reference.close()


async def test_a_file_dropped_again_under_another_name_is_skipped(
    hub: Hub, sandbox: PartnerFeedSandbox, drop: Path
) -> None:
    [*_, last] = sandbox.write_drop_files(drop, stamp=STAMP)
    await sync_once(hub)
    (drop / last.name.replace("T020000Z", "T030000Z")).write_bytes(last.read_bytes())
    again = await sync_once(hub)
    assert again.counts == RunCounts()


async def test_files_still_being_written_are_left_for_later(
    hub: Hub, sandbox: PartnerFeedSandbox, drop: Path
) -> None:
    written = sandbox.write_drop_files(drop, stamp=STAMP)
    _, banco, telco = (p for p in written if "_holdings_" in p.name)
    uploading = {  # still being written under a temporary name, to be renamed when complete
        banco: banco.rename(banco.with_name(banco.name + ".part")),
        telco: telco.rename(telco.with_name(telco.name + ".tmp")),
    }
    first = await sync_once(hub)
    acme = sum(1 for key in sandbox.holding_keys() if key.startswith("acme-assur:"))
    assert first.counts.inserted == acme
    for final, temporary in uploading.items():
        temporary.rename(final)
    second = await sync_once(hub)
    assert second.counts.inserted == len(sandbox) - acme


async def test_with_require_done_marker_a_file_waits_for_its_companion(
    sandbox: PartnerFeedSandbox, drop: Path
) -> None:
    written = sandbox.write_drop_files(drop, stamp=STAMP, done_markers=True)
    acme, banco, telco = (p for p in written if "_holdings_" in p.name)
    banco.with_name(banco.name + ".done").unlink()  # not finished yet
    telco.with_name(telco.name + ".done").unlink()
    digest = hashlib.sha256(telco.read_bytes()).hexdigest()
    telco.with_name(telco.name + ".sha256").write_text(f"{'0' * 64}  {telco.name}\n")
    connector = PartnerFeedConnector("p", PartnerFeedSettings(path=drop, require_done_marker=True))
    partners = {r.source_id.split(":")[0] for r in await read_all(connector)}
    assert partners == {"acme-assur"}
    telco.with_name(telco.name + ".sha256").write_text(f"{digest}  {telco.name}\n")
    partners = {r.source_id.split(":")[0] for r in await read_all(connector)}
    assert partners == {"acme-assur", "telco-nord"}
    assert acme.exists()


async def test_bad_rows_and_a_file_that_is_not_utf8_are_quarantined(
    hub: Hub, sandbox: PartnerFeedSandbox, drop: Path
) -> None:
    sandbox.write_drop_files(drop, stamp=STAMP)
    good = {
        "holding_id": "H-9",
        "product_id": "HOME-BASIC",
        "status": "active",
        "amount": "12.90",
        "currency": "EUR",
        "consent_marketing": "yes",
        "partner_customer_ref": "AC1",
        "first_name": "Zoé",
        "email": "zoe@example.fr",
        "updated_at": "2025-07-01T10:00:00+02:00",
    }
    lines = csv_text(
        CSV_HOLDING_COLUMNS,
        [
            good,
            {**good, "holding_id": "H-10", "status": "terminated"},
            {**good, "holding_id": "H-12", "updated_at": "2025-07-01T10:00:00"},
        ],
    ).splitlines()
    lines.insert(3, "H-11,HOME-BASIC,too,few,columns")
    name = "acme-assur_holdings_20250702T020000Z.csv"
    (drop / name).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    latin = "banco-sol_holdings_20250702T020000Z.csv"
    (drop / latin).write_bytes(csv_text(CSV_HOLDING_COLUMNS, [good]).encode("cp1252"))
    result = await sync_once(hub)
    assert result.status == "succeeded"
    assert result.counts.quarantined == 4
    assert result.counts.inserted == len(sandbox) + 1
    reasons = await quarantined(hub)
    assert ("acme-assur:H-10", f"{INSTANCE}/holdings: {name} line 3: RecordError: status: "
            "'terminated' is not one of pending, active, suspended, cancelled, lapsed, expired"
            ) in reasons  # fmt: skip
    assert (None, f"{INSTANCE}/holdings: {name} line 4: expected 19 columns, found 5") in reasons
    assert any(sid == "acme-assur:H-12" and "has no UTC offset" in r for sid, r in reasons)
    assert any(sid is None and latin in r and "not UTF-8" in r for sid, r in reasons)
    consent = (await activities_of(hub, "acme-assur:H-9"))["consent"]
    assert (consent.details["state"], consent.details["vendor_state"]) == ("granted", "yes")


async def test_a_quarantined_row_replays_for_the_partner_its_file_named(
    hub: Hub, sandbox: PartnerFeedSandbox, drop: Path
) -> None:
    sandbox.write_drop_files(drop, stamp=STAMP)
    row = {"holding_id": "H-10", "product_id": "HOME-BASIC", "status": "terminated"}
    row |= {
        "amount": "12.90",
        "currency": "EUR",
        "email": "zoe@example.fr",
        "updated_at": "2025-07-01T10:00:00Z",
    }
    lines = [*csv_text(CSV_HOLDING_COLUMNS, [row]).splitlines(), "H-11,too,few"]
    name = "acme-assur_holdings_20250702T020000Z.csv"
    (drop / name).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    assert (await sync_once(hub)).counts.quarantined == 2
    async with hub.sessions() as session:
        rows = {r.source_id: r for r in await session.scalars(select(QuarantineRow))}
    async with ConnectorRuntime.open(FAST_RETRIES) as runtime:
        [stream] = [s for s in hub.connectors[INSTANCE].streams(runtime) if s.name == "holdings"]
        again = await stream.replay(rows["acme-assur:H-10"].payload)
        fixed = json.loads(rows["acme-assur:H-10"].payload) | {"status": "active"}
        page = await stream.replay(json.dumps(fixed))
        unsplit = await stream.replay(rows[None].payload)
    [rejected] = again.rejected
    assert rejected.source_id == "acme-assur:H-10"  # the partner its file named
    assert f"{name}: RecordError: status: 'terminated'" in rejected.reason
    assert page.rejected == (), page.rejected
    [record] = page.records
    assert record.source_id == "acme-assur:H-10" and "_drop_file" not in record.payload
    assert record.activities[0].details["product_name"]  # the catalog, read for the replay
    assert unsplit.records == () and unsplit.rejected[0].payload == rows[None].payload


async def test_one_partner_single_file_mode_uses_bare_holding_ids(
    sandbox: PartnerFeedSandbox, drop: Path
) -> None:
    written = sandbox.write_drop_files(drop, stamp=STAMP)
    [banco] = [p for p in written if p.name.startswith("banco-sol_holdings")]
    connector = PartnerFeedConnector(
        "banco", PartnerFeedSettings(path=banco, partner_id="banco-sol", brand="vela")
    )
    records = await read_all(connector)
    expected = [k.split(":")[1] for k in sandbox.holding_keys() if k.startswith("banco-sol:")]
    assert sorted(r.source_id for r in records) == sorted(expected)
    assert all(r.person["brand"] == "vela" for r in records)
    # The catalog is read from the products files beside the file.
    assert all(r.activities[0].details["product_name"] for r in records)


async def test_pages_of_a_file_carry_the_rows_done(sandbox: PartnerFeedSandbox, drop: Path) -> None:
    first_file = sandbox.write_drop_files(drop, stamp=STAMP, products=False)[0]
    connector = PartnerFeedConnector("p", PartnerFeedSettings(path=drop, page_size=10))
    async with ConnectorRuntime.open(FAST_RETRIES) as runtime:
        _, holdings = connector.streams(runtime)
        pages: list[Page] = [page async for page in holdings.pages(None)]
        digest = hashlib.sha256(first_file.read_bytes()).hexdigest()
        assert json.loads(pages[0].cursor or "")["partial"] == f"{digest}:10"
        resumed = [page async for page in holdings.pages(pages[0].cursor)]
        assert [r.source_id for p in resumed for r in p.records] == [
            r.source_id for p in pages[1:] for r in p.records
        ]
        assert [page async for page in holdings.pages(pages[-1].cursor)] == []
