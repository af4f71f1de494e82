"""``hub sync --replay``: read quarantined payloads again, after a fix of mapping or settings.

Each open quarantine row is handed back to the stream (or webhook topic) it came from. A payload
that now reads is stored like any synced record and its row marked ``replayed``; one that still
fails stays open with the new reason and one more attempt counted. Webhook events that ran out
of attempts go back into the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.connector import Connector, ConnectorRuntime
from hub.store.errors import StoreUnavailable, translate_errors
from hub.store.models import QuarantineRow, WebhookEventRow
from hub.store.records import upsert_records
from hub.webhooks import queue


@dataclass
class ReplayCounts:
    replayed: int = 0
    still_failing: int = 0
    webhooks_requeued: int = 0


async def replay_quarantine(
    connector: Connector[Any],
    sessions: async_sessionmaker[AsyncSession],
    runtime: ConnectorRuntime,
) -> ReplayCounts:
    counts = ReplayCounts()
    name = connector.instance
    with translate_errors(f"reading the quarantine of {name}"):
        async with sessions() as session:
            ids = list(
                await session.scalars(
                    select(QuarantineRow.id)
                    .where(QuarantineRow.connector == name, QuarantineRow.status == "open")
                    .order_by(QuarantineRow.id)
                )
            )
    for row_id in ids:
        with translate_errors(f"replaying quarantined payload {row_id} of {name}"):
            async with sessions.begin() as session:
                row = await session.get(QuarantineRow, row_id)
                if row is None or row.status != "open":
                    continue
                row.attempts += 1
                try:
                    page = await connector.replay(row.stream, row.payload, runtime)
                except StoreUnavailable:
                    raise
                except Exception as exc:  # the payload stays quarantined, with the new reason
                    row.reason = f"replay failed: {type(exc).__name__}: {exc}"
                    counts.still_failing += 1
                    continue
                if page.rejected or not page.records:
                    reasons = "; ".join(r.reason for r in page.rejected) or "no record read"
                    row.reason = reasons
                    counts.still_failing += 1
                    continue
                await upsert_records(session, name, page.records)
                row.status = "replayed"
                row.replayed_at = datetime.now(UTC)
                counts.replayed += 1
    with translate_errors(f"re-queueing failed webhooks of {name}"):
        async with sessions.begin() as session:
            result = await session.execute(
                update(WebhookEventRow)
                .where(WebhookEventRow.connector == name, WebhookEventRow.status == queue.FAILED)
                .values(status=queue.PENDING, attempts=0, next_attempt_at=datetime.now(UTC))
            )
            counts.webhooks_requeued = int(getattr(result, "rowcount", 0) or 0)
    return counts
