"""The agent console at /console: server-rendered pages that read through the GraphQL schema
as the signed-in key's viewer."""

from __future__ import annotations

from starlette.routing import Mount, Router

from hub.console.pages import PREFIX
from hub.console.routes import console_routes
from hub.console.session import ConsoleSessions


def console_mount() -> Mount:
    """The console, mounted at /console, with its session cookie."""
    return Mount(PREFIX, app=ConsoleSessions(Router(routes=console_routes()), path=PREFIX))


__all__ = ["PREFIX", "console_mount"]
