"""Cursors, run history and quarantine of the sync engine."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.records import Rejected
from hub.store.models import QuarantineRow, SyncRunRow, SyncStateRow


async def load_cursor(session: AsyncSession, connector: str, stream: str) -> str | None:
    row = await session.get(SyncStateRow, (connector, stream))
    return row.cursor if row else None


async def commit_without_waiting_for_flush(session: AsyncSession) -> None:
    """Let the caller's transaction commit without waiting for PostgreSQL to flush it to disk.

    For sync pages, which PostgreSQL then commits as SQLite does with ``synchronous=NORMAL``:
    a crash of the database server (not of the hub) may lose the last pages committed, each
    with its cursor and never half of one, and the next run reads them again. A sync commits
    once a page; waiting for a disk flush each time was most of a page's time on a slow disk.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SET LOCAL synchronous_commit = off"))


async def save_cursor(
    session: AsyncSession, connector: str, stream: str, cursor: str | None
) -> None:
    """Stage the cursor in the caller's transaction, so it commits with the page it follows."""
    now = datetime.now(UTC)
    # Every page of every sync ends here: one UPDATE, not a SELECT, an object and a flush.
    updated = await session.execute(
        update(SyncStateRow)
        .where(SyncStateRow.connector == connector, SyncStateRow.stream == stream)
        .values(cursor=cursor, updated_at=now)
    )
    if cast("CursorResult[Any]", updated).rowcount == 0:
        session.add(SyncStateRow(connector=connector, stream=stream, cursor=cursor, updated_at=now))


def quarantine(
    session: AsyncSession, connector: str, stream: str, rejected: Sequence[Rejected]
) -> None:
    now = datetime.now(UTC)
    for item in rejected:
        payload = (
            item.payload
            if isinstance(item.payload, str)
            else json.dumps(item.payload, ensure_ascii=False, default=str)
        )
        session.add(
            QuarantineRow(
                connector=connector,
                stream=stream[:64],  # "webhook:<vendor topic>" may be longer than a stream
                source_id=item.source_id,
                payload=payload,
                reason=item.reason,
                created_at=now,
            )
        )


async def start_run(session: AsyncSession, connector: str) -> SyncRunRow:
    run = SyncRunRow(connector=connector, started_at=datetime.now(UTC), status="running", counts={})
    session.add(run)
    await session.flush()
    return run


async def finish_run(
    session: AsyncSession,
    run_id: int,
    status: str,
    counts: Mapping[str, int],
    error: str | None = None,
) -> None:
    run = await session.get(SyncRunRow, run_id)
    if run is None:  # pragma: no cover - the run row is written before any page
        return
    run.status = status
    run.counts = dict(counts)
    run.error = error
    run.finished_at = datetime.now(UTC)


async def recent_runs(session: AsyncSession, connector: str, limit: int = 10) -> list[SyncRunRow]:
    result = await session.scalars(
        select(SyncRunRow)
        .where(SyncRunRow.connector == connector)
        .order_by(SyncRunRow.id.desc())
        .limit(limit)
    )
    return list(result)


async def stream_cursors(session: AsyncSession) -> list[SyncStateRow]:
    """Every stream's saved cursor, by connector instance and stream."""
    result = await session.scalars(
        select(SyncStateRow).order_by(SyncStateRow.connector, SyncStateRow.stream)
    )
    return list(result)


async def last_runs(session: AsyncSession) -> dict[str, SyncRunRow]:
    """The latest run of each connector instance that has run."""
    latest = (
        select(SyncRunRow.connector, func.max(SyncRunRow.id).label("id"))
        .group_by(SyncRunRow.connector)
        .subquery()
    )
    result = await session.scalars(select(SyncRunRow).join(latest, latest.c.id == SyncRunRow.id))
    return {run.connector: run for run in result}
