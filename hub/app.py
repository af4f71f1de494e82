"""The Starlette application: /graphql, /health, and later /console and /webhooks."""

from __future__ import annotations

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
from hub.runtime import Hub
from schema import schema
from schema.context import HubContext


class HubGraphQL(GraphQL[HubContext, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> HubContext:
        hub: Hub = request.app.state.hub
        return HubContext(sessions=hub.sessions)


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


def create_app(hub: Hub | None = None, *, config_path: Path | None = None) -> Starlette:
    """The web application. Given a ``hub``, it serves that one (and does not close it);
    otherwise it opens one from plugins.toml and HUB_DATABASE_URL in its lifespan."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if hub is not None:
            app.state.hub = hub
            yield
            return
        opened = await Hub.open(config_path)
        app.state.hub = opened
        try:
            yield
        finally:
            await opened.close()

    graphql_app = HubGraphQL(schema)
    return Starlette(
        routes=[
            Route("/", home),
            Route("/health", health),
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql_app),
        ],
        lifespan=lifespan,
    )
