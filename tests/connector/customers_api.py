"""A one-route customers API behind the sandbox faults, for the HttpClient tests, and the
rngs and calls those tests make against it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from aiohttp import web

from hub.connector import HttpClient
from hub.sandbox import Faults, faults_middleware, install_faults

WHERE = "shop/customers"
TOKEN = "shpat_9f8e7d6c5b4a-live-secret"
CUSTOMERS = {"customers": [{"id": 1, "email": "amelie@example.fr"}, {"id": 2, "email": None}]}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def vendor_error(status: int, message: str) -> dict[str, Any]:
    return {"errors": message}


async def list_customers(request: web.Request) -> web.Response:
    return web.json_response(CUSTOMERS)


def api(
    handler: Handler = list_customers,
    faults: Faults | None = None,
    *,
    sends_retry_after: bool = True,
) -> tuple[web.Application, Faults]:
    """A one-route source at ``/customers`` behind the sandbox faults; the faults count requests."""
    app = web.Application(
        middlewares=[faults_middleware(vendor_error, sends_retry_after=sends_retry_after)]
    )
    installed = install_faults(app, faults)
    app.router.add_route("*", "/customers", handler)
    return app, installed


def constant(value: float) -> Callable[[], float]:
    return lambda: value


def sequence(*values: float) -> Callable[[], float]:
    """An rng that hands out ``values`` in order and fails the test if asked for more."""
    it: Iterator[float] = iter(values)
    return lambda: next(it)


async def get_customers(client: HttpClient, base: str) -> Any:
    response = await client.request_json("GET", f"{base}/customers", where=WHERE)
    return response.data
