"""Reading what profiles show for many profiles at once: one Core statement per kind of row.

The GraphQL layer batches the profiles of a request (a page of a list, the two sides of review
items) and asks here once per kind of row, so a page costs the same few statements whatever its
size. Rows come back as small frozen dataclasses, not ORM objects: nothing is tracked, nothing
lazy-loads behind a resolver's back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.store.errors import translate_errors
from hub.store.models import (
    ActivityRow,
    FindingRow,
    IdentifierRow,
    IdentityDecisionRow,
    LinkRow,
    ProfileRow,
    SourceRecordRow,
)

CHUNK = 1000
"""Ids per IN list: far below every driver's parameter limit, and above any page size."""
MAX_MERGE_HOPS = 64  # a merge chain longer than this means a cycle, not history

K = TypeVar("K", int, str)
F = TypeVar("F")


@dataclass(frozen=True, slots=True)
class ProfileFacts:
    id: str
    golden: dict[str, Any]
    merged_into: str | None
    brand: str | None
    country: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """A linked source record without its payload (read apart: it is large and rarely asked)."""

    id: int
    profile_id: str
    connector: str
    entity: str
    source_id: str
    content_hash: str
    first_seen_at: datetime
    last_seen_at: datetime
    source_updated_at: datetime | None
    changed_at: datetime
    brand: str | None
    rule: str
    evidence: dict[str, Any]
    decided_by: str
    linked_at: datetime


@dataclass(frozen=True, slots=True)
class IdentifierFacts:
    profile_id: str
    record_id: int
    kind: str
    raw_value: str
    normalized_value: str | None


@dataclass(frozen=True, slots=True)
class ActivityFacts:
    id: int
    profile_id: str
    record_id: int
    connector: str
    brand: str | None
    kind: str
    source_id: str
    occurred_at: datetime | None
    amount_minor: int | None
    currency: str | None
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LastActivityFacts:
    """When a profile's newest dated activity of one brand happened (the viewer's brands decide
    which of these it may see)."""

    profile_id: str
    brand: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class FindingFacts:
    id: int
    profile_id: str
    record_id: int
    field: str
    kind: str
    value: str
    message: str
    found_at: datetime


@dataclass(frozen=True, slots=True)
class DecisionFacts:
    id: int
    kind: str
    profile_id: str
    other_profile_id: str | None
    decided_by: str
    reason: str
    decided_at: datetime
    undoes_id: int | None
    undone_at: datetime | None


def _chunks(keys: Iterable[K]) -> list[list[K]]:
    ordered = sorted(set(keys))
    return [ordered[start : start + CHUNK] for start in range(0, len(ordered), CHUNK)]


_PROFILE_COLUMNS = (
    ProfileRow.id,
    ProfileRow.golden,
    ProfileRow.merged_into,
    ProfileRow.brand,
    ProfileRow.country,
    ProfileRow.created_at,
    ProfileRow.updated_at,
)


def profile_select() -> Select[Any]:
    """The columns of :class:`ProfileFacts`, for the lists to filter and order."""
    return select(*_PROFILE_COLUMNS)


def profile_facts(row: Sequence[Any]) -> ProfileFacts:
    return ProfileFacts(*row)


async def profiles_by_id(
    session: AsyncSession, profile_ids: Iterable[str]
) -> dict[str, ProfileFacts]:
    """The live profile of each id, a merged-away id giving its survivor; unknown ids absent.

    One statement per step of the longest merge chain among the ids (one when none is merged).
    """
    wanted = set(profile_ids)
    found: dict[str, ProfileFacts] = {}
    with translate_errors("reading profiles"):
        for chunk in _chunks(wanted):
            rows = await session.execute(profile_select().where(ProfileRow.id.in_(chunk)))
            found.update((row[0], profile_facts(row)) for row in rows)
        survivor = {key: found.get(key) for key in wanted}
        for _ in range(MAX_MERGE_HOPS):
            pending = {
                p.merged_into
                for p in survivor.values()
                if p is not None and p.merged_into is not None and p.merged_into not in found
            }
            for chunk in _chunks(k for k in pending if k is not None):
                rows = await session.execute(profile_select().where(ProfileRow.id.in_(chunk)))
                found.update((row[0], profile_facts(row)) for row in rows)
            moved = False
            for key, profile in survivor.items():
                if profile is not None and profile.merged_into is not None:
                    survivor[key] = found.get(profile.merged_into)
                    moved = True
            if not moved:
                break
    return {key: profile for key, profile in survivor.items() if profile is not None}


def _grouped(rows: Iterable[Any], profile_of: Any) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[profile_of(row)].append(row)
    return grouped


async def _linked_rows(
    session: AsyncSession,
    statement: Select[*tuple[Any, ...]],
    profile_ids: Iterable[str],
    make: Callable[..., F],
    action: str,
) -> dict[str, list[F]]:
    """The rows of ``statement`` (joined to the links) of each profile, one statement per chunk
    of profile ids, each row made into ``make`` (a facts type with a ``profile_id``)."""
    facts: list[F] = []
    with translate_errors(action):
        for chunk in _chunks(profile_ids):
            rows = await session.execute(statement.where(LinkRow.profile_id.in_(chunk)))
            facts.extend(make(*row) for row in rows)
    return _grouped(facts, lambda r: r.profile_id)


_RECORD_BRAND = SourceRecordRow.person["brand"].as_string()


_RECORD_STATEMENT = (
    select(
        SourceRecordRow.id,
        LinkRow.profile_id,
        SourceRecordRow.connector,
        SourceRecordRow.entity,
        SourceRecordRow.source_id,
        SourceRecordRow.content_hash,
        SourceRecordRow.first_seen_at,
        SourceRecordRow.last_seen_at,
        SourceRecordRow.source_updated_at,
        SourceRecordRow.changed_at,
        _RECORD_BRAND,
        LinkRow.rule,
        LinkRow.evidence,
        LinkRow.decided_by,
        LinkRow.linked_at,
    )
    .join(LinkRow, LinkRow.record_id == SourceRecordRow.id)
    .order_by(SourceRecordRow.id)
)


def _record_facts(row: Sequence[Any]) -> RecordFacts:
    return RecordFacts(*row)


async def records_of(
    session: AsyncSession, profile_ids: Iterable[str]
) -> dict[str, list[RecordFacts]]:
    """Each profile's linked records with their link, oldest record first."""
    return await _linked_rows(
        session, _RECORD_STATEMENT, profile_ids, RecordFacts, "reading the records of profiles"
    )


async def records_by_id(session: AsyncSession, record_ids: Iterable[int]) -> dict[int, RecordFacts]:
    """Linked records by id (a record no resolution has linked yet is absent)."""
    found: dict[int, RecordFacts] = {}
    with translate_errors("reading source records"):
        for chunk in _chunks(record_ids):
            rows = await session.execute(_RECORD_STATEMENT.where(SourceRecordRow.id.in_(chunk)))
            found.update((row[0], _record_facts(row)) for row in rows)
    return found


async def identifiers_of(
    session: AsyncSession, profile_ids: Iterable[str]
) -> dict[str, list[IdentifierFacts]]:
    """Each profile's identifiers, in the order the records sent them."""
    statement = (
        select(
            LinkRow.profile_id,
            IdentifierRow.record_id,
            IdentifierRow.kind,
            IdentifierRow.raw_value,
            IdentifierRow.normalized_value,
        )
        .join(LinkRow, LinkRow.record_id == IdentifierRow.record_id)
        .order_by(IdentifierRow.record_id, IdentifierRow.id)
    )
    return await _linked_rows(
        session, statement, profile_ids, IdentifierFacts, "reading the identifiers of profiles"
    )


async def activities_of(
    session: AsyncSession, profile_ids: Iterable[str]
) -> dict[str, list[ActivityFacts]]:
    """Each profile's activities of every kind, newest first (those without a time last)."""
    statement = (
        select(
            ActivityRow.id,
            LinkRow.profile_id,
            ActivityRow.record_id,
            SourceRecordRow.connector,
            _RECORD_BRAND,
            ActivityRow.kind,
            ActivityRow.source_id,
            ActivityRow.occurred_at,
            ActivityRow.amount_minor,
            ActivityRow.currency,
            ActivityRow.details,
        )
        .join(LinkRow, LinkRow.record_id == ActivityRow.record_id)
        .join(SourceRecordRow, SourceRecordRow.id == ActivityRow.record_id)
        .order_by(ActivityRow.occurred_at.desc().nulls_last(), ActivityRow.id.desc())
    )
    return await _linked_rows(
        session, statement, profile_ids, ActivityFacts, "reading the activities of profiles"
    )


async def last_activities_of(
    session: AsyncSession, profile_ids: Iterable[str]
) -> dict[str, list[LastActivityFacts]]:
    """Each profile's newest activity time per brand: one grouped row per brand, not every
    activity, so a page of search results learns its last activities cheaply."""
    statement = (
        select(LinkRow.profile_id, _RECORD_BRAND, func.max(ActivityRow.occurred_at))
        .join(LinkRow, LinkRow.record_id == ActivityRow.record_id)
        .join(SourceRecordRow, SourceRecordRow.id == ActivityRow.record_id)
        .where(ActivityRow.occurred_at.is_not(None))
        .group_by(LinkRow.profile_id, _RECORD_BRAND)
    )
    return await _linked_rows(
        session, statement, profile_ids, LastActivityFacts, "reading the last activities"
    )


async def findings_of(
    session: AsyncSession, profile_ids: Iterable[str]
) -> dict[str, list[FindingFacts]]:
    """Each profile's data-quality findings, by record then field."""
    statement = (
        select(
            FindingRow.id,
            LinkRow.profile_id,
            FindingRow.record_id,
            FindingRow.field,
            FindingRow.kind,
            FindingRow.value,
            FindingRow.message,
            FindingRow.found_at,
        )
        .join(LinkRow, LinkRow.record_id == FindingRow.record_id)
        .order_by(FindingRow.record_id, FindingRow.field, FindingRow.id)
    )
    return await _linked_rows(
        session, statement, profile_ids, FindingFacts, "reading the findings of profiles"
    )


async def decisions_of(
    session: AsyncSession, profile_ids: Iterable[str]
) -> dict[str, list[DecisionFacts]]:
    """The identity decisions (merges, splits, never-merge, undo) naming each profile on
    either side, newest first."""
    statement = select(
        IdentityDecisionRow.id,
        IdentityDecisionRow.kind,
        IdentityDecisionRow.profile_id,
        IdentityDecisionRow.other_profile_id,
        IdentityDecisionRow.decided_by,
        IdentityDecisionRow.reason,
        IdentityDecisionRow.decided_at,
        IdentityDecisionRow.undoes_id,
        IdentityDecisionRow.undone_at,
    ).order_by(IdentityDecisionRow.decided_at.desc(), IdentityDecisionRow.id.desc())
    grouped: dict[str, list[DecisionFacts]] = defaultdict(list)
    with translate_errors("reading the identity decisions of profiles"):
        for chunk in _chunks(profile_ids):
            wanted = set(chunk)
            rows = await session.execute(
                statement.where(
                    or_(
                        IdentityDecisionRow.profile_id.in_(chunk),
                        IdentityDecisionRow.other_profile_id.in_(chunk),
                    )
                )
            )
            for row in rows:
                decision = DecisionFacts(*row)
                for side in {decision.profile_id, decision.other_profile_id}:
                    if side in wanted:
                        grouped[side].append(decision)
    return grouped


async def payloads_of(session: AsyncSession, record_ids: Iterable[int]) -> dict[int, Any]:
    """The raw payloads of records, as received."""
    found: dict[int, Any] = {}
    with translate_errors("reading source payloads"):
        for chunk in _chunks(record_ids):
            rows = await session.execute(
                select(SourceRecordRow.id, SourceRecordRow.payload).where(
                    SourceRecordRow.id.in_(chunk)
                )
            )
            found.update((record_id, payload) for record_id, payload in rows)
    return found
