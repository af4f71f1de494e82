"""The audit log: every change made through the hub — who, when, what, why.

Each entry is written in the transaction of the change it describes, so the log never names a
change that was rolled back and never misses one that was committed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.store.models import AuditEventRow


def _split_subject(subject: str) -> tuple[str, str]:
    kind, sep, ident = subject.partition(":")
    if not sep or not kind or not ident:
        raise ValueError(f"audit subject {subject!r}: expected '<kind>:<id>', e.g. 'profile:…'")
    return kind, ident


async def record_audit(
    session: AsyncSession,
    actor: str,
    action: str,
    subject: str,
    details: Mapping[str, Any],
    reason: str,
) -> AuditEventRow:
    """Add one audit entry to ``session``'s transaction; the caller commits with the change.

    ``subject`` is ``"<kind>:<id>"``: ``profile:<id>``, ``review_item:<id>``,
    ``connector:<instance>``, ``api_key:<id>``.
    """
    row = audit_row(actor, action, subject, details, reason, datetime.now(UTC))
    session.add(row)
    await session.flush()
    return row


def audit_row(
    actor: str,
    action: str,
    subject: str,
    details: Mapping[str, Any],
    reason: str,
    occurred_at: datetime,
) -> AuditEventRow:
    """One audit entry, for writers that add many to a transaction and flush once."""
    kind, ident = _split_subject(subject)
    return AuditEventRow(
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        subject_kind=kind,
        subject_id=ident,
        reason=reason,
        details=dict(details),
    )


async def audit_page(
    session: AsyncSession, *, before_id: int | None, limit: int, subject: str | None = None
) -> Sequence[AuditEventRow]:
    """Newest entries first, those older than ``before_id``; ``limit`` of them at most."""
    query = select(AuditEventRow).order_by(AuditEventRow.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEventRow.id < before_id)
    if subject is not None:
        kind, ident = _split_subject(subject)
        query = query.where(AuditEventRow.subject_kind == kind, AuditEventRow.subject_id == ident)
    return list(await session.scalars(query))
