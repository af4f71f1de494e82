"""The GraphQL layer: one schema composed from domain packages, and its committed SDL."""

from pathlib import Path

import strawberry

from schema.customers.queries import CustomerQueries

SDL_PATH = Path(__file__).with_name("schema.graphql")


@strawberry.type
class Query(CustomerQueries):
    pass


schema = strawberry.Schema(query=Query)


def sdl() -> str:
    """The schema in SDL, as committed in schema/schema.graphql."""
    return schema.as_str() + "\n"
