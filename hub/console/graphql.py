"""The console reads through the GraphQL schema, in process, as the signed-in viewer.

Going through the schema (rather than the store) means a page shows exactly what an app with
the same key would get: roles, brand scopes and personal-data masking are the schema's own.
Documents live in ``documents/*.graphql`` beside this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import strawberry
from starlette.requests import Request

from hub.access import Viewer
from schema.context import HubContext

DOCUMENTS = Path(__file__).with_name("documents")


@cache
def document(name: str) -> str:
    """The text of ``documents/<name>.graphql`` (read once)."""
    return (DOCUMENTS / f"{name}.graphql").read_text(encoding="utf-8")


class QueryFailed(Exception):
    """The schema answered with errors; ``code`` is the first error's stable code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class GraphQLRunner:
    """Runs the console's documents against the schema with one viewer's context."""

    schema: strawberry.Schema
    context: HubContext

    @classmethod
    def for_request(cls, request: Request, viewer: Viewer) -> GraphQLRunner:
        return cls(request.app.state.graphql_schema, HubContext.of_request(request, viewer))

    async def run(self, name: str, **variables: Any) -> dict[str, Any]:
        """The data of document ``name``; :class:`QueryFailed` when the schema refused it."""
        result = await self.schema.execute(
            document(name), variable_values=variables, context_value=self.context
        )
        if result.errors:
            first = result.errors[0]
            code = str((first.extensions or {}).get("code", "INTERNAL_SERVER_ERROR"))
            raise QueryFailed(code, first.message)
        assert result.data is not None
        return result.data
