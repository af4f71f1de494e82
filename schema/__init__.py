"""The GraphQL layer: one schema composed from domain packages, and its committed SDL."""

from collections.abc import Callable
from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from hub.access.api_config import ApiConfig
from schema.activities.mutations import ActivityMutations
from schema.activities.types import ACTIVITY_TYPES
from schema.admin.audit import AuditQueries
from schema.customers.connection import CustomerListQueries
from schema.customers.queries import CustomerQueries
from schema.customers.search import CustomerSearchQueries
from schema.customers.subscriptions import CustomerSubscriptions
from schema.document_cache import document_caches
from schema.errors import ErrorCodes
from schema.identities.mutations import IdentityMutations
from schema.identities.review import ReviewQueries
from schema.identities.subscriptions import IdentitySubscriptions
from schema.limits import limit_extensions
from schema.reads import CloseReads
from schema.sync.mutations import SyncJobQueries, SyncMutations
from schema.sync.queries import SyncQueries

SDL_PATH = Path(__file__).with_name("schema.graphql")


@strawberry.type
class Query(
    CustomerQueries,
    CustomerSearchQueries,
    CustomerListQueries,
    AuditQueries,
    SyncJobQueries,
    SyncQueries,
    ReviewQueries,
):
    pass


@strawberry.type
class Mutation(IdentityMutations, ActivityMutations, SyncMutations):
    pass


@strawberry.type
class Subscription(CustomerSubscriptions, IdentitySubscriptions):
    pass


class HubSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Not logged here: client mistakes are the client's, and unexpected errors are logged
        (without secrets) where they are masked, in :class:`schema.errors.ErrorCodes`."""


def build_schema(api: ApiConfig | None = None) -> strawberry.Schema:
    """The schema with the limits of plugins.toml's ``[api]`` table, cached parsing and
    validation, and coded errors."""
    extensions: list[Callable[[], SchemaExtension]] = [*limit_extensions(api or ApiConfig())]
    extensions.extend(document_caches())
    extensions += [ErrorCodes, CloseReads]
    return HubSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        types=ACTIVITY_TYPES,
    )


schema = build_schema()


def sdl() -> str:
    """The schema in SDL, as committed in schema/schema.graphql."""
    return schema.as_str() + "\n"
