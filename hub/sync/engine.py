"""The sync engine: reads every stream of a connector and stores it page by page.

Each page's records, its rejected payloads and the stream cursor after it are written in one
transaction: a crash or kill at any moment resumes from the last committed page, and nothing is
stored twice (records are upserted by source id with a content hash). Page commits do not wait
for the disk (SQLite's ``synchronous=NORMAL``, PostgreSQL's ``synchronous_commit = off``): a
power cut or a crash of the database server may lose the last pages, each with its cursor, and
the next run reads them again. Streams that allow it are read one page ahead
(:mod:`hub.sync.read_ahead`), so the source's answer and the database's commit are waited for
at the same time, and each page is prepared (hashed, its identifiers normalised:
:func:`hub.store.records.prepare_records`) as soon as it is read, while the page before it is
still being written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.connector import Connector, ConnectorRuntime, Stream
from hub.errors import HubError
from hub.records import Page, Rejected, SourceRecord
from hub.store import sync_state
from hub.store.errors import ConflictError, StoreError, StoreUnavailable, translate_errors
from hub.store.records import PreparedRecord, UpsertCounts, prepare_records, upsert_prepared
from hub.sync.gc_threshold import fewer_collections
from hub.sync.read_ahead import pages_to_store


@dataclass
class RunCounts:
    fetched: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0
    quarantined: int = 0
    errors: int = 0
    retries: int = 0

    def add(self, page: UpsertCounts) -> None:
        """Add what one page's upsert did to the run's totals."""
        self.inserted += page.inserted
        self.updated += page.updated
        self.unchanged += page.unchanged
        self.stale += page.stale

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


PAGE_ATTEMPTS = 3
MAX_PAYLOAD_BYTES = 1024 * 1024
"""A source record larger than this is quarantined: no customer or order is a megabyte, and
one runaway payload must not bloat every profile read."""


def without_oversized(
    records: Sequence[SourceRecord], rejected: Sequence[Rejected], where: str
) -> tuple[Sequence[SourceRecord], Sequence[Rejected]]:
    """Move records whose payload exceeds :data:`MAX_PAYLOAD_BYTES` to the rejected ones."""
    if all(len(r.canonical_payload) <= MAX_PAYLOAD_BYTES for r in records):
        return records, rejected
    kept: list[SourceRecord] = []
    refused = list(rejected)
    for record in records:
        size = len(record.canonical_payload)
        if size <= MAX_PAYLOAD_BYTES:
            kept.append(record)
            continue
        reason = f"{where}: payload of {size:,} bytes is over the {MAX_PAYLOAD_BYTES:,} limit"
        snippet = record.canonical_payload[:4096].decode("utf-8", "replace")
        refused.append(Rejected(record.source_id, snippet, reason))
    return kept, refused


ProgressCallback = Callable[[str, RunCounts], None]
"""Called after every committed page with ``"<connector>/<stream>"`` and the running counts."""


@dataclass(frozen=True)
class SyncResult:
    connector: str
    run_id: int
    status: str
    counts: RunCounts
    error: str | None = None


async def sync_connector(
    connector: Connector[Any],
    sessions: async_sessionmaker[AsyncSession],
    runtime: ConnectorRuntime,
    *,
    full: bool = False,
    progress: ProgressCallback | None = None,
) -> SyncResult:
    """Sync every stream of ``connector``; ``full`` ignores saved cursors and re-reads all.

    A connector failure ends the run as ``failed`` with the error kept in run history; the pages
    committed before it stay, and the next run resumes after them.
    """
    name = connector.instance
    counts = RunCounts()
    with translate_errors(f"starting a sync run of {name}"):
        async with sessions.begin() as session:
            run_id = (await sync_state.start_run(session, name)).id
    status, error = "succeeded", None
    retries_before = runtime.http.retries
    try:
        with fewer_collections():
            for stream in connector.streams(runtime):
                await _sync_stream(name, stream, sessions, counts, full, progress)
    except StoreUnavailable as exc:
        # Record the end of the run if the database lets us, so it does not stay "running".
        with contextlib.suppress(StoreError), translate_errors("recording the failed run"):
            async with sessions.begin() as session:
                await sync_state.finish_run(session, run_id, "failed", counts.as_dict(), str(exc))
        raise  # the caller reports it
    except HubError as exc:
        status, error = "failed", str(exc)
        counts.errors += 1
    except Exception as exc:  # a connector bug must still end its run as failed, on record
        status, error = "failed", f"unexpected {type(exc).__name__} in {name}: {exc}"
        counts.errors += 1
    counts.retries = runtime.http.retries - retries_before
    with translate_errors(f"finishing the sync run of {name}"):
        async with sessions.begin() as session:
            await sync_state.finish_run(session, run_id, status, counts.as_dict(), error)
    return SyncResult(name, run_id, status, counts, error)


async def _sync_stream(
    connector: str,
    stream: Stream,
    sessions: async_sessionmaker[AsyncSession],
    counts: RunCounts,
    full: bool,
    progress: ProgressCallback | None,
) -> None:
    where = f"{connector}/{stream.name}"
    cursor = None
    if not full:
        with translate_errors(f"reading the cursor of {where}"):
            async with sessions() as session:
                cursor = await sync_state.load_cursor(session, connector, stream.name)
    read = 0

    def prepare(page: Page) -> _PreparedPage:
        nonlocal read
        read += 1
        with translate_errors(f"preparing page {read} of {where}"):
            return _PreparedPage.of(page, read, where)

    async with pages_to_store(stream, cursor, prepare) as pages:
        async for page in pages:
            upserted = await _save_page(
                sessions,
                connector,
                stream.name,
                page.records,
                page.rejected,
                page.cursor,
                f"saving page {page.number} of {where}",
            )
            counts.fetched += page.fetched
            counts.add(upserted)
            counts.quarantined += len(page.rejected)
            if progress is not None:
                progress(where, counts)


@dataclass(frozen=True)
class _PreparedPage:
    """A page as the engine stores it: oversized records moved to the rejected ones, the
    others prepared (:func:`hub.store.records.prepare_records`)."""

    number: int
    records: list[PreparedRecord]
    rejected: Sequence[Rejected]
    cursor: str | None
    fetched: int

    @classmethod
    def of(cls, page: Page, number: int, where: str) -> _PreparedPage:
        records, rejected = without_oversized(page.records, page.rejected, where)
        fetched = len(page.records) + len(page.rejected)
        return cls(number, prepare_records(records), rejected, page.cursor, fetched)


async def _save_page(
    sessions: async_sessionmaker[AsyncSession],
    connector: str,
    stream: str,
    records: Sequence[PreparedRecord],
    rejected: Sequence[Rejected],
    cursor: str | None,
    action: str,
) -> UpsertCounts:
    """Store a page with its cursor in one transaction.

    A webhook may insert the same new record between this page's read and its insert; the
    unique key then refuses one of them. Trying the page again reads the other's row and
    settles it by ``updated_at``, as any later version would be.
    """
    for attempt in range(PAGE_ATTEMPTS):
        try:
            with translate_errors(action):
                async with sessions.begin() as session:
                    await sync_state.commit_without_waiting_for_flush(session)
                    upserted = await upsert_prepared(session, connector, records)
                    sync_state.quarantine(session, connector, stream, rejected)
                    await sync_state.save_cursor(session, connector, stream, cursor)
            return upserted
        except ConflictError:
            if attempt + 1 == PAGE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
