"""The Starlette application: /graphql, /health, /webhooks/{instance}, and later /console.

Its lifespan runs the background work of a serving hub: the webhook worker (always) and the
scheduled syncs (``hub serve``), both followed by identity resolution.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from hub import __version__
from hub.connector import ConnectorRuntime
from hub.runtime import Hub
from hub.sync.jobs import SyncJobs
from hub.sync.scheduler import SyncScheduler
from hub.webhooks.endpoint import receive_webhook
from hub.webhooks.worker import WebhookWorker
from schema import schema
from schema.context import HubContext


class HubGraphQL(GraphQL[HubContext, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> HubContext:
        hub: Hub = request.app.state.hub
        return HubContext(
            sessions=hub.sessions,
            hub=hub,
            sync_jobs=getattr(request.app.state, "sync_jobs", None),
            connector_runtime=getattr(request.app.state, "connector_runtime", None),
        )


async def health(request: Request) -> JSONResponse:
    hub: Hub = request.app.state.hub
    database = await hub.database_status()
    healthy = database["status"] == "ok"
    return JSONResponse(
        {"status": "ok" if healthy else "degraded", "version": __version__, "database": database},
        status_code=200 if healthy else 503,
    )


async def home(request: Request) -> Response:
    return RedirectResponse("/graphql")


@asynccontextmanager
async def background_work(
    app: Starlette, hub: Hub, *, schedules: bool, webhook_poll_seconds: float
) -> AsyncIterator[None]:
    """Run the webhook worker (and the sync scheduler) while the app serves."""

    async def after_webhooks() -> None:
        await hub.resolve_changes("webhook")

    async def after_sync() -> None:
        await hub.resolve_changes("sync")

    async with ConnectorRuntime.open() as runtime, asyncio.TaskGroup() as tasks:
        worker = WebhookWorker(
            hub, runtime, after_batch=after_webhooks, poll_seconds=webhook_poll_seconds
        )
        app.state.webhook_worker = worker
        app.state.sync_jobs = jobs = SyncJobs(hub, runtime)
        app.state.connector_runtime = runtime
        running = [tasks.create_task(worker.run_forever(), name="webhook worker")]
        if schedules:
            scheduler = SyncScheduler(hub, runtime, after_sync=after_sync)
            running.append(tasks.create_task(scheduler.run_forever(), name="sync scheduler"))
        try:
            yield
        finally:
            for task in running:
                task.cancel()
            await jobs.close()


def create_app(
    hub: Hub | None = None,
    *,
    config_path: Path | None = None,
    schedules: bool = False,
    webhook_poll_seconds: float = 5.0,
) -> Starlette:
    """The web application. Given a ``hub``, it serves that one (and does not close it);
    otherwise it opens one from plugins.toml and HUB_DATABASE_URL in its lifespan.
    ``schedules`` turns on the scheduled syncs of ``hub serve``."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        opened = hub if hub is not None else await Hub.open(config_path)
        app.state.hub = opened
        try:
            async with background_work(
                app, opened, schedules=schedules, webhook_poll_seconds=webhook_poll_seconds
            ):
                yield
        finally:
            if hub is None:
                await opened.close()

    graphql_app = HubGraphQL(schema)
    return Starlette(
        routes=[
            Route("/", home),
            Route("/health", health),
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql_app),
            Route("/webhooks/{instance}", receive_webhook, methods=["POST"]),
        ],
        lifespan=lifespan,
    )
