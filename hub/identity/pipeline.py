"""Resolution runs over the store: read records, resolve them, write profiles and evidence.

A full run (``hub resolve --full``, or the first run on a base) normalises every record,
estimates the match model, resolves everything in one batch and saves the model. An incremental
run (after each sync and webhook batch) resolves only the records that are new or changed since
the last run, against an index of all the others built with the saved model, so the answer is
the one a full run with that model would give.

Either way the result is written the same way: clusters keep stable profile ids
(:mod:`hub.identity.assignment`), moved records get a link with the evidence of the pair that
attached them, automatic merges and splits are recorded as decisions by ``auto`` with snapshots,
grey-zone pairs go to the review queue, findings are replaced for the records read, and the
golden fields of every touched profile are recomputed.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.identity.config import ResolutionConfig
from hub.identity.engine import EngineSettings, MatchModel, ResolverIndex
from hub.identity.model import Constraints, NormalisedPerson
from hub.identity.normalising import Normaliser
from hub.identity.reading import read_person_records
from hub.identity.writing import Progress, ResolveCounts, write_resolution
from hub.store.consents import HUB_CONNECTOR
from hub.store.errors import translate_errors
from hub.store.models import (
    LinkRow,
    MatchModelRow,
    RecordConstraintRow,
    SourceRecordRow,
    SyncStateRow,
)

__all__ = ["ResolveCounts", "engine_settings", "resolve"]

WATERMARK = ("_resolution", "changes")
"""The sync_state row holding when the last run started: records changed since are re-read."""


def engine_settings(config: ResolutionConfig) -> EngineSettings:
    """The engine's settings with the thresholds and cap plugins.toml sets."""
    defaults = EngineSettings()
    return EngineSettings(
        upper_threshold=defaults.upper_threshold
        if config.merge_threshold is None
        else config.merge_threshold,
        lower_threshold=defaults.lower_threshold
        if config.review_threshold is None
        else config.review_threshold,
        max_cluster_size=defaults.max_cluster_size
        if config.max_cluster_size is None
        else config.max_cluster_size,
    )


async def _constraints(session: AsyncSession) -> Constraints:
    rows = (
        await session.execute(
            select(
                RecordConstraintRow.kind,
                RecordConstraintRow.left_record_id,
                RecordConstraintRow.right_record_id,
            )
        )
    ).all()
    return Constraints(
        must_link=frozenset((a, b) for kind, a, b in rows if kind == "must"),
        cannot_link=frozenset((a, b) for kind, a, b in rows if kind == "cannot"),
    )


async def _saved_model(session: AsyncSession) -> tuple[int, MatchModel] | None:
    row = await session.scalar(select(MatchModelRow).order_by(MatchModelRow.id.desc()).limit(1))
    return None if row is None else (row.id, MatchModel.from_json(row.model))


@dataclass
class _WarmIndex:
    """The index a run left in memory, and what it was built from: if the store still says
    the same, the next run adds to it instead of reading and resolving the whole base."""

    index: ResolverIndex
    model_id: int
    constraints: Constraints
    settings: EngineSettings
    watermark: datetime


_WARM: weakref.WeakKeyDictionary[async_sessionmaker[AsyncSession], _WarmIndex] = (
    weakref.WeakKeyDictionary()
)


async def _watermark(session: AsyncSession) -> datetime | None:
    state = await session.get(SyncStateRow, WATERMARK)
    return None if state is None or state.cursor is None else datetime.fromisoformat(state.cursor)


async def _pending_ids(session: AsyncSession, since: datetime) -> list[int]:
    """Records never linked, or changed since the last run started."""
    unlinked = select(SourceRecordRow.id).outerjoin(
        LinkRow, LinkRow.record_id == SourceRecordRow.id
    )
    rows = await session.scalars(
        unlinked.where((LinkRow.record_id.is_(None)) | (SourceRecordRow.changed_at >= since)).where(
            SourceRecordRow.connector != HUB_CONNECTOR
        )
    )
    return sorted(rows)


async def _normalised(
    session: AsyncSession, record_ids: Sequence[int] | None, progress: Progress | None
) -> list[NormalisedPerson]:
    total = (
        len(record_ids)
        if record_ids is not None
        else int(await session.scalar(select(func.count()).select_from(SourceRecordRow)) or 0)
    )
    read = 0
    with Normaliser(total) as normaliser:
        async for chunk in read_person_records(session, record_ids):
            normaliser.add(chunk)
            read += len(chunk)
            if progress:
                progress("reading", read, total)
        return normaliser.people()


async def resolve(
    sessions: async_sessionmaker[AsyncSession],
    config: ResolutionConfig,
    *,
    full: bool = False,
    progress: Progress | None = None,
) -> ResolveCounts:
    """Resolve new and changed records (or everything, ``full``) and write the result.

    A process that resolves again and again (``hub serve``: after each sync and webhook batch)
    keeps the index in memory, so an incremental run reads and resolves only what changed.
    """
    try:
        return await _resolve(sessions, config, full=full, progress=progress)
    except BaseException:
        _WARM.pop(sessions, None)  # the index may hold what the store rolled back
        raise


async def _resolve(
    sessions: async_sessionmaker[AsyncSession],
    config: ResolutionConfig,
    *,
    full: bool,
    progress: Progress | None,
) -> ResolveCounts:
    started = datetime.now(UTC)
    with translate_errors("resolving identities"):
        async with sessions.begin() as session:
            saved = None if full else await _saved_model(session)
            since = await _watermark(session)
            constraints = await _constraints(session)
            counts = ResolveCounts(full=saved is None or since is None)
            settings = engine_settings(config)
            if counts.full:
                everyone = await _normalised(session, None, progress)
                index, resolution = ResolverIndex.resolve_all(
                    everyone, settings=settings, constraints=constraints, progress=progress
                )
                row = MatchModelRow(
                    estimated_at=started, records=len(everyone), model=index.model.to_json()
                )
                session.add(row)
                await session.flush()
                warm = _WarmIndex(index, row.id, constraints, settings, started)
                read = everyone
            else:
                assert saved is not None and since is not None
                pending = await _pending_ids(session, since)
                warm_or_none = _WARM.get(sessions)
                if not pending:
                    await _save_watermark(session, started)
                    if warm_or_none is not None and warm_or_none.watermark == since:
                        warm_or_none.watermark = started
                    return counts
                if _still_valid(warm_or_none, saved[0], constraints, settings, since):
                    assert warm_or_none is not None
                    warm = warm_or_none
                    read = await _normalised(session, pending, progress)
                else:
                    everyone = await _normalised(session, None, progress)
                    changed = set(pending)
                    index = ResolverIndex.build(
                        [p for p in everyone if p.record_id not in changed],
                        saved[1],
                        settings,
                        constraints,
                    )
                    warm = _WarmIndex(index, saved[0], constraints, settings, since)
                    read = [p for p in everyone if p.record_id in changed]
                resolution = warm.index.add(read)
            counts.records = len(read)
            counts.candidate_pairs = resolution.counts.candidate_pairs
            await write_resolution(
                session, resolution, warm.index.people, read, config, counts, progress
            )
            await _save_watermark(session, started)
    warm.watermark = started
    _WARM[sessions] = warm
    return counts


def _still_valid(
    warm: _WarmIndex | None,
    model_id: int,
    constraints: Constraints,
    settings: EngineSettings,
    since: datetime,
) -> bool:
    """Whether the index in memory is the one the last run left, for the same model and rules."""
    return (
        warm is not None
        and warm.model_id == model_id
        and warm.constraints == constraints
        and warm.settings == settings
        and warm.watermark == since
    )


async def _save_watermark(session: AsyncSession, started: datetime) -> None:
    state = await session.get(SyncStateRow, WATERMARK)
    if state is None:
        session.add(
            SyncStateRow(
                connector=WATERMARK[0],
                stream=WATERMARK[1],
                cursor=started.isoformat(),
                updated_at=started,
            )
        )
    else:
        state.cursor, state.updated_at = started.isoformat(), started
