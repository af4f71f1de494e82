"""The Starlette application: /graphql, /health, /webhooks/{instance} and the /console.

Its lifespan runs the background work of a serving hub: the webhook worker (always) and the
scheduled syncs (``hub serve``), both followed by identity resolution.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET, UnsetType

from hub import __version__
from hub.access.requests import NOBODY, Unauthenticated, authenticate, presented_key
from hub.connector import ConnectorRuntime
from hub.console import console_mount
from hub.runtime import Hub
from hub.store.json_columns import json_text
from hub.sync.jobs import SyncJobs
from hub.sync.scheduler import SyncScheduler
from hub.webhooks.endpoint import receive_webhook
from hub.webhooks.worker import WebhookWorker
from schema import build_schema, schema
from schema.context import HubContext
from schema.errors import ErrorCode


class HubGraphQL(GraphQL[HubContext, None]):
    """/graphql over HTTP and WebSocket, for the viewer its API key proves."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope, receive))
        except Unauthenticated as exc:
            response = error_response(401, ErrorCode.UNAUTHENTICATED, str(exc))
            response.headers["WWW-Authenticate"] = "Bearer"
        except HTTPException as exc:  # the request is not GraphQL over HTTP: the client's fault
            batch = "batching" in exc.reason.lower()
            code = ErrorCode.BATCH_NOT_ALLOWED if batch else ErrorCode.BAD_REQUEST
            reason = "Send one operation per request (batches are refused)" if batch else exc.reason
            response = error_response(exc.status_code, code, reason)
        await response(scope, receive, send)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> HubContext:
        context = HubContext.of_request(request, NOBODY)
        if isinstance(request, Request) and not self._is_graphiql_page(request):
            key = presented_key(request.headers)
            context.viewer = await authenticate(
                context.sessions, key, anonymous=context.api.anonymous
            )
        return context

    async def on_ws_connect(self, context: HubContext) -> UnsetType | dict[str, object] | None:
        """A WebSocket is authenticated at ``connection_init`` (payload or upgrade headers);
        without a valid key it is closed with 4403 before any subscription starts."""
        headers = context.request.headers if context.request is not None else {}
        try:
            context.viewer = await authenticate(
                context.sessions,
                presented_key(headers, context.connection_params),
                anonymous=context.api.anonymous,
            )
        except Unauthenticated as exc:
            raise ConnectionRejectionError({"code": ErrorCode.UNAUTHENTICATED.value}) from exc
        unset: UnsetType = UNSET
        return unset

    def encode_json(self, data: object) -> str:
        """Responses and WebSocket messages through orjson: a customer's 360 is a few hundred
        values, and ``json.dumps`` took a tenth of the request to write them."""
        return json_text(data)

    @staticmethod
    def _is_graphiql_page(request: Request) -> bool:
        # The page itself is static HTML; the queries it then sends carry the key.
        return request.method == "GET" and "text/html" in request.headers.get("accept", "")


def error_response(status: int, code: ErrorCode, message: str) -> JSONResponse:
    """An error of the HTTP layer in the shape of a GraphQL response, with its code."""
    return JSONResponse(
        {"data": None, "errors": [{"message": message, "extensions": {"code": code.value}}]},
        status_code=status,
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
        graphql_app.schema = build_schema(opened.config.api)
        app.state.graphql_schema = graphql_app.schema  # the console executes through it too
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
            console_mount(),
        ],
        lifespan=lifespan,
    )
