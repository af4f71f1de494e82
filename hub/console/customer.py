"""Showing a customer's 360 page: the profile, and for viewers who may decide identities the
split form and the notice of a split just made (with its Undo). The decisions about the
profile are lines of its timeline, not a list of their own."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from hub.access import Permission, Viewer
from hub.console.graphql import GraphQLRunner, QueryFailed
from hub.console.pages import language, render
from hub.console.profile import CustomerPage
from hub.console.timeline import TimelinePage


@dataclass(frozen=True)
class SplitNotice:
    """A split just made: the decision to undo, and the profile the records moved to."""

    decision_id: str
    split_off_id: str


def split_notice(query: QueryParams) -> SplitNotice | None:
    decision, split_off = query.get("split", ""), query.get("split_off", "")
    if not decision.isdigit() or not split_off:
        return None
    return SplitNotice(decision, split_off)


def timeline_variables(request: Request) -> dict[str, str | None]:
    """The customer, the timeline page asked (``?after=<cursor>``) and the money's language."""
    return {
        "id": request.path_params["customer_id"],
        "after": request.query_params.get("after") or None,
        "locale": language(request),
    }


async def show_customer(
    request: Request, viewer: Viewer, status_code: int = 200, **values: Any
) -> Response:
    """The 360 page of the path's customer; ``values`` go to the template (a form's error)."""
    runner = GraphQLRunner.for_request(request, viewer)
    variables = timeline_variables(request)
    try:
        # One request's loaders serve both: the activities are read once.
        data, history = await asyncio.gather(
            runner.run("customer_360", id=variables["id"], locale=variables["locale"]),
            runner.run("customer_timeline", **variables),
        )
    except QueryFailed as failed:
        return render(request, "error.html", viewer, status_code=400, code=failed.code)
    found = data["customer"]
    if found is None or history["customer"] is None:
        return render(request, "customer.html", viewer, status_code=404, customer=None)
    if viewer.may(Permission.DECIDE_IDENTITY):
        values.setdefault("split_notice", split_notice(request.query_params))
        values.setdefault("undone", request.query_params.get("undone") == "1")
    return render(
        request,
        "customer.html",
        viewer,
        status_code=status_code,
        customer=CustomerPage.from_data(found, TimelinePage.from_data(history["customer"])),
        **values,
    )
