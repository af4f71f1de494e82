"""Reading one page ahead: pages still stored in order with their cursors, the next one asked for
while the current one is stored, and nothing left running when storing fails."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import select

from hub.connector import Connector, ConnectorRuntime, Stream
from hub.errors import ConnectorError
from hub.records import Page, SourceRecord
from hub.runtime import Hub
from hub.store import sync_state
from hub.store.models import SourceRecordRow
from hub.sync.engine import sync_connector
from hub.sync.read_ahead import pages_to_store, read_ahead


def page(number: int, *, naive: bool = False) -> Page:
    updated = datetime(2024, 1, 1) if naive else None  # the store refuses a naive time
    return Page((SourceRecord("customer", f"P{number}", {"n": number}, updated),), str(number))


def _as_read(read: Page) -> Page:
    return read


class Journal:
    """What the stream and the consumer did, in order."""

    def __init__(self) -> None:
        self.events: list[str] = []

    async def pages(
        self, count: int, *, fail_at: int | None = None, naive_at: int | None = None
    ) -> AsyncIterator[Page]:
        try:
            for number in range(1, count + 1):
                self.events.append(f"read {number}")
                await asyncio.sleep(0)  # a request on its way
                if number == fail_at:
                    raise ConnectorError(f"source went away at page {number}")
                yield page(number, naive=number == naive_at)
        except asyncio.CancelledError:
            self.events.append("read cancelled")
            raise
        finally:
            self.events.append("stream closed")


async def test_the_next_page_is_asked_for_while_the_current_one_is_stored() -> None:
    journal = Journal()
    async for current in read_ahead(journal.pages(3)):
        journal.events.append(f"store {current.cursor}")
        await asyncio.sleep(0)  # the transaction, waiting on the database
        journal.events.append(f"stored {current.cursor}")
    assert journal.events == [
        "read 1",
        "store 1",
        "read 2",
        "stored 1",
        "store 2",
        "read 3",
        "stored 2",
        "store 3",
        "stream closed",  # the end, found while page 3 is stored
        "stored 3",
    ]


async def test_an_error_reading_ahead_is_raised_after_the_page_before_it_is_stored() -> None:
    journal = Journal()
    stored: list[str | None] = []
    with pytest.raises(ConnectorError, match="page 3"):
        async for current in read_ahead(journal.pages(4, fail_at=3)):
            await asyncio.sleep(0)
            stored.append(current.cursor)
    assert stored == ["1", "2"]


async def test_a_failure_to_store_cancels_the_read_ahead_and_closes_the_stream(
    runtime: ConnectorRuntime,
) -> None:
    connector = JournalConnector(JournalSettings(ahead=True))

    class StoreDown(Exception):
        pass

    with pytest.raises(StoreDown):
        async with pages_to_store(connector.streams(runtime)[0], None, _as_read) as pages:
            async for _ in pages:
                await asyncio.sleep(0)  # page 2's request leaves
                raise StoreDown
    assert connector.journal.events == ["read 1", "read 2", "read cancelled", "stream closed"]


async def test_a_stream_that_does_not_opt_in_is_read_only_when_asked(
    runtime: ConnectorRuntime,
) -> None:
    connector = JournalConnector(JournalSettings(ahead=False, pages=2))
    journal = connector.journal
    async with pages_to_store(connector.streams(runtime)[0], None, _as_read) as pages:
        async for current in pages:
            await asyncio.sleep(0)
            journal.events.append(f"stored {current.cursor}")
    assert journal.events == ["read 1", "stored 1", "read 2", "stored 2", "stream closed"]


async def test_a_page_that_cannot_be_stored_keeps_the_pages_before_it_and_their_cursor(
    hub: Hub, runtime: ConnectorRuntime
) -> None:
    connector = JournalConnector(JournalSettings(ahead=True, pages=4, naive_at=2))
    result = await sync_connector(connector, hub.sessions, runtime)
    assert result.status == "failed"
    assert (result.error or "").startswith("saving page 2 of journal/numbers")
    async with hub.sessions() as session:
        stored = await session.scalars(
            select(SourceRecordRow.source_id).where(SourceRecordRow.connector == "journal")
        )
        assert list(stored) == ["P1"]
        assert await sync_state.load_cursor(session, "journal", "numbers") == "1"
    assert "read 4" not in connector.journal.events  # one page ahead, never two
    assert connector.journal.events[-1] == "stream closed"


@dataclass(frozen=True)
class JournalSettings:
    ahead: bool
    pages: int = 3
    naive_at: int | None = None


class JournalStream(Stream):
    name = "numbers"
    connector: JournalConnector

    def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        settings = self.connector.settings
        return self.connector.journal.pages(settings.pages, naive_at=settings.naive_at)


class AheadJournalStream(JournalStream):
    read_ahead = True


class JournalConnector(Connector[JournalSettings]):
    type_name = "journal"
    settings_class = JournalSettings

    def __init__(self, settings: JournalSettings) -> None:
        super().__init__("journal", settings)
        self.journal = Journal()

    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        stream = AheadJournalStream if self.settings.ahead else JournalStream
        return [stream(self, runtime)]


@pytest.fixture
async def runtime() -> AsyncIterator[ConnectorRuntime]:
    async with ConnectorRuntime.open() as runtime:
        yield runtime
