"""The GraphQL layer: one schema composed from domain packages, and its committed SDL."""

from collections.abc import Callable
from pathlib import Path

import strawberry
from strawberry.extensions import SchemaExtension

from hub.access.api_config import ApiConfig
from schema.customers.queries import CustomerQueries
from schema.errors import ErrorCodes
from schema.limits import limit_extensions

SDL_PATH = Path(__file__).with_name("schema.graphql")


@strawberry.type
class Query(CustomerQueries):
    pass


def build_schema(api: ApiConfig | None = None) -> strawberry.Schema:
    """The schema with the limits of plugins.toml's ``[api]`` table, and coded errors."""
    extensions: list[Callable[[], SchemaExtension]] = [*limit_extensions(api or ApiConfig())]
    extensions.append(ErrorCodes)
    return strawberry.Schema(query=Query, extensions=extensions)


schema = build_schema()


def sdl() -> str:
    """The schema in SDL, as committed in schema/schema.graphql."""
    return schema.as_str() + "\n"
