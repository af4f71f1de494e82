"""The sync engine: page-by-page commits with their cursor, run history, quarantine, progress,
and resuming after a connector failure without storing anything twice."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import acme_hub_connector
import pytest
from acme_hub_connector.sandbox import AcmeLoyaltySandbox
from sqlalchemy import event, func, select
from sqlalchemy.util import await_only

from hub.connector import Connector, ConnectorRuntime, Stream
from hub.errors import ConnectorError
from hub.records import Page, Rejected, SourceRecord
from hub.runtime import Hub
from hub.sandbox import Faults, Population
from hub.store import sync_state
from hub.store.models import QuarantineRow, SourceRecordRow
from hub.sync.engine import MAX_PAYLOAD_BYTES, RunCounts, sync_connector, without_oversized
from hub.sync.gc_threshold import SYNC_YOUNG_THRESHOLD
from hub.testing import open_sandboxed_hub
from hub.webhooks.worker import WebhookWorker
from tests.conftest import AcmeSource
from tests.webhooks.conftest import receive, stored_records


@pytest.fixture
async def runtime() -> AsyncIterator[ConnectorRuntime]:
    async with ConnectorRuntime.open() as runtime:
        yield runtime


@dataclass(frozen=True)
class ScriptSettings:
    pages: int = 4
    fail_after: int | None = None
    """Raise a ConnectorError after yielding this many pages in one run."""


class NumberedStream(Stream):
    """Pages of two records each; the cursor is the number of the last page read."""

    name = "numbers"
    connector: ScriptedConnector

    async def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        self.connector.cursors_given.append(cursor)
        settings = self.connector.settings
        done = int(cursor) if cursor else 0
        for number in range(done + 1, settings.pages + 1):
            if settings.fail_after is not None and number - done > settings.fail_after:
                raise ConnectorError(
                    f"{self.connector.instance}: source went away at page {number}"
                )
            records = tuple(
                SourceRecord("customer", f"P{number}-{i}", {"page": number, "i": i}) for i in (1, 2)
            )
            yield Page(records, str(number))


class ScriptedConnector(Connector[ScriptSettings]):
    type_name = "scripted"
    settings_class = ScriptSettings

    def __init__(self, instance: str, settings: ScriptSettings) -> None:
        super().__init__(instance, settings)
        self.cursors_given: list[str | None] = []

    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        return [NumberedStream(self, runtime)]


class RejectingStream(Stream):
    name = "rows"

    async def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        good = SourceRecord("customer", "G1", {"id": "G1"})
        rejected = (
            Rejected("B1", {"id": "B1", "email": "??"}, "rows line 3: not an e-mail"),
            Rejected(None, "{broken json", "rows line 4: not valid JSON"),
        )
        yield Page((good,), "end", rejected)


class RejectingConnector(Connector[ScriptSettings]):
    type_name = "rejecting"
    settings_class = ScriptSettings

    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        return [RejectingStream(self, runtime)]


async def stored_ids(hub: Hub, connector: str) -> list[str]:
    async with hub.sessions() as session:
        result = await session.scalars(
            select(SourceRecordRow.source_id)
            .where(SourceRecordRow.connector == connector)
            .order_by(SourceRecordRow.source_id)
        )
        return list(result)


async def saved_cursor(hub: Hub, connector: str, stream: str) -> str | None:
    async with hub.sessions() as session:
        return await sync_state.load_cursor(session, connector, stream)


async def test_syncing_the_csv_stores_its_records_and_a_run_history_row(
    hub: Hub, runtime: ConnectorRuntime
) -> None:
    result = await sync_connector(hub.connectors["crm"], hub.sessions, runtime)
    assert result.status == "succeeded"
    assert result.error is None
    assert result.counts == RunCounts(fetched=3, inserted=3)
    assert await stored_ids(hub, "crm") == ["A1", "A2", "A3"]
    async with hub.sessions() as session:
        [run] = await sync_state.recent_runs(session, "crm")
    assert run.id == result.run_id
    assert run.status == "succeeded"
    assert run.counts == RunCounts(fetched=3, inserted=3).as_dict()
    assert run.finished_at is not None
    assert run.finished_at >= run.started_at


async def test_second_sync_reads_nothing_and_full_rereads_everything_unchanged(
    hub: Hub, runtime: ConnectorRuntime
) -> None:
    crm = hub.connectors["crm"]
    await sync_connector(crm, hub.sessions, runtime)
    again = await sync_connector(crm, hub.sessions, runtime)
    assert (again.status, again.counts) == ("succeeded", RunCounts())
    full = await sync_connector(crm, hub.sessions, runtime, full=True)
    assert (full.status, full.counts) == ("succeeded", RunCounts(fetched=3, unchanged=3))
    assert await stored_ids(hub, "crm") == ["A1", "A2", "A3"]
    async with hub.sessions() as session:
        runs = await sync_state.recent_runs(session, "crm")
    assert [(run.status, run.counts["fetched"], run.counts["unchanged"]) for run in runs] == [
        ("succeeded", 3, 3),  # newest first
        ("succeeded", 0, 0),
        ("succeeded", 3, 0),
    ]


async def test_connector_failure_keeps_committed_pages_and_the_next_run_resumes(
    hub: Hub, runtime: ConnectorRuntime
) -> None:
    failing = ScriptedConnector("scripted", ScriptSettings(pages=4, fail_after=2))
    first = await sync_connector(failing, hub.sessions, runtime)
    assert first.status == "failed"
    assert first.error == "scripted: source went away at page 3"
    assert first.counts == RunCounts(fetched=4, inserted=4, errors=1)
    assert await stored_ids(hub, "scripted") == ["P1-1", "P1-2", "P2-1", "P2-2"]
    assert await saved_cursor(hub, "scripted", "numbers") == "2"
    async with hub.sessions() as session:
        [run] = await sync_state.recent_runs(session, "scripted")
    assert (run.status, run.error, run.counts["errors"]) == ("failed", first.error, 1)

    healthy = ScriptedConnector("scripted", ScriptSettings(pages=4))
    second = await sync_connector(healthy, hub.sessions, runtime)
    assert healthy.cursors_given == ["2"]
    assert second.status == "succeeded"
    assert second.counts == RunCounts(fetched=4, inserted=4)  # pages 3 and 4 only
    assert await saved_cursor(hub, "scripted", "numbers") == "4"
    assert len(await stored_ids(hub, "scripted")) == 8
    async with hub.sessions() as session:
        total = await session.scalar(select(func.count()).select_from(SourceRecordRow))
    assert total == 8


async def test_quarantines_rejected_payloads_with_their_reason(
    hub: Hub, runtime: ConnectorRuntime
) -> None:
    result = await sync_connector(
        RejectingConnector("feed", ScriptSettings()), hub.sessions, runtime
    )
    assert result.counts == RunCounts(fetched=3, inserted=1, quarantined=2)
    async with hub.sessions() as session:
        rows = (await session.scalars(select(QuarantineRow).order_by(QuarantineRow.id))).all()
    assert [(r.connector, r.stream, r.source_id, r.reason) for r in rows] == [
        ("feed", "rows", "B1", "rows line 3: not an e-mail"),
        ("feed", "rows", None, "rows line 4: not valid JSON"),
    ]
    assert '"email": "??"' in rows[0].payload  # a mapping is kept as JSON text
    assert rows[1].payload == "{broken json"  # a raw line is kept as received
    assert await stored_ids(hub, "feed") == ["G1"]


async def test_progress_is_reported_after_every_page(hub: Hub, runtime: ConnectorRuntime) -> None:
    seen: list[tuple[str, int, int]] = []

    def progress(where: str, counts: RunCounts) -> None:
        seen.append((where, counts.fetched, counts.inserted))

    connector = ScriptedConnector("scripted", ScriptSettings(pages=3))
    await sync_connector(connector, hub.sessions, runtime, progress=progress)
    assert seen == [
        ("scripted/numbers", 2, 2),
        ("scripted/numbers", 4, 4),
        ("scripted/numbers", 6, 6),
    ]


async def test_pages_are_stored_with_fewer_garbage_collections_and_then_as_before(
    hub: Hub, runtime: ConnectorRuntime
) -> None:
    before = gc.get_threshold()
    during: list[int] = []
    connector = ScriptedConnector("scripted", ScriptSettings(pages=2))
    await sync_connector(
        connector, hub.sessions, runtime, progress=lambda *_: during.append(gc.get_threshold()[0])
    )
    assert during == [max(before[0], SYNC_YOUNG_THRESHOLD)] * 2
    assert gc.get_threshold() == before


async def test_a_page_that_cannot_be_stored_rolls_back_with_its_cursor(
    hub: Hub, runtime: ConnectorRuntime
) -> None:
    class NaiveTimestampStream(NumberedStream):
        """The second page carries a naive timestamp, which the store refuses to write."""

        async def pages(self, cursor: str | None) -> AsyncIterator[Page]:
            async for page in super().pages(cursor):
                if page.cursor == "2":
                    naive = SourceRecord(
                        "customer", "N1", {"n": 1}, updated_at=datetime(2024, 1, 1)
                    )
                    page = Page((*page.records, naive), page.cursor)
                yield page

    class NaiveConnector(ScriptedConnector):
        def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
            return [NaiveTimestampStream(self, runtime)]

    result = await sync_connector(
        NaiveConnector("scripted", ScriptSettings(pages=3)), hub.sessions, runtime
    )
    assert result.status == "failed"
    assert result.error is not None
    assert result.error.startswith("saving page 2 of scripted/numbers")
    assert await stored_ids(hub, "scripted") == ["P1-1", "P1-2"]
    assert await saved_cursor(hub, "scripted", "numbers") == "1"


class BuggyStream(Stream):
    """A connector bug: not a HubError, raised after one good page."""

    name = "buggy"

    async def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        yield Page((SourceRecord("customer", "B1", {"n": 1}),), "1")
        raise KeyError("total_price")


class BuggyConnector(Connector[ScriptSettings]):
    type_name = "buggy"
    settings_class = ScriptSettings

    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        return [BuggyStream(self, runtime)]


async def test_an_unexpected_connector_exception_ends_the_run_failed_on_record(
    hub: Hub, runtime: ConnectorRuntime
) -> None:
    result = await sync_connector(BuggyConnector("buggy", ScriptSettings()), hub.sessions, runtime)
    assert result.status == "failed"
    assert result.error is not None and "KeyError" in result.error
    assert await stored_ids(hub, "buggy") == ["B1"]
    async with hub.sessions() as session:
        [run] = await sync_state.recent_runs(session, "buggy")
    assert (run.status, run.counts["errors"]) == ("failed", 1)
    assert run.finished_at is not None


def test_a_payload_over_a_mebibyte_is_quarantined_and_the_others_kept() -> None:
    small = SourceRecord("customer", "S1", {"note": "x" * 100})
    exactly = SourceRecord("customer", "S2", {"n": "y" * (MAX_PAYLOAD_BYTES - len('{"n":""}'))})
    huge = SourceRecord("customer", "H1", {"note": "é" * MAX_PAYLOAD_BYTES})
    earlier = Rejected("B1", {"id": "B1"}, "rows line 3: not an e-mail")
    assert len(exactly.canonical_payload) == MAX_PAYLOAD_BYTES

    kept, rejected = without_oversized([small, huge, exactly], [earlier], "shop/customers")

    assert list(kept) == [small, exactly]
    assert rejected[0] == earlier
    [(source_id, payload, reason)] = [(r.source_id, r.payload, r.reason) for r in rejected[1:]]
    assert source_id == "H1"
    assert reason == (
        f"shop/customers: payload of {len(huge.canonical_payload):,} bytes is over the "
        f"{MAX_PAYLOAD_BYTES:,} limit"
    )
    assert isinstance(payload, str) and payload.startswith('{"note":"éé')
    assert len(payload) <= 4096  # a sample is kept, not the megabytes


def test_pages_within_the_limit_pass_unchanged() -> None:
    records = [SourceRecord("customer", "S1", {"n": 1})]
    assert without_oversized(records, [], "shop/customers") == (records, [])


async def test_requests_retried_in_a_run_are_counted_in_its_history(tmp_path: Path) -> None:
    async with open_sandboxed_hub(
        acme_hub_connector,
        AcmeLoyaltySandbox,
        tmp_path,
        population=Population(24, seed=5),
        faults=Faults(server_errors=3),
    ) as sandboxed:
        stormy = await sandboxed.sync()
        calm = await sandboxed.sync()
        async with sandboxed.hub.sessions() as session:
            runs = await sync_state.recent_runs(session, sandboxed.instance)
        server_errors = sum(sandboxed.sandbox.faults.stats[s] for s in (500, 502, 503))

    assert server_errors == 3
    assert (stormy.status, stormy.counts.retries) == ("succeeded", 3)
    assert stormy.counts.inserted == len(sandboxed.sandbox.members)
    assert (calm.status, calm.counts.retries) == ("succeeded", 0)  # per run, not cumulative
    assert [run.counts["retries"] for run in runs] == [0, 3]  # newest first


async def test_a_webhook_storing_a_new_record_mid_page_is_settled_by_retrying_the_page(
    acme: AcmeSource, another_hub: Hub, runtime: ConnectorRuntime
) -> None:
    """The race the engine retries a page for: between the page's read of the stored rows and
    its insert, the webhook worker of another hub process commits one of its new records."""
    if acme.hub.database_url.get_backend_name() == "sqlite":
        pytest.skip("SQLite's single writer, taken before the page reads, rules this race out")
    member = acme.sandbox.update_member("M-00001", tier="platinum")
    assert await receive(acme, acme.delivery(member))
    worker = WebhookWorker(another_hub, runtime)
    stored_by_webhook: list[int] = []

    def webhook_before_insert(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not stored_by_webhook and statement.startswith("INSERT INTO source_record "):
            stored_by_webhook.append(await_only(worker.process_due()).records)

    sync_engine = acme.hub.engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", webhook_before_insert)
    try:
        result = await sync_connector(acme.connector, acme.hub.sessions, runtime)
    finally:
        event.remove(sync_engine, "before_cursor_execute", webhook_before_insert)

    assert stored_by_webhook == [1]
    assert result.status == "succeeded", result.error
    members = len(acme.sandbox.members)
    assert (result.counts.inserted, result.counts.unchanged) == (members - 1, 1)
    stored = await stored_records(acme.hub, acme.instance)
    assert len(stored) == members
    assert stored["M-00001"].payload == member
