"""Identity decisions as the console makes and shows them: a decision form's submission (the
CSRF check, the reason, the mutation, whose typed errors become a :class:`Refusal` the page
shows), and the audit lines of a review pair."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from hub.access import Viewer
from hub.console.formats import short_time
from hub.console.graphql import GraphQLRunner
from hub.console.pages import render
from hub.console.session import read_form

RECENT_DECISIONS = 10
"""Audit lines shown beside a review pair: the latest few tell the story; the rest is in
auditLog."""

REFUSAL_MESSAGES = {
    "REASON_REQUIRED": "decision.reason_required",
    "PERMISSION_DENIED": "decision.forbidden",
}
"""Codes the console words itself; any other refusal shows the schema's own message."""


@dataclass(frozen=True)
class Refusal:
    """A decision the schema refused (errors as data), as a page shows it."""

    code: str
    message: str

    @property
    def of_the_role(self) -> bool:
        """The viewer's role may not decide: the page it came from has no form to show it on."""
        return self.code == "PERMISSION_DENIED"

    @property
    def status_code(self) -> int:
        return 403 if self.of_the_role else 400

    @property
    def message_id(self) -> str:
        return REFUSAL_MESSAGES.get(self.code, "decision.refused")


@dataclass(frozen=True)
class Submitted:
    """A decision form as sent, and what the schema answered."""

    form: dict[str, str]
    reason: str
    """The form's reason, trimmed; an empty one is refused by the schema (``REASON_REQUIRED``),
    which the console shows rather than checking it a second time."""
    result: dict[str, Any] | Refusal
    """The mutation's success object, or the error it returned."""


async def submit_decision(
    request: Request,
    viewer: Viewer,
    mutation: tuple[str, str],
    variables_of: Callable[[dict[str, str]], dict[str, Any] | Refusal],
) -> Submitted | Response:
    """Run ``mutation`` (the document, the field it answers) with the variables the form gives
    and its reason. A form without the CSRF token, or from a role that may not decide, gets its
    refusal page here; any other refusal is the caller's to show beside its form."""
    form = await read_form(request)
    if form is None:
        return render(request, "error.html", viewer, status_code=403, problem="csrf.failed")
    reason = form.get("reason", "").strip()
    asked = variables_of(form)
    if isinstance(asked, Refusal):
        return Submitted(form, reason, asked)
    document, field = mutation
    runner = GraphQLRunner.for_request(request, viewer)
    result = (await runner.run(document, **asked, reason=reason))[field]
    if "code" not in result:  # every error type of the unions is a MutationError
        return Submitted(form, reason, dict(result))
    refusal = Refusal(result["code"], result["message"])
    if refusal.of_the_role:
        return render(
            request, "not_allowed.html", viewer, status_code=403, problem=refusal.message_id
        )
    return Submitted(form, reason, refusal)


@dataclass(frozen=True)
class AuditLine:
    occurred_at: str
    actor: str
    action: str
    reason: str


def audit_lines(entries: list[dict[str, Any]]) -> list[AuditLine]:
    """Audit entries (newest first, as the schema gives them) as the decisions list shows
    them; the same entry met through two profiles is shown once."""
    seen: set[tuple[str, str, str]] = set()
    lines = []
    for entry in sorted(entries, key=lambda e: e["occurredAt"], reverse=True):
        key = (entry["occurredAt"], entry["action"], entry["actor"])
        if key in seen:
            continue
        seen.add(key)
        when = short_time(entry["occurredAt"])
        lines.append(AuditLine(when, entry["actor"], entry["action"], entry["reason"]))
    return lines[:RECENT_DECISIONS]
