"""The GraphQL layer: one schema composed from domain packages, and its committed SDL."""

from pathlib import Path

import strawberry

from schema.activities.mutations import ActivityMutations
from schema.admin.audit import AuditQueries
from schema.customers.queries import CustomerQueries
from schema.customers.subscriptions import CustomerSubscriptions
from schema.identities.mutations import IdentityMutations
from schema.identities.subscriptions import IdentitySubscriptions
from schema.sync.mutations import SyncJobQueries, SyncMutations

SDL_PATH = Path(__file__).with_name("schema.graphql")


@strawberry.type
class Query(CustomerQueries, AuditQueries, SyncJobQueries):
    pass


@strawberry.type
class Mutation(IdentityMutations, ActivityMutations, SyncMutations):
    pass


@strawberry.type
class Subscription(CustomerSubscriptions, IdentitySubscriptions):
    pass


schema = strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription)


def sdl() -> str:
    """The schema in SDL, as committed in schema/schema.graphql."""
    return schema.as_str() + "\n"
