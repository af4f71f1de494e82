"""customers: cursor pages of profiles, filtered, scoped to the key's brands, stable under
inserts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from graphql import parse, validate

from hub.access import Role, Viewer
from hub.runtime import Hub
from schema import schema
from schema.context import HubContext
from schema.limits import cost_rule
from tests.schema.conftest import ADMIN, execute
from tests.schema.seeding import customer_record, store

CUSTOMERS = (
    "query ($first: Int, $after: String, $filter: CustomerFilter) {"
    " customers(first: $first, after: $after, filter: $filter) {"
    " edges { cursor node { id brand country } } pageInfo { hasNextPage endCursor } } }"
)
PEOPLE = [  # name, brand, country, connector
    ("Ana", "maison", "FR", "shop"), ("Ben", "maison", "GB", "shop"),
    ("Cléo", "atelier", "FR", "till"), ("Dan", "atelier", "GB", "till"),
    ("Eve", "maison", "FR", "till"), ("Fay", "atelier", "FR", "shop"),
    ("Gus", "maison", "GB", "shop"),
]  # fmt: skip


async def _seed(hub: Hub, people: list[tuple[str, str, str, str]], tag: str = "") -> None:
    for connector in ("shop", "till"):
        records = [
            customer_record(f"{name}{tag}", f"{name.lower()}{tag}@example.com", brand,
                            first_name=name, last_name=f"Test{tag}", country=country)
            for name, brand, country, source in people
            if source == connector
        ]  # fmt: skip
        if records:
            await store(hub, connector, records)


async def _page(
    hub: Hub, viewer: Viewer = ADMIN, **variables: Any
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    data = (await execute(hub, CUSTOMERS, variables, viewer=viewer))["customers"]
    return [edge["node"] for edge in data["edges"]], data["pageInfo"]


async def _all(hub: Hub, viewer: Viewer = ADMIN, **variables: Any) -> list[dict[str, Any]]:
    nodes, info = await _page(hub, viewer, first=100, **variables)
    assert not info["hasNextPage"]
    return nodes


async def test_walking_pages_while_profiles_are_inserted(hub: Hub) -> None:
    await _seed(hub, PEOPLE)
    before = {node["id"] for node in await _all(hub)}
    assert len(before) == len(PEOPLE)
    walked: list[str] = []
    after, round_ = None, 0
    while True:
        nodes, info = await _page(hub, first=2, after=after)
        walked += [node["id"] for node in nodes]
        if not info["hasNextPage"]:
            break
        after, round_ = info["endCursor"], round_ + 1
        # New profiles between two page fetches: their ids fall anywhere in the order.
        await _seed(hub, [(f"New{round_}", "maison", "FR", "shop")], tag=str(round_))
    assert len(walked) == len(set(walked)), "a profile was listed twice"
    assert before <= set(walked), "a profile that existed before the walk was skipped"


async def test_filters_by_brand_country_source_and_update_time(hub: Hub) -> None:
    await _seed(hub, PEOPLE)
    maison = await _all(hub, filter={"brand": "maison"})
    assert sorted(n["brand"] for n in maison) == ["maison"] * 4
    french = await _all(hub, filter={"country": "fr", "brand": "atelier"})
    assert [(n["brand"], n["country"]) for n in french] == [("atelier", "FR")] * 2
    assert len(await _all(hub, filter={"source": "till"})) == 3
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert await _all(hub, filter={"updatedSince": future}) == []
    assert len(await _all(hub, filter={"updatedSince": "2000-01-01T00:00:00Z"})) == 7


async def test_a_brand_scoped_key_lists_only_its_brands(hub: Hub) -> None:
    await _seed(hub, PEOPLE)
    atelier = Viewer(name="key:atelier", role=Role.ANALYST, brands=frozenset({"atelier"}))
    nodes = await _all(hub, atelier)
    assert sorted(n["brand"] for n in nodes) == ["atelier"] * 3
    assert await _all(hub, atelier, filter={"brand": "maison"}) == []


async def test_page_size_and_bad_input_are_coded_errors(hub: Hub) -> None:
    for variables, code in (
        ({"first": 101}, "PAGE_SIZE_TOO_LARGE"),
        ({"after": "eyJ4Ijox"}, "INVALID_CURSOR"),
        ({"filter": {"country": "France"}}, "BAD_USER_INPUT"),
        ({"filter": {"updatedSince": "2026-01-01T00:00:00"}}, "BAD_USER_INPUT"),
    ):
        result = await schema.execute(
            CUSTOMERS,
            variable_values=variables,
            context_value=HubContext(sessions=hub.sessions, viewer=ADMIN, hub=hub),
        )
        assert result.errors is not None, variables
        assert result.errors[0].extensions == {"code": code}, variables


def test_the_cost_of_a_page_grows_with_its_first() -> None:
    """A connection's ``first`` sizes its edges for the cost limit, as a list's ``first`` does."""
    node = "id identifiers { kind value } orders { number }"

    def cost(first: int) -> int:
        query = f"{{ customers(first: {first}) {{ edges {{ node {{ {node} }} }} }} }}"
        errors = validate(schema._schema, parse(query), [cost_rule(1, 100)])
        found = re.search(r"about (\d+) fields", errors[0].message)
        assert found is not None, errors
        return int(found.group(1))

    assert cost(100) > 9 * cost(10)
