"""syncRuns, syncStatus and quarantine: pages, filters, permissions and what each role sees."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.engine import URL

from hub.access import Permission, Role, Viewer
from hub.access.viewer import ROLE_PERMISSIONS
from hub.commands import run_resolve
from hub.connector import ConnectorRuntime
from hub.identity.pipeline import WATERMARK as RESOLUTION_WATERMARK
from hub.runtime import Hub
from hub.store import sync_state
from hub.store.models import QuarantineRow, SyncStateRow
from hub.sync.engine import SyncResult, sync_connector
from tests.conftest import CSV_CONNECTOR, AcmeSource, WriteConfig
from tests.identity.conftest import LOYALTY_CONNECTOR
from tests.schema.conftest import ADMIN, AGENT, ANALYST, APP, error_codes, execute, walk

LOYALTY_LINES = (
    '{"member_id": "L1", "given_name": "Amelie", "family_name": "Durand"}',
    "{not json",
    '{"given_name": "Zoé", "family_name": "Petit", "email": "zoe.petit@example.fr"}',
)
"""One good member, a line that is not JSON, and a member without id: two are quarantined."""
MASKED_ADMIN = Viewer(
    name="key:ops-masked",
    role=Role.ADMIN,
    permissions=ROLE_PERMISSIONS[Role.ADMIN]
    - {Permission.READ_PERSONAL_DATA, Permission.READ_RAW_PAYLOADS},
)
"""An admin key created without personal-data access."""

RUNS = """
query ($connector: String, $status: SyncRunStatus, $first: Int, $after: String) {
  syncRuns(connector: $connector, status: $status, first: $first, after: $after) {
    edges { cursor node {
      id connector status startedAt finishedAt error
      counts { fetched inserted updated unchanged stale quarantined errors retries }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
QUARANTINE = """
query ($connector: String, $status: QuarantineStatus, $first: Int, $after: String) {
  quarantine(connector: $connector, status: $status, first: $first, after: $after) {
    edges { cursor node { id connector stream sourceId reason status attempts createdAt payload } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
STATUS = """
{ syncStatus { connector configured streams { stream cursor updatedAt }
  lastRun { id status counts { fetched } } } }
"""


@pytest.fixture
async def synced(
    db_url: URL, write_config: WriteConfig, customers_csv: Path, tmp_path: Path
) -> AsyncIterator[tuple[Hub, list[SyncResult]]]:
    """crm synced twice, loyalty once (two payloads quarantined), then crm failing: its file
    is gone."""
    (tmp_path / "loyalty.jsonl").write_text("\n".join(LOYALTY_LINES) + "\n", encoding="utf-8")
    hub = await Hub.open(write_config(CSV_CONNECTOR + LOYALTY_CONNECTOR), url=db_url)
    try:
        results = []
        async with ConnectorRuntime.open() as runtime:
            for name in ("crm", "loyalty", "crm"):
                results.append(await sync_connector(hub.connectors[name], hub.sessions, runtime))
            await asyncio.to_thread(customers_csv.unlink)
            results.append(await sync_connector(hub.connectors["crm"], hub.sessions, runtime))
        yield hub, results
    finally:
        await hub.close()


async def test_sync_runs_are_paged_newest_first_with_their_counts(
    synced: tuple[Hub, list[SyncResult]],
) -> None:
    hub, results = synced
    pages = await walk(hub, RUNS, "syncRuns", {}, ADMIN, first=3)
    assert [len(page) for page in pages] == [3, 1]
    runs = [run for page in pages for run in page]
    assert [int(run["id"]) for run in runs] == [r.run_id for r in reversed(results)]
    for run, result in zip(runs, reversed(results), strict=True):
        assert (run["connector"], run["status"]) == (result.connector, result.status.upper())
        assert run["counts"] == {name: getattr(result.counts, name) for name in run["counts"]}, run
        assert run["finishedAt"] >= run["startedAt"]
    loyalty = runs[2]
    assert (loyalty["counts"]["inserted"], loyalty["counts"]["quarantined"]) == (1, 2)
    assert all(run["error"] is None for run in runs[1:])
    failed = runs[0]
    assert failed["status"] == "FAILED" and "crm.csv" in failed["error"]


async def test_sync_runs_filter_by_connector_and_status(
    synced: tuple[Hub, list[SyncResult]],
) -> None:
    hub, results = synced
    crm = await walk(hub, RUNS, "syncRuns", {"connector": "crm"}, ADMIN, first=1)
    assert [len(page) for page in crm] == [1, 1, 1]
    assert {run["connector"] for page in crm for run in page} == {"crm"}
    failed = await walk(hub, RUNS, "syncRuns", {"status": "FAILED"}, ADMIN, first=10)
    assert [int(run["id"]) for run in failed[0]] == [results[-1].run_id]
    none = await walk(
        hub, RUNS, "syncRuns", {"connector": "loyalty", "status": "FAILED"}, ADMIN, first=10
    )
    assert none == [[]]


async def test_sync_status_gives_each_instances_cursors_and_last_run(
    synced: tuple[Hub, list[SyncResult]],
) -> None:
    hub, results = synced
    async with hub.sessions() as session:
        saved = {(row.connector, row.stream): row.cursor for row in await session.scalars(
            select(SyncStateRow)
        )}  # fmt: skip
    status = {entry["connector"]: entry for entry in (await execute(hub, STATUS, viewer=ADMIN))[
        "syncStatus"
    ]}  # fmt: skip
    assert set(status) == {"crm", "loyalty"}
    for name, entry in status.items():
        assert entry["configured"] is True
        streams = {(name, s["stream"]): s["cursor"] for s in entry["streams"]}
        assert streams == {key: cursor for key, cursor in saved.items() if key[0] == name}
        last = max(r.run_id for r in results if r.connector == name)
        assert int(entry["lastRun"]["id"]) == last
    assert status["crm"]["lastRun"]["status"] == "FAILED"
    assert status["loyalty"]["streams"], "a synced stream has a saved cursor"


async def test_sync_status_lists_no_instance_for_identity_resolutions_watermark(
    synced: tuple[Hub, list[SyncResult]],
) -> None:
    hub, _ = synced
    await run_resolve(hub, console=Console(quiet=True))
    async with hub.sessions() as session:
        assert await session.get(SyncStateRow, RESOLUTION_WATERMARK) is not None
    status = (await execute(hub, STATUS, viewer=ADMIN))["syncStatus"]
    assert {entry["connector"] for entry in status} == {"crm", "loyalty"}


async def test_sync_status_keeps_instances_no_longer_configured(
    synced: tuple[Hub, list[SyncResult]],
) -> None:
    hub, _ = synced
    async with hub.sessions.begin() as session:
        run = await sync_state.start_run(session, "retired-shop")
        await sync_state.finish_run(session, run.id, "succeeded", {"fetched": 4})
    status = (await execute(hub, STATUS, viewer=ADMIN))["syncStatus"]
    retired = next(entry for entry in status if entry["connector"] == "retired-shop")
    assert retired["configured"] is False and retired["streams"] == []
    assert retired["lastRun"]["counts"]["fetched"] == 4


async def test_quarantine_pages_and_filters(synced: tuple[Hub, list[SyncResult]]) -> None:
    hub, _ = synced
    pages = await walk(hub, QUARANTINE, "quarantine", {}, ADMIN, first=1)
    assert [len(page) for page in pages] == [1, 1]
    items = [item for page in pages for item in page]
    async with hub.sessions() as session:
        ids = list(await session.scalars(select(QuarantineRow.id).order_by(QuarantineRow.id)))
    assert [int(item["id"]) for item in items] == ids[::-1]
    for item in items:
        assert (item["connector"], item["status"], item["attempts"]) == ("loyalty", "OPEN", 0)
        assert "loyalty.jsonl line" in item["reason"]
    assert any("no value in the id column" in item["reason"] for item in items)
    assert any("zoe.petit@example.fr" in (item["payload"] or "") for item in items)
    for variables in ({"connector": "crm"}, {"status": "REPLAYED"}):
        assert await walk(hub, QUARANTINE, "quarantine", variables, ADMIN, first=5) == [[]]
    opened = await walk(hub, QUARANTINE, "quarantine", {"status": "OPEN"}, ADMIN, first=5)
    assert len(opened[0]) == 2


async def test_quarantined_payloads_are_for_admins_with_personal_data(
    synced: tuple[Hub, list[SyncResult]],
) -> None:
    hub, _ = synced
    pages = await walk(hub, QUARANTINE, "quarantine", {}, MASKED_ADMIN, first=10)
    assert len(pages[0]) == 2
    assert all(item["payload"] is None and item["reason"] for item in pages[0])


async def test_only_viewers_running_syncs_see_them(
    synced: tuple[Hub, list[SyncResult]],
) -> None:
    for viewer in (AGENT, APP, ANALYST):
        for query in (RUNS, QUARANTINE, STATUS):
            codes = await error_codes(synced[0], query, viewer=viewer)
            assert codes == ["FORBIDDEN"], (viewer.role, query)


async def test_bad_cursors_and_page_sizes_have_codes(
    synced: tuple[Hub, list[SyncResult]],
) -> None:
    hub, _ = synced
    page = (await execute(hub, QUARANTINE, {"first": 1}, ADMIN))["quarantine"]
    quarantine_cursor = page["pageInfo"]["endCursor"]
    for after in ("nonsense", "%%%", quarantine_cursor):
        codes = await error_codes(hub, RUNS, {"after": after}, ADMIN)
        assert codes == ["INVALID_CURSOR"], after
    assert await error_codes(hub, RUNS, {"first": 101}, ADMIN) == ["PAGE_SIZE_TOO_LARGE"]
    assert await error_codes(hub, RUNS, {"first": -1}, ADMIN) == ["BAD_USER_INPUT"]


async def test_run_errors_never_show_the_instances_secrets(acme: AcmeSource) -> None:
    token = acme.connector.settings.token.reveal()
    async with acme.hub.sessions.begin() as session:
        run = await sync_state.start_run(session, acme.instance)
        error = f"GET /members?access_token={token} answered 500"
        await sync_state.finish_run(session, run.id, "failed", {"errors": 1}, error)
    data = await execute(acme.hub, RUNS, {"connector": acme.instance}, ADMIN)
    shown = data["syncRuns"]["edges"][0]["node"]["error"]
    assert token not in shown
    assert shown == "GET /members?access_token=[secret] answered 500"
