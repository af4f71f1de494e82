"""The sync engine's lists for operators: run history, per-instance sync health, quarantine.

All of it needs RUN_SYNCS (admins): run errors and quarantine reasons name source systems and
their failures. Quarantined payloads are raw source data, shown only with READ_RAW_PAYLOADS.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import Enum

import strawberry

from hub.access import Permission
from hub.identity.pipeline import WATERMARK as RESOLUTION_WATERMARK
from hub.settings import Secret
from hub.store.admin_pages import quarantine_page, sync_run_page
from hub.store.models import QuarantineRow, SyncRunRow
from hub.store.sync_state import last_runs, stream_cursors
from schema.access import raw_payload, require
from schema.context import HubInfo
from schema.pagination import Connection, connection, page_request

REDACTED = "[secret]"


@strawberry.enum(description="Where a sync run is.")
class SyncRunStatus(Enum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@strawberry.enum(description="Where a quarantined payload is.")
class QuarantineStatus(Enum):
    OPEN = "open"
    """Not read yet: replayQuarantine tries it again."""
    REPLAYED = "replayed"


@strawberry.type(description="What a sync run did, record by record.")
class SyncRunCounts:
    fetched: int
    inserted: int
    updated: int
    unchanged: int
    stale: int = strawberry.field(description="Older than the stored version: not written.")
    quarantined: int
    errors: int
    retries: int = strawberry.field(description="HTTP requests the run had to send again.")


@strawberry.type(description="One sync of one connector instance.")
class SyncRun:
    id: strawberry.ID
    connector: str = strawberry.field(description="The connector instance.")
    status: SyncRunStatus
    started_at: datetime
    finished_at: datetime | None
    counts: SyncRunCounts
    error: str | None = strawberry.field(
        description="Why the run failed; the instance's secrets are never shown in it."
    )

    @classmethod
    def of(cls, info: HubInfo, row: SyncRunRow) -> SyncRun:
        counts = {name: int(row.counts.get(name, 0)) for name in _COUNT_NAMES}
        return cls(
            id=strawberry.ID(str(row.id)),
            connector=row.connector,
            status=SyncRunStatus(row.status),
            started_at=row.started_at,
            finished_at=row.finished_at,
            counts=SyncRunCounts(**counts),
            error=None if row.error is None else without_secrets(info, row.connector, row.error),
        )


_COUNT_NAMES = (
    "fetched", "inserted", "updated", "unchanged", "stale", "quarantined", "errors", "retries",
)  # fmt: skip


def without_secrets(info: HubInfo, connector: str, text: str) -> str:
    """``text`` with the instance's configured secrets blanked: a vendor's error may echo the
    token it was sent (a URL with ``?access_token=…``), and run history keeps it as written."""
    hub = info.context.hub
    instance = None if hub is None else hub.connectors.get(connector)
    settings = None if instance is None else instance.settings
    if settings is None or not dataclasses.is_dataclass(settings):
        return text
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        if isinstance(value, Secret) and value.reveal():
            text = text.replace(value.reveal(), REDACTED)
    return text


@strawberry.type(description="A stream of a connector instance and the cursor it resumes at.")
class StreamCursor:
    stream: str
    cursor: str | None = strawberry.field(description="Null: the next run reads it all.")
    updated_at: datetime


@strawberry.type(description="How a connector instance's syncs are going.")
class ConnectorSyncStatus:
    connector: str = strawberry.field(description="The connector instance.")
    configured: bool = strawberry.field(
        description="False for an instance that synced once and is no longer in plugins.toml."
    )
    streams: list[StreamCursor]
    last_run: SyncRun | None


@strawberry.type(description="A payload a sync could not read, kept to be replayed.")
class QuarantineItem:
    id: strawberry.ID
    connector: str
    stream: str
    source_id: str | None
    reason: str
    status: QuarantineStatus
    attempts: int = strawberry.field(description="Replays tried so far.")
    created_at: datetime
    replayed_at: datetime | None
    payload: str | None = strawberry.field(
        description="The payload as received; admins only (it holds raw personal data)."
    )

    @classmethod
    def of(cls, info: HubInfo, row: QuarantineRow) -> QuarantineItem:
        return cls(
            id=strawberry.ID(str(row.id)),
            connector=row.connector,
            stream=row.stream,
            source_id=row.source_id,
            reason=without_secrets(info, row.connector, row.reason),
            status=QuarantineStatus(row.status),
            attempts=row.attempts,
            created_at=row.created_at,
            replayed_at=row.replayed_at,
            payload=raw_payload(info, row.payload),
        )


@strawberry.type
class SyncQueries:
    @strawberry.field(description="Sync runs, newest first (admins).")
    async def sync_runs(
        self,
        info: HubInfo,
        connector: str | None = None,
        status: SyncRunStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[SyncRun]:
        require(info, Permission.RUN_SYNCS)
        size, before = page_request(info, "syncRuns", first, after)
        async with info.context.sessions() as session:
            page = await sync_run_page(
                session, size, before, connector, None if status is None else status.value
            )
        items = [(row.id, SyncRun.of(info, row)) for row in page.rows]
        return connection("syncRuns", items, page.has_next)

    @strawberry.field(
        description=(
            "Every connector instance (configured, or with sync history): its streams' cursors "
            "and its last run (admins)."
        )
    )
    async def sync_status(self, info: HubInfo) -> list[ConnectorSyncStatus]:
        require(info, Permission.RUN_SYNCS)
        async with info.context.sessions() as session:
            cursors, runs = await stream_cursors(session), await last_runs(session)
        # Identity resolution keeps its own watermark among the cursors: not an instance.
        cursors = [row for row in cursors if (row.connector, row.stream) != RESOLUTION_WATERMARK]
        hub = info.context.hub
        configured = set() if hub is None else set(hub.connectors)
        names = sorted(configured | set(runs) | {row.connector for row in cursors})
        return [
            ConnectorSyncStatus(
                connector=name,
                configured=name in configured,
                streams=[
                    StreamCursor(
                        stream=row.stream,
                        cursor=None
                        if row.cursor is None
                        else without_secrets(info, name, row.cursor),
                        updated_at=row.updated_at,
                    )
                    for row in cursors
                    if row.connector == name
                ],
                last_run=SyncRun.of(info, runs[name]) if name in runs else None,
            )
            for name in names
        ]

    @strawberry.field(description="Quarantined payloads, newest first (admins).")
    async def quarantine(
        self,
        info: HubInfo,
        connector: str | None = None,
        status: QuarantineStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[QuarantineItem]:
        require(info, Permission.RUN_SYNCS)
        size, before = page_request(info, "quarantine", first, after)
        async with info.context.sessions() as session:
            page = await quarantine_page(
                session, size, before, connector, None if status is None else status.value
            )
        items = [(row.id, QuarantineItem.of(info, row)) for row in page.rows]
        return connection("quarantine", items, page.has_next)
