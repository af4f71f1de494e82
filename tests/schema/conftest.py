"""Fixtures of the GraphQL tests: resolved sources, and the schema run as a given viewer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from strawberry.types import ExecutionResult

from hub.access import Role, Viewer
from hub.identity.pipeline import resolve
from hub.runtime import Hub
from hub.store.models import AuditEventRow
from schema import schema
from schema.context import HubContext
from tests.identity.conftest import links_by_source, two_sources

__all__ = ["links_by_source", "two_sources"]

AGENT = Viewer(name="key:support-desk", role=Role.AGENT)
APP = Viewer(name="key:shop-front", role=Role.APP)
ANALYST = Viewer(name="key:analytics", role=Role.ANALYST)
ADMIN = Viewer(name="key:ops", role=Role.ADMIN)


@pytest.fixture
async def resolved(two_sources: Hub) -> Hub:
    await resolve(two_sources.sessions, two_sources.config.resolution)
    return two_sources


async def run(
    hub: Hub, query: str, variables: dict[str, Any] | None, viewer: Viewer
) -> ExecutionResult:
    return await schema.execute(
        query,
        variable_values=variables,
        context_value=HubContext(sessions=hub.sessions, viewer=viewer, hub=hub),
    )


async def execute(
    hub: Hub, query: str, variables: dict[str, Any] | None = None, viewer: Viewer = AGENT
) -> dict[str, Any]:
    """Run ``query`` on the hub's schema as ``viewer``; GraphQL errors fail the test."""
    result = await run(hub, query, variables, viewer)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


async def audit_rows(hub: Hub) -> list[AuditEventRow]:
    async with hub.sessions() as session:
        return list(await session.scalars(select(AuditEventRow).order_by(AuditEventRow.id)))


async def error_codes(
    hub: Hub, query: str, variables: dict[str, Any] | None = None, viewer: Viewer = AGENT
) -> list[str]:
    """The codes of the errors running ``query`` as ``viewer`` gives (none: an empty list)."""
    result = await run(hub, query, variables, viewer)
    return [str((error.extensions or {}).get("code")) for error in result.errors or ()]


async def walk(
    hub: Hub,
    query: str | Callable[[int], str],
    field: str,
    variables: dict[str, Any],
    viewer: Viewer,
    first: int,
) -> list[list[dict[str, Any]]]:
    """Every page of the connection ``field``, following ``endCursor``: the nodes page by page.

    ``query`` takes ``$first`` and ``$after``, or is a function of the page size giving a query
    with ``first`` written in: a ``first`` sent as a variable is costed as the largest page."""
    if callable(query):
        text, sent = query(first), dict(variables)
    else:
        text, sent = query, {**variables, "first": first}
    pages: list[list[dict[str, Any]]] = []
    after = None
    while True:
        data = await execute(hub, text, {**sent, "after": after}, viewer)
        page = data[field]
        pages.append([edge["node"] for edge in page["edges"]])
        assert [edge["cursor"] for edge in page["edges"]][-1:] == (
            [page["pageInfo"]["endCursor"]] if page["edges"] else []
        )
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]
        assert len(pages) < 100, "the pages never end"
