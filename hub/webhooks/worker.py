"""The webhook worker: turns queued events into stored records, in arrival order.

Each event is processed in its own transaction: its records, its quarantined payloads and its
``done`` mark commit together. Out-of-order or duplicated events cannot roll a record back, as
the store ignores a version older than the one it holds. A failing event is retried with
backoff and ends ``failed`` (visible, replayable) rather than blocking the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from hub.connector import ConnectorRuntime
from hub.connector.base import WEBHOOK_STREAM_PREFIX
from hub.store import sync_state
from hub.store.errors import StoreError, StoreUnavailable, translate_errors
from hub.store.records import upsert_records
from hub.sync.engine import without_oversized
from hub.webhooks import queue

if TYPE_CHECKING:
    from hub.runtime import Hub

log = logging.getLogger(__name__)

AfterBatch = Callable[[], Awaitable[Any]]


@dataclass
class BatchCounts:
    events: int = 0
    records: int = 0
    quarantined: int = 0
    failed: int = 0


class WebhookWorker:
    def __init__(
        self,
        hub: Hub,
        runtime: ConnectorRuntime,
        *,
        after_batch: AfterBatch | None = None,
        poll_seconds: float = 5.0,
        batch_size: int = 100,
    ) -> None:
        self.hub = hub
        self.runtime = runtime
        self.after_batch = after_batch
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self) -> None:
        """Process due events until cancelled; a store outage is waited out, not fatal."""
        while True:
            try:
                while (await self.process_due()).events:
                    pass
            except StoreUnavailable as exc:
                log.error("webhook worker: %s; retrying", exc)
            except Exception:  # the worker must outlive any one bad batch; the log says why
                log.exception("webhook worker: unexpected error; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
            self._wake.clear()

    async def process_due(self) -> BatchCounts:
        counts = BatchCounts()
        with translate_errors("reading the webhook queue"):
            async with self.hub.sessions() as session:
                due = [row.id for row in await queue.due_events(session, self.batch_size)]
        for event_id in due:
            await self._process(event_id, counts)
        if counts.records and self.after_batch is not None:
            await self.after_batch()
        return counts

    async def _process(self, row_id: int, counts: BatchCounts) -> None:
        """Claim the event, build its records outside any transaction, then store them.

        The connector may call its source here (Square's ``order.updated`` names the order
        only); holding a transaction meanwhile would hold SQLite's write lock, and the
        endpoint could not queue — and so acknowledge — the next delivery in time.
        """
        with translate_errors("claiming a webhook event"):
            async with self.hub.sessions.begin() as session:
                row = await queue.claim(session, row_id, queue.LEASE)
                if row is None:
                    return  # another worker has it
                event, name, topic = queue.as_event(row), row.connector, row.topic
        counts.events += 1
        connector = self.hub.connectors.get(name)
        try:
            if connector is None:
                raise LookupError(f"instance {name!r} is no longer configured")
            page = await connector.webhook_page(event, self.runtime)
        except StoreUnavailable:
            raise
        except Exception as exc:  # a bad event must not block the ones behind it
            await self._record_failure(row_id, f"{type(exc).__name__}: {exc}", counts)
            return
        stream = f"{WEBHOOK_STREAM_PREFIX}{topic}"
        records, rejected = without_oversized(page.records, page.rejected, f"{name}/{stream}")
        try:
            with translate_errors("storing a webhook event's records"):
                async with self.hub.sessions.begin() as session:
                    await upsert_records(session, name, records)
                    sync_state.quarantine(session, name, stream, rejected)
                    done = await session.get(queue.WebhookEventRow, row_id)
                    if done is not None:
                        queue.mark_done(done)
        except StoreUnavailable:
            raise
        except StoreError as exc:
            # The store refused this event's records (a value too long for its column, a
            # race with a sync): a failed attempt like any other, so the events behind it
            # still flow instead of this one failing every batch first.
            await self._record_failure(row_id, str(exc), counts)
            return
        counts.records += len(records)
        counts.quarantined += len(rejected)

    async def _record_failure(self, row_id: int, error: str, counts: BatchCounts) -> None:
        with translate_errors("recording a failed webhook attempt"):
            async with self.hub.sessions.begin() as session:
                row = await session.get(queue.WebhookEventRow, row_id)
                if row is not None and row.status == queue.PENDING:
                    _count_failed_attempt(row, error, counts)


def _count_failed_attempt(row: queue.WebhookEventRow, error: str, counts: BatchCounts) -> None:
    log.warning("webhook %s/%s failed: %s", row.connector, row.event_id, error)
    retry_in = timedelta(seconds=min(3600, 2 ** (row.attempts + 1)))
    queue.mark_failed_attempt(row, error, retry_in)
    counts.failed += 1
