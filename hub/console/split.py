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
from hub.console.decisions import Refusal, reason_of, role_refused, run_decision
from hub.console.graphql import GraphQLRunner
from hub.console.pages import PREFIX, render
from hub.console.session import read_form

MOVE_PREFIX = "move:"


def customer_url(customer_id: str, **query: str) -> str:
    address = f"{PREFIX}/customers/{quote(customer_id)}"
    return f"{address}?{urlencode(query)}#identity" if query else address


async def split_submit(request: Request, viewer: Viewer) -> Response:
    form = await read_form(request)
    if form is None:
        return render(request, "error.html", viewer, status_code=403, problem="csrf.failed")
    records = [name.removeprefix(MOVE_PREFIX) for name in form if name.startswith(MOVE_PREFIX)]
    reason = reason_of(form)
    profile = request.path_params["customer_id"]
    result = await run_decision(
        GraphQLRunner.for_request(request, viewer),
        "split_profile",
        "splitProfile",
        profile=profile,
        records=records,
        reason=reason,
    )
    if isinstance(result, Refusal) and result.of_the_role:
        return role_refused(request, viewer, result)
    if isinstance(result, Refusal):
        return await show_customer(
            request,
            viewer,
            result.status_code,
            split_refusal=result,
            split_reason=reason,
            split_chosen=set(records),
        )
    return RedirectResponse(
        customer_url(
            result["profileId"], split=result["decision"]["id"], split_off=result["splitOffId"]
        ),
        status_code=303,
    )


async def undo_submit(request: Request, viewer: Viewer) -> Response:
    """Undo a split from its notice; back to the profile, whole again."""
    form = await read_form(request)
    if form is None:
        return render(request, "error.html", viewer, status_code=403, problem="csrf.failed")
    decision = request.path_params["decision_id"]
    reason = reason_of(form)
    result = await run_decision(
        GraphQLRunner.for_request(request, viewer),
        "undo_decision",
        "undoDecision",
        decision=decision,
        reason=reason,
    )
    if isinstance(result, Refusal) and result.of_the_role:
        return role_refused(request, viewer, result)
    if isinstance(result, Refusal):
        notice = SplitNotice(decision, form.get("split_off", ""))
        return await show_customer(
            request, viewer, result.status_code, split_notice=notice, undo_refusal=result
        )
    return RedirectResponse(
        customer_url(request.path_params["customer_id"], undone="1"), status_code=303
    )
