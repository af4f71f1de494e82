"""Sync health for admins: each connector instance's cursors and last runs with "Sync now",
and the quarantine with "Replay".

Every read and change goes through the schema (syncStatus, syncRuns, quarantine, triggerSync,
replayQuarantine), so what an admin may do here is what the API lets the same key do; a key
of another role gets the "not allowed" page. Forms redirect after they act (a reload sends
nothing again) and leave what they did as a flash on the page they lead to.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from hub.access import Viewer
from hub.console.graphql import GraphQLRunner, QueryFailed
from hub.console.pages import PREFIX, REFUSED_CODES, failure_page, render, with_params
from hub.console.session import Flash, flash, read_form, take_flash
from hub.console.sync_health import ConnectorHealth, JobLine, QuarantineLine

RUNS_SHOWN = 5
"""Last runs per instance on the sync page: enough to see a trend, short enough to scan."""
QUARANTINE_PAGE = 20
SYNC_MODES = {"incremental": False, "full": True}
QUARANTINE_STATUSES = {"open": "OPEN", "replayed": "REPLAYED", "all": None}


def csrf_refused(request: Request, viewer: Viewer) -> Response:
    return render(request, "not_allowed.html", viewer, status_code=403, problem="csrf.failed")


def mutation_refusal(answer: dict[str, Any]) -> Flash | None:
    """The flash of a mutation that answered with an error as data; ``None`` on success."""
    if "message" not in answer:
        return None
    return Flash("action.refused", {"message": answer["message"], "code": answer["code"]}, True)


async def sync_page(request: Request, viewer: Viewer) -> Response:
    runner = GraphQLRunner.for_request(request, viewer)
    job_id = request.query_params.get("job", "")
    try:
        data = await runner.run("sync_status", job=job_id, withJob=bool(job_id))
        connectors = []
        for status in data["syncStatus"]:
            runs = await runner.run("sync_runs", connector=status["connector"], first=RUNS_SHOWN)
            nodes = [edge["node"] for edge in runs["syncRuns"]["edges"]]
            connectors.append(ConnectorHealth.from_data(status, nodes))
    except QueryFailed as failed:
        return failure_page(request, viewer, failed.code)
    found = data.get("syncJob")
    return render(
        request,
        "sync.html",
        viewer,
        connectors=connectors,
        job=None if found is None else JobLine.from_data(found),
        job_unknown=bool(job_id) and found is None,
        flash=take_flash(request),
        modes=list(SYNC_MODES),
    )


async def sync_now(request: Request, viewer: Viewer) -> Response:
    form = await read_form(request)
    if form is None:
        return csrf_refused(request, viewer)
    connector, mode = form.get("connector", ""), form.get("mode", "")
    if mode not in SYNC_MODES:
        flash(request, Flash("sync.bad_mode", {"mode": mode}, alert=True))
        return RedirectResponse(f"{PREFIX}/sync", status_code=303)
    runner = GraphQLRunner.for_request(request, viewer)
    try:
        data = await runner.run("trigger_sync", connector=connector, full=SYNC_MODES[mode])
    except QueryFailed as failed:
        return failure_page(request, viewer, failed.code)
    answer = data["triggerSync"]
    if answer.get("code") in REFUSED_CODES:
        return failure_page(request, viewer, answer["code"])
    refusal = mutation_refusal(answer)
    if refusal is not None:
        flash(request, refusal)
        return RedirectResponse(f"{PREFIX}/sync", status_code=303)
    query = urlencode({"job": answer["id"]})
    return RedirectResponse(f"{PREFIX}/sync?{query}#job", status_code=303)


async def quarantine_page(request: Request, viewer: Viewer) -> Response:
    connector = request.query_params.get("connector") or None
    status = request.query_params.get("status", "open")
    after = request.query_params.get("after") or None
    shown: dict[str, Any] = {
        "items": [],
        "connectors": [],
        "replayable": False,
        "next_page": None,
        "problem": None,
    }
    status_code = 200
    if status in QUARANTINE_STATUSES:
        runner = GraphQLRunner.for_request(request, viewer)
        try:
            data = await runner.run(
                "quarantine",
                connector=connector,
                status=QUARANTINE_STATUSES[status],
                first=QUARANTINE_PAGE,
                after=after,
            )
        except QueryFailed as failed:
            return failure_page(request, viewer, failed.code)
        page, connectors = data["quarantine"], data["syncStatus"]
        shown["items"] = [QuarantineLine.from_data(edge["node"]) for edge in page["edges"]]
        shown["connectors"] = [item["connector"] for item in connectors]
        shown["replayable"] = any(
            item["connector"] == connector and item["configured"] for item in connectors
        )
        if page["pageInfo"]["hasNextPage"]:
            shown["next_page"] = with_params(request, after=page["pageInfo"]["endCursor"])
    else:
        shown["problem"] = Flash("quarantine.bad_status", {"status": status}, alert=True)
        status_code = 400
    return render(
        request,
        "quarantine.html",
        viewer,
        status_code,
        connector=connector,
        status=status,
        statuses=list(QUARANTINE_STATUSES),
        first_page=with_params(request, after=None) if after else None,
        flash=take_flash(request),
        **shown,
    )


async def replay(request: Request, viewer: Viewer) -> Response:
    form = await read_form(request)
    if form is None:
        return csrf_refused(request, viewer)
    connector = form.get("connector", "")
    runner = GraphQLRunner.for_request(request, viewer)
    try:
        data = await runner.run("replay_quarantine", connector=connector)
    except QueryFailed as failed:
        return failure_page(request, viewer, failed.code)
    answer = data["replayQuarantine"]
    if answer.get("code") in REFUSED_CODES:
        return failure_page(request, viewer, answer["code"])
    done = mutation_refusal(answer) or Flash(
        "quarantine.replayed",
        {
            "connector": connector,
            "replayed": answer["replayed"],
            "failing": answer["stillFailing"],
            "requeued": answer["webhooksRequeued"],
        },
    )
    flash(request, done)
    query = urlencode({"connector": connector})
    return RedirectResponse(f"{PREFIX}/sync/quarantine?{query}", status_code=303)
