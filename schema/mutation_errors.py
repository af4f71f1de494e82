"""Errors as data: what a mutation returns instead of its success type when it cannot act.

Every error has a human ``message`` and a stable ``code`` clients may branch on; the type says
the family (not found, refused, not permitted, bad input).
"""

from __future__ import annotations

import strawberry

from hub.access import Permission
from hub.identity.decisions import DecisionError
from schema.access import viewer
from schema.context import HubInfo


@strawberry.interface(description="Why a mutation did nothing.")
class MutationError:
    message: str
    code: str = strawberry.field(description="Stable: clients may branch on it.")


@strawberry.type(description="The profile (or review item, decision) named does not exist.")
class NotFound(MutationError):
    pass


@strawberry.type(description="No profile has this id (after following merges).")
class ProfileNotFound(MutationError):
    pass


@strawberry.type(description="The hub refused the decision: it contradicts the data or another.")
class DecisionRefused(MutationError):
    pass


@strawberry.type(description="The caller's key lacks the permission this change needs.")
class PermissionDenied(MutationError):
    permission: str


@strawberry.type(description="An argument is missing or malformed.")
class InvalidInput(MutationError):
    field: str | None = None


_NOT_FOUND = {"DECISION_NOT_FOUND", "REVIEW_ITEM_NOT_FOUND"}
_INVALID = {"REASON_REQUIRED", "UNKNOWN_ACTION"}

DecisionFailure = ProfileNotFound | NotFound | DecisionRefused | InvalidInput


def decision_failure(error: DecisionError) -> DecisionFailure:
    """The typed error for a refused identity decision, keeping its stable code."""
    message = str(error)
    if error.code == "PROFILE_NOT_FOUND":
        return ProfileNotFound(message=message, code=error.code)
    if error.code in _NOT_FOUND:
        return NotFound(message=message, code=error.code)
    if error.code in _INVALID:
        return InvalidInput(message=message, code=error.code, field="reason")
    return DecisionRefused(message=message, code=error.code)


def denied(info: HubInfo, permission: Permission) -> PermissionDenied | None:
    """``PermissionDenied`` unless the request's viewer has ``permission``."""
    if viewer(info).may(permission):
        return None
    return PermissionDenied(
        message=f"this key may not {permission.value.replace('_', ' ')}",
        code="PERMISSION_DENIED",
        permission=permission.value,
    )


def reason_required(reason: str) -> InvalidInput | None:
    if reason.strip():
        return None
    return InvalidInput(
        message="say why: every change keeps a reason", code="REASON_REQUIRED", field="reason"
    )


@strawberry.type(description="The server is not running what this needs (e.g. background syncs).")
class Unavailable(MutationError):
    pass
