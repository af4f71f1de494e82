"""A page of customers costs the same SQL statements whatever its size: the DataLoaders batch
each kind of row of the whole page into one statement."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event

from hub.access.api_config import ApiConfig
from hub.runtime import Hub
from schema import build_schema
from schema.context import HubContext
from tests.schema.conftest import ADMIN
from tests.schema.seeding import customer_record, order, store, subscription

PAGE = (
    "query ($first: Int!) { customers(first: $first) { edges { node {"
    " id firstName identifiers { kind value }"
    " orders { number total { amountMinor currency } lines { sku } }"
    " subscriptions { product signatureStatus }"
    " timeline(first: 5) { edges { cursor node { at activity { kind } decision { kind } } } }"
    " sourceRecords { sourceId link { rule match { score } } }"
    " summary { orders lastActivityAt } lastActivityAt auditEntries { action }"
    " } } pageInfo { hasNextPage } } }"
)
START = datetime(2026, 2, 1, tzinfo=UTC)
ROOMY = ApiConfig(max_cost=100_000)
"""A page of 100 customers with all this is costlier than the default limit lets through."""


@contextmanager
def counted(hub: Hub) -> Iterator[list[str]]:
    """The SQL statements run on the hub's engine meanwhile."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    engine = hub.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def test_a_page_of_100_runs_the_statements_of_a_page_of_10(hub: Hub) -> None:
    records = [
        customer_record(
            f"c{n:03}",
            f"person{n:03}@example.com",
            "maison",
            [
                order(f"O{n}a", START + timedelta(hours=n), 1000 + n, lines=[{"sku": "S"}]),
                order(f"O{n}b", START + timedelta(hours=n, minutes=5), 500),
                subscription(f"S{n}", START, "done"),
            ],
            first_name=f"Person{n}",
            last_name="Counted",
        )
        for n in range(100)
    ]
    await store(hub, "shop", records)
    roomy = build_schema(ROOMY)
    costs = {}
    for size in (10, 100):
        with counted(hub) as statements:
            result = await roomy.execute(
                PAGE,
                variable_values={"first": size},
                context_value=HubContext(sessions=hub.sessions, viewer=ADMIN, api=ROOMY),
            )
        assert result.errors is None and result.data is not None, result.errors
        data = result.data
        nodes = [edge["node"] for edge in data["customers"]["edges"]]
        assert len(nodes) == size
        assert all(len(n["orders"]) == 2 and n["identifiers"] for n in nodes)
        assert all(len(n["timeline"]["edges"]) == 3 for n in nodes)
        costs[size] = statements
    assert len(costs[100]) == len(costs[10]), (costs[10], costs[100])
    # One per kind of row: the page of profiles, then the records (with their links),
    # identifiers, activities, last activity times and identity decisions of all its customers
    # at once, and their audit entries in three (about the profiles, their review items and
    # their decisions).
    assert len(costs[10]) == 9, costs[10]
