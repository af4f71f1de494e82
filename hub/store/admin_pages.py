"""Pages of the operators' lists: sync runs, the quarantine and the review queue, newest first.

Each list is ordered by its integer id, descending, and a page starts below the last id of the
previous one: rows added meanwhile (a sync running, a resolution filing review items) land
before the first page, never inside the walk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.store.errors import translate_errors
from hub.store.models import QuarantineRow, ReviewItemRow, SyncRunRow

RowT = TypeVar("RowT", SyncRunRow, QuarantineRow, ReviewItemRow)


@dataclass(frozen=True)
class RowPage(Generic[RowT]):
    rows: list[RowT]
    has_next: bool


async def _page(
    session: AsyncSession,
    statement: Select[RowT],
    id_column: Any,
    first: int,
    before: int | None,
    what: str,
) -> RowPage[RowT]:
    if before is not None:
        statement = statement.where(id_column < before)
    statement = statement.order_by(id_column.desc()).limit(first + 1)
    with translate_errors(f"listing {what}"):
        rows = list((await session.scalars(statement)).all())
    return RowPage(rows[:first], has_next=len(rows) > first)


async def sync_run_page(
    session: AsyncSession,
    first: int,
    before: int | None,
    connector: str | None = None,
    status: str | None = None,
) -> RowPage[SyncRunRow]:
    statement = select(SyncRunRow)
    if connector is not None:
        statement = statement.where(SyncRunRow.connector == connector)
    if status is not None:
        statement = statement.where(SyncRunRow.status == status)
    return await _page(session, statement, SyncRunRow.id, first, before, "sync runs")


async def quarantine_page(
    session: AsyncSession,
    first: int,
    before: int | None,
    connector: str | None = None,
    status: str | None = None,
) -> RowPage[QuarantineRow]:
    statement = select(QuarantineRow)
    if connector is not None:
        statement = statement.where(QuarantineRow.connector == connector)
    if status is not None:
        statement = statement.where(QuarantineRow.status == status)
    return await _page(session, statement, QuarantineRow.id, first, before, "the quarantine")


async def review_page(
    session: AsyncSession, first: int, before: int | None, status: str | None = "open"
) -> RowPage[ReviewItemRow]:
    statement = select(ReviewItemRow)
    if status is not None:
        statement = statement.where(ReviewItemRow.status == status)
    return await _page(session, statement, ReviewItemRow.id, first, before, "the review queue")
