"""The durable webhook queue: one row per vendor event, processed in arrival order.

A delivery is written here before the vendor gets its 2xx, so an acknowledged event survives a
crash. Redeliveries of the same event id only add to ``deliveries``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hub.connector import WebhookEvent
from hub.store.models import Base, WebhookEventRow

__all__ = ["DONE", "FAILED", "PENDING", "WebhookEventRow"]

PENDING, DONE, FAILED = "pending", "done", "failed"
MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=5)
"""How long a claimed event is left to its worker before another may take it."""


async def enqueue(session: AsyncSession, connector: str, event: WebhookEvent, body: bytes) -> bool:
    """Queue ``event``; False when the same event id was queued before (a redelivery)."""
    now = datetime.now(UTC)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = Base.metadata.tables[WebhookEventRow.__tablename__]
    values = insert(table).values(
        connector=connector,
        event_id=event.event_id,
        topic=event.topic[:128],
        headers=dict(event.headers),
        body=body.decode("utf-8", "replace"),
        received_at=now,
        deliveries=1,
        status=PENDING,
        attempts=0,
        next_attempt_at=now,
    )
    statement = values.on_conflict_do_update(
        index_elements=["connector", "event_id"],
        set_={"deliveries": table.c.deliveries + 1},
    ).returning(table.c.deliveries)
    deliveries = (await session.execute(statement)).scalar_one()
    return bool(deliveries == 1)


async def due_events(session: AsyncSession, limit: int) -> Sequence[WebhookEventRow]:
    """Pending events whose time has come, oldest delivery first."""
    result = await session.scalars(
        select(WebhookEventRow)
        .where(WebhookEventRow.status == PENDING)
        .where(WebhookEventRow.next_attempt_at <= datetime.now(UTC))
        .order_by(WebhookEventRow.received_at, WebhookEventRow.id)
        .limit(limit)
    )
    return result.all()


async def claim(session: AsyncSession, row_id: int, lease: timedelta) -> WebhookEventRow | None:
    """Take a due pending event for ``lease``, or None when another worker has it.

    Taking it moves its next attempt past the lease, so no other worker picks it up while
    this one works on it; if this worker dies, the event is due again when the lease ends.
    The conditional UPDATE takes the row's write lock on every backend (SQLite has no
    SELECT … FOR UPDATE): a second worker waits for the first to commit, then finds the event
    not due.
    """
    now = datetime.now(UTC)
    claimed = await session.execute(
        update(WebhookEventRow)
        .where(
            WebhookEventRow.id == row_id,
            WebhookEventRow.status == PENDING,
            WebhookEventRow.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + lease)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        return None
    return await session.get(WebhookEventRow, row_id)


def as_event(row: WebhookEventRow) -> WebhookEvent:
    payload: Any = json.loads(row.body)
    return WebhookEvent(row.event_id, row.topic, payload, dict(row.headers))


def mark_done(row: WebhookEventRow) -> None:
    row.status = DONE
    row.attempts += 1
    row.processed_at = datetime.now(UTC)
    row.error = None


def mark_failed_attempt(row: WebhookEventRow, error: str, retry_in: timedelta) -> None:
    """Count a failed attempt; after :data:`MAX_ATTEMPTS` the event stays ``failed`` until a
    replay puts it back in the queue."""
    row.attempts += 1
    row.error = error
    if row.attempts >= MAX_ATTEMPTS:
        row.status = FAILED
    else:
        row.next_attempt_at = datetime.now(UTC) + retry_in
