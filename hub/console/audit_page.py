"""The audit log for admins: every change, newest first, a page at a time, about one subject
if asked (``profile:<id>``, ``connector:<instance>``…), read through the schema's auditLog."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from hub.access import Viewer
from hub.console.formats import short_time
from hub.console.graphql import GraphQLRunner, QueryFailed
from hub.console.pages import failure_page, render, with_params
from hub.console.preview import Preview, preview

AUDIT_PAGE = 25


@dataclass(frozen=True)
class AuditLine:
    id: str
    occurred: str
    actor: str
    action: str
    subject: str
    subject_kind: str
    subject_id: str
    reason: str
    details: Preview | None
    """``None`` for an entry without details."""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> AuditLine:
        kind, _, ident = data["subject"].partition(":")
        details = data["details"]
        return cls(
            id=data["id"],
            occurred=short_time(data["occurredAt"]),
            actor=data["actor"],
            action=data["action"],
            subject=data["subject"],
            subject_kind=kind,
            subject_id=ident,
            reason=data["reason"],
            details=preview(json.dumps(details, ensure_ascii=False, sort_keys=True))
            if details
            else None,
        )


async def audit_page(request: Request, viewer: Viewer) -> Response:
    subject = request.query_params.get("subject", "").strip()
    after = request.query_params.get("after") or None
    runner = GraphQLRunner.for_request(request, viewer)
    shown: dict[str, Any] = {"entries": [], "next_page": None, "problem": None}
    status_code = 200
    try:
        data = await runner.run("audit_log", first=AUDIT_PAGE, after=after, subject=subject or None)
    except QueryFailed as failed:
        if failed.code != "INVALID_INPUT":
            return failure_page(request, viewer, failed.code)
        shown["problem"], status_code = "audit.bad_subject", 400
    else:
        page = data["auditLog"]
        shown["entries"] = [AuditLine.from_data(edge["node"]) for edge in page["edges"]]
        if page["pageInfo"]["hasNextPage"]:
            shown["next_page"] = with_params(request, after=page["pageInfo"]["endCursor"])
    return render(
        request,
        "audit.html",
        viewer,
        status_code,
        subject=subject,
        first_page=with_params(request, after=None) if after else None,
        **shown,
    )
