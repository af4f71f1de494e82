"""Reading what profiles show for many profiles at once: one Core statement per kind of row.

The GraphQL layer batches the profiles of a request (a page of a list, the two sides of review
items) and asks here once per kind of row, so a page costs the same few statements whatever its
size. Rows come back as small frozen dataclasses, not ORM objects: nothing is tracked, nothing
lazy-loads behind a resolver's back.

Each statement is built once, its ids an expanding parameter: SQLAlchemy then finds its
compiled form without walking a new statement every call (building and keying a statement
cost more than SQLite's answer). Every reader takes a session or a plain connection; the
GraphQL layer reads through a connection, which skips the ORM's execution steps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import BindParameter, Select, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

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

Reader = AsyncSession | AsyncConnection
"""What the readers run their statements on."""
IDS: BindParameter[Any] = bindparam("ids", expanding=True)
"""The ids of one chunk, given at each execution as ``{"ids": chunk}``."""


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


_PROFILES_BY_ID = profile_select().where(ProfileRow.id.in_(IDS))


async def profiles_by_id(session: Reader, profile_ids: Iterable[str]) -> dict[str, ProfileFacts]:
    """The live profile of each id, a merged-away id giving its survivor; unknown ids absent.

    One statement per step of the longest merge chain among the ids (one when none is merged).
    """
    wanted = set(profile_ids)
    found: dict[str, ProfileFacts] = {}
    with translate_errors("reading profiles"):
        for chunk in _chunks(wanted):
            rows = await session.execute(_PROFILES_BY_ID, {"ids": chunk})
            found.update((row[0], profile_facts(row)) for row in rows)
        survivor = {key: found.get(key) for key in wanted}
        for _ in range(MAX_MERGE_HOPS):
            pending = {
                p.merged_into
                for p in survivor.values()
                if p is not None and p.merged_into is not None and p.merged_into not in found
            }
            for chunk in _chunks(k for k in pending if k is not None):
                rows = await session.execute(_PROFILES_BY_ID, {"ids": chunk})
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


def _of_profiles(statement: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """``statement`` (joined to the links) for the profiles of :data:`IDS`."""
    return statement.where(LinkRow.profile_id.in_(IDS))


async def _linked_rows(
    session: Reader,
    statement: Select[*tuple[Any, ...]],
    profile_ids: Iterable[str],
    make: Callable[..., F],
    action: str,
) -> dict[str, list[F]]:
    """The rows of ``statement`` (an :func:`_of_profiles`) of each profile, one execution per
    chunk of profile ids, each row made into ``make`` (a facts type with a ``profile_id``)."""
    facts: list[F] = []
    with translate_errors(action):
        for chunk in _chunks(profile_ids):
            rows = await session.execute(statement, {"ids": chunk})
            facts.extend(make(*row) for row in rows)
    return _grouped(facts, lambda r: r.profile_id)


_RECORD_BRAND = SourceRecordRow.person["brand"].as_string()


_RECORD_SELECT = select(
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
).join(LinkRow, LinkRow.record_id == SourceRecordRow.id)
_RECORDS_OF = _of_profiles(_RECORD_SELECT).order_by(SourceRecordRow.id)
_RECORDS_BY_ID = _RECORD_SELECT.where(SourceRecordRow.id.in_(IDS)).order_by(SourceRecordRow.id)


def _record_facts(row: Sequence[Any]) -> RecordFacts:
    return RecordFacts(*row)


async def records_of(session: Reader, profile_ids: Iterable[str]) -> dict[str, list[RecordFacts]]:
    """Each profile's linked records with their link, oldest record first."""
    return await _linked_rows(
        session, _RECORDS_OF, profile_ids, RecordFacts, "reading the records of profiles"
    )


async def records_by_id(session: Reader, record_ids: Iterable[int]) -> dict[int, RecordFacts]:
    """Linked records by id (a record no resolution has linked yet is absent)."""
    found: dict[int, RecordFacts] = {}
    with translate_errors("reading source records"):
        for chunk in _chunks(record_ids):
            rows = await session.execute(_RECORDS_BY_ID, {"ids": chunk})
            found.update((row[0], _record_facts(row)) for row in rows)
    return found


_IDENTIFIERS_OF = _of_profiles(
    select(
        LinkRow.profile_id,
        IdentifierRow.record_id,
        IdentifierRow.kind,
        IdentifierRow.raw_value,
        IdentifierRow.normalized_value,
    ).join(LinkRow, LinkRow.record_id == IdentifierRow.record_id)
).order_by(IdentifierRow.record_id, IdentifierRow.id)


async def identifiers_of(
    session: Reader, profile_ids: Iterable[str]
) -> dict[str, list[IdentifierFacts]]:
    """Each profile's identifiers, in the order the records sent them."""
    return await _linked_rows(
        session,
        _IDENTIFIERS_OF,
        profile_ids,
        IdentifierFacts,
        "reading the identifiers of profiles",
    )


_ACTIVITIES_OF = _of_profiles(
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
).order_by(ActivityRow.occurred_at.desc().nulls_last(), ActivityRow.id.desc())


async def activities_of(
    session: Reader, profile_ids: Iterable[str]
) -> dict[str, list[ActivityFacts]]:
    """Each profile's activities of every kind, newest first (those without a time last)."""
    return await _linked_rows(
        session, _ACTIVITIES_OF, profile_ids, ActivityFacts, "reading the activities of profiles"
    )


_LAST_ACTIVITIES_OF = (
    _of_profiles(
        select(LinkRow.profile_id, _RECORD_BRAND, func.max(ActivityRow.occurred_at))
        .join(LinkRow, LinkRow.record_id == ActivityRow.record_id)
        .join(SourceRecordRow, SourceRecordRow.id == ActivityRow.record_id)
        .where(ActivityRow.occurred_at.is_not(None))
    )
).group_by(LinkRow.profile_id, _RECORD_BRAND)


async def last_activities_of(
    session: Reader, profile_ids: Iterable[str]
) -> dict[str, list[LastActivityFacts]]:
    """Each profile's newest activity time per brand: one grouped row per brand, not every
    activity, so a page of search results learns its last activities cheaply."""
    return await _linked_rows(
        session, _LAST_ACTIVITIES_OF, profile_ids, LastActivityFacts, "reading the last activities"
    )


_FINDINGS_OF = _of_profiles(
    select(
        FindingRow.id,
        LinkRow.profile_id,
        FindingRow.record_id,
        FindingRow.field,
        FindingRow.kind,
        FindingRow.value,
        FindingRow.message,
        FindingRow.found_at,
    ).join(LinkRow, LinkRow.record_id == FindingRow.record_id)
).order_by(FindingRow.record_id, FindingRow.field, FindingRow.id)


async def findings_of(session: Reader, profile_ids: Iterable[str]) -> dict[str, list[FindingFacts]]:
    """Each profile's data-quality findings, by record then field."""
    return await _linked_rows(
        session, _FINDINGS_OF, profile_ids, FindingFacts, "reading the findings of profiles"
    )


async def rows_naming(
    session: Reader,
    statement: Select[*tuple[Any, ...]],
    profile_ids: Iterable[str],
    make: Callable[..., F],
    named: Callable[[F], set[str | None]],
    action: str,
) -> dict[str, list[F]]:
    """The rows of ``statement`` (over :data:`IDS`) made into ``make``, under each asked
    profile among those the row names (``named``): a row naming two asked profiles is in both."""
    grouped: dict[str, list[F]] = defaultdict(list)
    with translate_errors(action):
        for chunk in _chunks(profile_ids):
            wanted = set(chunk)
            for row in await session.execute(statement, {"ids": chunk}):
                made = make(*row)
                for profile_id in named(made):
                    if profile_id in wanted:
                        grouped[profile_id].append(made)
    return grouped


_DECISIONS_OF = (
    select(
        IdentityDecisionRow.id,
        IdentityDecisionRow.kind,
        IdentityDecisionRow.profile_id,
        IdentityDecisionRow.other_profile_id,
        IdentityDecisionRow.decided_by,
        IdentityDecisionRow.reason,
        IdentityDecisionRow.decided_at,
        IdentityDecisionRow.undoes_id,
        IdentityDecisionRow.undone_at,
    )
    .where(
        or_(IdentityDecisionRow.profile_id.in_(IDS), IdentityDecisionRow.other_profile_id.in_(IDS))
    )
    .order_by(IdentityDecisionRow.decided_at.desc(), IdentityDecisionRow.id.desc())
)


async def decisions_of(
    session: Reader, profile_ids: Iterable[str]
) -> dict[str, list[DecisionFacts]]:
    """The identity decisions (merges, splits, never-merge, undo) naming each profile on
    either side, newest first."""
    action = "reading the identity decisions of profiles"
    return await rows_naming(session, _DECISIONS_OF, profile_ids, DecisionFacts, _sides, action)


def _sides(decision: DecisionFacts) -> set[str | None]:
    return {decision.profile_id, decision.other_profile_id}


_PAYLOADS_BY_ID = select(SourceRecordRow.id, SourceRecordRow.payload).where(
    SourceRecordRow.id.in_(IDS)
)


async def payloads_of(session: Reader, record_ids: Iterable[int]) -> dict[int, Any]:
    """The raw payloads of records, as received."""
    found: dict[int, Any] = {}
    with translate_errors("reading source payloads"):
        for chunk in _chunks(record_ids):
            rows = await session.execute(_PAYLOADS_BY_ID, {"ids": chunk})
            found.update((record_id, payload) for record_id, payload in rows)
    return found
