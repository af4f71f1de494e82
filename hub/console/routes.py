"""The console's pages: sign-in and out, search, and a customer's 360 page."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import wraps
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from hub.access import Viewer
from hub.access.keys import verify_key
from hub.console.accounts import account_sign_in
from hub.console.audit_page import audit_page
from hub.console.graphql import GraphQLRunner, QueryFailed
from hub.console.pages import HERE, PREFIX, language, render, safe_next
from hub.console.profile import CustomerPage
from hub.console.search import SearchForbidden, find_customers
from hub.console.session import COOKIE, read_form, sign_in, sign_out, signed_in_viewer
from hub.console.sync_pages import quarantine_page, replay, sync_now, sync_page
from hub.console.timeline import TimelinePage
from hub.runtime import Hub

Page = Callable[[Request, Viewer], Awaitable[Response]]


def signed_in(page: Page) -> Callable[[Request], Awaitable[Response]]:
    """Run ``page`` for the signed-in viewer; others are sent to the sign-in page (and back)."""

    @wraps(page)
    async def guarded(request: Request) -> Response:
        viewer = await signed_in_viewer(request)
        if viewer is None:
            expired = "expired=1&" if COOKIE in request.cookies else ""  # it had a session
            target = quote(str(request.url.path))
            return RedirectResponse(f"{PREFIX}/sign-in?{expired}next={target}", status_code=303)
        return await page(request, viewer)

    return guarded


async def sign_in_page(request: Request) -> Response:
    notice = None
    if request.query_params.get("expired"):
        notice = "signin.expired"
    elif request.query_params.get("signed_out"):
        notice = "signin.signed_out"
    return render(
        request,
        "sign_in.html",
        None,
        notice=notice,
        next=request.query_params.get("next", ""),
        account=request.query_params.get("with") == "account",
    )


async def sign_in_submit(request: Request) -> Response:
    form = await read_form(request)
    if form is None:
        return render(request, "sign_in.html", None, status_code=403, error="csrf.failed", next="")
    if "user" in form:
        return await account_sign_in(request, form)
    key = form.get("api_key", "").strip()
    target = form.get("next", "")
    error = "signin.empty" if not key else None
    if key:
        hub: Hub = request.app.state.hub
        async with hub.sessions() as session:
            if await verify_key(session, key) is None:
                error = "signin.invalid"
    if error:
        return render(request, "sign_in.html", None, status_code=401, error=error, next=target)
    sign_in(request, key)
    return RedirectResponse(safe_next(target), status_code=303)


async def sign_out_submit(request: Request) -> Response:
    if await read_form(request) is None:
        return render(request, "sign_in.html", None, status_code=403, error="csrf.failed", next="")
    sign_out(request)
    return RedirectResponse(f"{PREFIX}/sign-in?signed_out=1", status_code=303)


async def _search(request: Request, viewer: Viewer, template: str) -> Response:
    query = request.query_params.get("q", "").strip()
    hits, problem = [], None
    try:
        hits = await find_customers(GraphQLRunner.for_request(request, viewer), query)
    except SearchForbidden:
        problem = "search.forbidden"
    return render(request, template, viewer, query=query, hits=hits, problem=problem)


@signed_in
async def search_page(request: Request, viewer: Viewer) -> Response:
    return await _search(request, viewer, "search.html")


@signed_in
async def search_results(request: Request, viewer: Viewer) -> Response:
    """The results alone, for the search-as-you-type script to put in the page."""
    return await _search(request, viewer, "_results.html")


def _timeline_variables(request: Request) -> dict[str, str | None]:
    """The customer, the timeline page asked (``?after=<cursor>``) and the money's language."""
    return {
        "id": request.path_params["customer_id"],
        "after": request.query_params.get("after") or None,
        "locale": language(request),
    }


@signed_in
async def customer_page(request: Request, viewer: Viewer) -> Response:
    runner = GraphQLRunner.for_request(request, viewer)
    variables = _timeline_variables(request)
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
    page = CustomerPage.from_data(found, TimelinePage.from_data(history["customer"]))
    return render(request, "customer.html", viewer, customer=page)


@signed_in
async def customer_timeline(request: Request, viewer: Viewer) -> Response:
    """One more page of the timeline, alone, for the "show more" script to add to the page."""
    runner = GraphQLRunner.for_request(request, viewer)
    try:
        data = await runner.run("customer_timeline", **_timeline_variables(request))
    except QueryFailed as failed:
        return render(request, "error.html", viewer, status_code=400, code=failed.code)
    if data["customer"] is None:
        return render(request, "customer.html", viewer, status_code=404, customer=None)
    timeline = TimelinePage.from_data(data["customer"])
    return render(
        request, "_timeline.html", viewer, customer_id=data["customer"]["id"], timeline=timeline
    )


def console_routes() -> list[BaseRoute]:
    return [
        Route("/", search_page),
        Route("/sign-in", sign_in_page, methods=["GET"]),
        Route("/sign-in", sign_in_submit, methods=["POST"]),
        Route("/sign-out", sign_out_submit, methods=["POST"]),
        Route("/search", search_page),
        Route("/search/results", search_results),
        Route("/customers/{customer_id}", customer_page),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="console-static"),
        Route("/customers/{customer_id}/timeline", customer_timeline),
        Route("/sync", signed_in(sync_page), methods=["GET"]),
        Route("/sync/run", signed_in(sync_now), methods=["POST"]),
        Route("/sync/quarantine", signed_in(quarantine_page), methods=["GET"]),
        Route("/sync/quarantine/replay", signed_in(replay), methods=["POST"]),
        Route("/audit", signed_in(audit_page), methods=["GET"]),
    ]
