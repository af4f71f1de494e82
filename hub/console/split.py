"""Splitting a profile from its 360 page, and undoing the split from the notice that follows.

The form lists the profile's source records with a checkbox each (``move:<record id>``, so the
console's one-value-per-name forms carry any number of them) and asks for a reason.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from hub.access import Viewer
from hub.console.customer import SplitNotice, show_customer
from hub.console.decisions import Refusal, submit_decision
from hub.console.pages import PREFIX

MOVE_PREFIX = "move:"


def customer_url(customer_id: str, **query: str) -> str:
    address = f"{PREFIX}/customers/{quote(customer_id)}"
    return f"{address}?{urlencode(query)}#identity-decisions" if query else address


def moved_records(form: dict[str, str]) -> list[str]:
    return [name.removeprefix(MOVE_PREFIX) for name in form if name.startswith(MOVE_PREFIX)]


async def split_submit(request: Request, viewer: Viewer) -> Response:
    profile = request.path_params["customer_id"]
    submitted = await submit_decision(
        request,
        viewer,
        ("split_profile", "splitProfile"),
        lambda form: {"profile": profile, "records": moved_records(form)},
    )
    if isinstance(submitted, Response):
        return submitted
    result = submitted.result
    if isinstance(result, Refusal):
        return await show_customer(
            request,
            viewer,
            result.status_code,
            split_refusal=result,
            split_reason=submitted.reason,
            split_chosen=set(moved_records(submitted.form)),
        )
    return RedirectResponse(
        customer_url(
            result["profileId"], split=result["decision"]["id"], split_off=result["splitOffId"]
        ),
        status_code=303,
    )


async def undo_submit(request: Request, viewer: Viewer) -> Response:
    """Undo a split from its notice; back to the profile, whole again."""
    decision = request.path_params["decision_id"]
    submitted = await submit_decision(
        request, viewer, ("undo_decision", "undoDecision"), lambda _: {"decision": decision}
    )
    if isinstance(submitted, Response):
        return submitted
    if isinstance(submitted.result, Refusal):
        notice = SplitNotice(decision, submitted.form.get("split_off", ""))
        return await show_customer(
            request,
            viewer,
            submitted.result.status_code,
            split_notice=notice,
            undo_refusal=submitted.result,
        )
    return RedirectResponse(
        customer_url(request.path_params["customer_id"], undone="1"), status_code=303
    )
