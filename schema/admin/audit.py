"""The audit log as GraphQL: ``auditLog`` for admins, a customer's own entries for agents."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON

from hub.access import Permission, Role
from hub.audit import audit_page
from hub.store.models import AuditEventRow
from hub.store.profile_audits import AuditFacts
from schema.access import viewer
from schema.context import HubInfo
from schema.loaders import ProfileLoaders
from schema.pagination import decode_id_cursor, encode_cursor

MAX_PAGE = 200


@strawberry.type(description="One change: who made it, when, what it was and why.")
class AuditEntry:
    id: strawberry.ID
    occurred_at: datetime
    actor: str
    action: str = strawberry.field(description="e.g. identity.merge, consent.record, sync.trigger")
    subject: str = strawberry.field(description="'<kind>:<id>', e.g. 'profile:…'")
    reason: str
    details: JSON

    @classmethod
    def from_row(cls, row: AuditEventRow | AuditFacts) -> AuditEntry:
        return cls(
            id=strawberry.ID(str(row.id)),
            occurred_at=row.occurred_at,
            actor=row.actor,
            action=row.action,
            subject=f"{row.subject_kind}:{row.subject_id}",
            reason=row.reason,
            details=cast(JSON, row.details),
        )


@strawberry.type
class AuditEdge:
    cursor: str
    node: AuditEntry


@strawberry.type
class AuditPageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="Audit entries, newest first.")
class AuditConnection:
    edges: list[AuditEdge]
    page_info: AuditPageInfo


def _cursor(entry_id: int) -> str:
    return encode_cursor("audit", entry_id)


@strawberry.type
class AuditQueries:
    @strawberry.field(description="Every audited change, newest first (admins).")
    async def audit_log(
        self,
        info: HubInfo,
        first: int = 50,
        after: str | None = None,
        subject: str | None = None,
    ) -> AuditConnection:
        if viewer(info).role is not Role.ADMIN:
            raise GraphQLError(
                "auditLog is for admin keys", extensions={"code": "PERMISSION_DENIED"}
            )
        if not 1 <= first <= MAX_PAGE:
            raise GraphQLError(
                f"first: between 1 and {MAX_PAGE}", extensions={"code": "INVALID_INPUT"}
            )
        before = decode_id_cursor("audit", after)
        async with info.context.sessions() as session:
            try:
                rows = await audit_page(session, before_id=before, limit=first + 1, subject=subject)
            except ValueError as error:
                raise GraphQLError(str(error), extensions={"code": "INVALID_INPUT"}) from None
        page = rows[:first]
        return AuditConnection(
            edges=[AuditEdge(cursor=_cursor(r.id), node=AuditEntry.from_row(r)) for r in page],
            page_info=AuditPageInfo(
                has_next_page=len(rows) > first,
                end_cursor=_cursor(page[-1].id) if page else None,
            ),
        )


@strawberry.type
class CustomerAuditFields:
    """Mixed into Customer: its audit entries, for viewers who may decide identities."""

    if TYPE_CHECKING:
        id: strawberry.ID
        loaders: ProfileLoaders

    @strawberry.field(
        description=(
            "Changes made to this customer (and to profiles merged into it), newest first; "
            "empty for keys that may not decide identities."
        )
    )
    async def audit_entries(self, info: HubInfo) -> list[AuditEntry]:
        if not viewer(info).may(Permission.DECIDE_IDENTITY):
            return []
        rows = await self.loaders.audits.load(str(self.id))
        return [AuditEntry.from_row(row) for row in rows]
