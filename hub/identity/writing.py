"""Writing a resolution to the store: profiles with stable ids, links with their evidence,
automatic merges and splits as decisions with snapshots, findings, review items, golden fields.

The engine answers with clusters of record ids; this module turns them into the rows the rest
of the hub reads, touching only the records and profiles the answer covers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from hub.audit import audit_row
from hub.identity.assignment import Assignment, assign_profiles
from hub.identity.config import ResolutionConfig
from hub.identity.golden import refresh_golden
from hub.identity.model import NormalisedPerson, PairEvidence, Resolution
from hub.identity.review import close_settled_items, evidence_document, file_review_items
from hub.store.consents import HUB_CONNECTOR
from hub.store.models import FindingRow, IdentityDecisionRow, LinkRow, ProfileRow, SourceRecordRow

AUTO = "auto"
RULE_NEW_PROFILE = "new_profile"

Progress = Callable[[str, int, int], None]
"""``(stage, done, total)``: reading, normalising, the engine's stages, writing."""


@dataclass
class ResolveCounts:
    records: int = 0
    """Records read and resolved by this run."""
    candidate_pairs: int = 0
    linked: int = 0
    """Records that joined a profile or moved to another."""
    profiles_created: int = 0
    profiles_merged: int = 0
    profiles_split: int = 0
    review_filed: int = 0
    findings: int = 0
    profiles_refreshed: int = 0
    full: bool = False
    changed_profiles: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Profile id → ``created``, ``updated`` or ``merged_away``: what live views hear of."""
    identity_changes: list[tuple[str, str, tuple[str, ...]]] = field(
        default_factory=list, compare=False, repr=False
    )
    """``(kind, profile, others)`` of each automatic merge and split."""


K = TypeVar("K", int, str)
V = TypeVar("V")
CHUNK = 5000
"""Ids per IN list: far below every driver's parameter limit."""


async def _lookup(
    session: AsyncSession,
    key: InstrumentedAttribute[K],
    value: InstrumentedAttribute[V],
    wanted: Iterable[K],
) -> dict[K, V]:
    """``{key: value}`` for the ``wanted`` keys, read in chunks."""
    ids = sorted(set(wanted))
    found: dict[K, V] = {}
    for start in range(0, len(ids), CHUNK):
        rows = await session.execute(select(key, value).where(key.in_(ids[start : start + CHUNK])))
        found.update({k: v for k, v in rows})
    return found


async def _current_links(session: AsyncSession, record_ids: Iterable[int]) -> dict[int, str]:
    return await _lookup(session, LinkRow.record_id, LinkRow.profile_id, record_ids)


async def _profile_ages(session: AsyncSession, profile_ids: Iterable[str]) -> dict[str, datetime]:
    return await _lookup(session, ProfileRow.id, ProfileRow.created_at, profile_ids)


def _attaching_evidence(resolution: Resolution) -> dict[int, PairEvidence]:
    """For each record that is not the first of its cluster, the link that attached it.

    The links of a cluster form a tree; rooted at the cluster's first record, each other record
    is explained by the link to its parent.
    """
    neighbours: dict[int, list[PairEvidence]] = {}
    for link in resolution.links:
        neighbours.setdefault(link.left, []).append(link)
        neighbours.setdefault(link.right, []).append(link)
    attached: dict[int, PairEvidence] = {}
    for cluster in resolution.clusters:
        seen = {cluster[0]}
        frontier = [cluster[0]]
        while frontier:
            record = frontier.pop()
            for link in neighbours.get(record, []):
                other = link.right if link.left == record else link.left
                if other not in seen:
                    seen.add(other)
                    attached[other] = link
                    frontier.append(other)
    return attached


async def write_resolution(
    session: AsyncSession,
    resolution: Resolution,
    people: dict[int, NormalisedPerson],
    read: Sequence[NormalisedPerson],
    config: ResolutionConfig,
    counts: ResolveCounts,
    progress: Progress | None,
) -> None:
    cluster_records = [r for cluster in resolution.clusters for r in cluster]
    current = await _current_links(session, cluster_records)
    ages = await _profile_ages(session, current.values())
    assignment = assign_profiles(
        resolution.clusters,
        current,
        lambda profile: (ages.get(profile, datetime.max.replace(tzinfo=UTC)), profile),
        lambda: str(uuid.uuid4()),
    )
    now = datetime.now(UTC)
    if assignment.created:
        await session.execute(
            insert(ProfileRow),
            [
                {"id": p, "golden": {}, "created_at": now, "updated_at": now}
                for p in assignment.created
            ],
        )
    await _write_links(session, assignment, current, _attaching_evidence(resolution), now)
    for retired, survivor in assignment.retired.items():
        await session.execute(
            update(ProfileRow).where(ProfileRow.id == retired).values(merged_into=survivor)
        )
    await _carry_hub_records(session, assignment.retired)
    _record_changes(session, assignment, now, counts)
    counts.linked = len(assignment.moved)
    counts.profiles_created = len(assignment.created)
    counts.findings = await _replace_findings(session, resolution, people, now)
    counts.review_filed = await file_review_items(session, resolution.review)
    await close_settled_items(
        session,
        {
            **current,
            **{
                r: assignment.profile_of_cluster[i]
                for i, c in enumerate(resolution.clusters)
                for r in c
            },
        },
    )
    read_ids = {p.record_id for p in read}
    touched = set(assignment.moved.values()) | set(assignment.retired)
    touched |= {current[r] for r in read_ids if r in current}
    touched |= {
        assignment.profile_of_cluster[i]
        for i, cluster in enumerate(resolution.clusters)
        if read_ids.intersection(cluster)
    }
    if progress:
        progress("writing", 0, len(touched))
    counts.profiles_refreshed = await refresh_golden(session, touched, config)
    counts.changed_profiles.update(dict.fromkeys(touched - set(assignment.retired), "updated"))
    counts.changed_profiles.update(dict.fromkeys(assignment.created, "created"))
    counts.changed_profiles.update(dict.fromkeys(assignment.retired, "merged_away"))
    if progress:
        progress("writing", len(touched), len(touched))


async def _write_links(
    session: AsyncSession,
    assignment: Assignment,
    current: dict[int, str],
    attached: dict[int, PairEvidence],
    now: datetime,
) -> None:
    new_rows: list[dict[str, Any]] = []
    moved_rows: list[dict[str, Any]] = []
    for record, profile in sorted(assignment.moved.items()):
        evidence = attached.get(record)
        row = {
            "record_id": record,
            "profile_id": profile,
            "rule": RULE_NEW_PROFILE if evidence is None else evidence.rule,
            "evidence": {} if evidence is None else evidence_document(evidence),
            "decided_by": AUTO,
            "linked_at": now,
        }
        (moved_rows if record in current else new_rows).append(row)
    if new_rows:
        await session.execute(insert(LinkRow), new_rows)
    if moved_rows:
        await session.execute(update(LinkRow), moved_rows)


async def _carry_hub_records(session: AsyncSession, retired: dict[str, str]) -> None:
    """Records the hub owns (consents recorded through the API) follow their profile into the
    survivor: resolution never matches them, so no cluster brings them along."""
    retired_ids = sorted(retired)
    for start in range(0, len(retired_ids), CHUNK):
        rows = await session.execute(
            select(LinkRow.record_id, LinkRow.profile_id)
            .join(SourceRecordRow, SourceRecordRow.id == LinkRow.record_id)
            .where(
                LinkRow.profile_id.in_(retired_ids[start : start + CHUNK]),
                SourceRecordRow.connector == HUB_CONNECTOR,
            )
        )
        for record_id, profile_id in rows:
            await session.execute(
                update(LinkRow)
                .where(LinkRow.record_id == record_id)
                .values(profile_id=retired[profile_id])
            )


def _record_changes(
    session: AsyncSession, assignment: Assignment, now: datetime, counts: ResolveCounts
) -> None:
    """Each automatic merge and split as a decision (with the snapshot a later split restores)
    and in the audit log, where agents' decisions are too."""
    for change in assignment.changes:
        if change.kind == "merge":
            counts.profiles_merged += len(change.others)
        else:
            counts.profiles_split += 1
        counts.identity_changes.append((change.kind, change.profile_id, tuple(change.others)))
        reason = f"automatic {change.kind}: " + ", ".join(change.others)
        session.add(
            IdentityDecisionRow(
                kind=change.kind,
                profile_id=change.profile_id,
                other_profile_id=change.others[0],
                decided_by=AUTO,
                reason=reason,
                decided_at=now,
                snapshot={"profiles": {p: list(r) for p, r in change.before.items()}},
            )
        )
        session.add(
            audit_row(
                "resolution",
                f"identity.{change.kind}",
                f"profile:{change.profile_id}",
                {"others": list(change.others), "automatic": True},
                reason,
                now,
            )
        )


async def _replace_findings(
    session: AsyncSession,
    resolution: Resolution,
    people: dict[int, NormalisedPerson],
    now: datetime,
) -> int:
    """Findings of every record the answer covers: its own values' and the engine's."""
    ids = sorted(r for cluster in resolution.clusters for r in cluster)
    for start in range(0, len(ids), CHUNK):
        await session.execute(
            delete(FindingRow).where(FindingRow.record_id.in_(ids[start : start + CHUNK]))
        )
    findings = [f for r in ids for f in people[r].findings] + list(resolution.findings)
    unique = {(f.record_id, f.field, f.kind.value, f.value): f for f in findings}
    if unique:
        await session.execute(
            insert(FindingRow),
            [
                {
                    "record_id": f.record_id,
                    "field": f.field,
                    "kind": f.kind.value,
                    "value": f.value[:2000],
                    "message": f.message,
                    "found_at": now,
                }
                for f in unique.values()
            ],
        )
    return len(unique)
