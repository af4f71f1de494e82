"""A customer's timeline: activities and identity decisions, newest first, in cursor pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hub.identity.decisions import merge_profiles
from hub.runtime import Hub
from schema import schema
from schema.context import HubContext
from tests.schema.conftest import ADMIN, execute
from tests.schema.seeding import customer_record, order, store, subscription

START = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
TIMELINE = (
    "query ($id: ID!, $first: Int, $after: String) { customer(id: $id) {"
    " timeline(first: $first, after: $after) {"
    " edges { cursor node { at activity { id kind sourceId } decision { id kind reason } } }"
    " pageInfo { hasNextPage endCursor } } } }"
)


async def _profile_of(hub: Hub, email: str) -> str:
    query = "query ($v: String!) { customerByIdentifier(kind: EMAIL, value: $v) { id } }"
    data = await execute(hub, query, {"v": email}, viewer=ADMIN)
    return str(data["customerByIdentifier"]["id"])


async def _merged_customer(hub: Hub) -> str:
    """Two profiles of one person (different e-mails), with activities, merged by an agent."""
    days = [START + timedelta(days=n) for n in range(6)]
    await store(
        hub,
        "shop",
        [
            customer_record("c-1", "lea@example.com", "maison",
                            [order("O-1", days[0], 100), order("O-2", days[2], 200),
                             order("O-3", days[2], 300)], first_name="Léa", last_name="Petit"),
            customer_record("c-2", "lea.petit@example.org", "maison",
                            [subscription("S-1", days[1], "ongoing"), order("O-4", None, 50)],
                            first_name="Lea", last_name="Petit-Roux"),
        ],
    )  # fmt: skip
    kept, other = (
        await _profile_of(hub, "lea@example.com"),
        await _profile_of(hub, "lea.petit@example.org"),
    )
    assert kept != other
    async with hub.sessions() as session:
        await merge_profiles(
            session, kept, other, by="key:desk", reason="same person, two e-mails",
            config=hub.config.resolution,
        )  # fmt: skip
        await session.commit()
    return kept


async def _walk(hub: Hub, profile_id: str, first: int) -> list[dict[str, Any]]:
    nodes, after = [], None
    while True:
        variables = {"id": profile_id, "first": first, "after": after}
        page = (await execute(hub, TIMELINE, variables, viewer=ADMIN))["customer"]["timeline"]
        assert len(page["edges"]) <= first
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]


async def test_timeline_interleaves_decisions_newest_first_across_pages(hub: Hub) -> None:
    profile_id = await _merged_customer(hub)
    whole = await _walk(hub, profile_id, 100)
    assert [(n["activity"] or n["decision"])["kind"] for n in whole] == [
        "merge", "ORDER", "ORDER", "SUBSCRIPTION", "ORDER", "ORDER",
    ]  # fmt: skip
    assert whole[0]["decision"]["reason"] == "same person, two e-mails"
    assert whole[-1]["at"] is None  # an activity without a time comes last
    times = [n["at"] for n in whole if n["at"] is not None]
    assert times == sorted(times, reverse=True)
    for size in (1, 2, 4):
        assert await _walk(hub, profile_id, size) == whole, size


async def test_a_new_activity_does_not_shift_the_next_page(hub: Hub) -> None:
    profile_id = await _merged_customer(hub)
    variables = {"id": profile_id, "first": 3, "after": None}
    first = (await execute(hub, TIMELINE, variables, viewer=ADMIN))["customer"]["timeline"]
    seen = [e["node"]["activity"] or e["node"]["decision"] for e in first["edges"]]
    assert [n.get("sourceId") for n in seen] == [None, "O-3", "O-2"]  # the merge, then day 2
    orders = [order("O-1", START, 100), order("O-2", START + timedelta(days=2), 200),
              order("O-3", START + timedelta(days=2), 300),
              order("O-5", START + timedelta(days=9), 9)]  # fmt: skip
    await store(
        hub,
        "shop",
        [customer_record("c-1", "lea@example.com", "maison", orders,
                         first_name="Léa", last_name="Petit")],
    )  # fmt: skip
    variables |= {"first": 100, "after": first["pageInfo"]["endCursor"]}
    rest = (await execute(hub, TIMELINE, variables, viewer=ADMIN))["customer"]["timeline"]
    later = [e["node"]["activity"]["sourceId"] for e in rest["edges"]]
    # O-5 is newer than the cursor: it belongs before it, not in the pages still to come.
    assert later == ["S-1", "O-1", "O-4"]


async def test_bad_cursor_and_too_large_page_are_coded_errors(hub: Hub) -> None:
    profile_id = await _merged_customer(hub)
    for variables, code in (
        ({"after": "bm90IGEgY3Vyc29y"}, "INVALID_CURSOR"),
        ({"after": "%%%"}, "INVALID_CURSOR"),
        ({"first": 101}, "PAGE_SIZE_TOO_LARGE"),
    ):
        result = await schema.execute(
            TIMELINE,
            variable_values={"id": profile_id, **variables},
            context_value=HubContext(sessions=hub.sessions, viewer=ADMIN, hub=hub),
        )
        assert result.errors is not None
        assert result.errors[0].extensions == {"code": code}, variables
