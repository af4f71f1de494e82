"""reviewQueue: grey-zone pairs paged and filtered, each side as the viewer may see it."""

from __future__ import annotations

from typing import Any

import pytest

from hub.access import Permission, Role, Viewer
from hub.access.viewer import ROLE_PERMISSIONS
from hub.identity.model import FieldComparison, Outcome, PairEvidence
from hub.identity.review import file_review_items
from hub.runtime import Hub
from tests.schema.conftest import (
    ADMIN,
    AGENT,
    ANALYST,
    APP,
    error_codes,
    execute,
    links_by_source,
    walk,
)

QUEUE = """
query ($status: ReviewStatus, $after: String) {
  reviewQueue(status: $status, first: FIRST, after: $after) {
    edges { cursor node {
      id score rule status evidence decidedBy reason
      fields { field level weight left right }
      left { ...side } right { ...side }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
fragment side on ReviewSide {
  record { id connector sourceId payload identifiers { kind value } }
  customer { id firstName email }
}
"""


def queue_query(first: int) -> str:
    """:data:`QUEUE` with its page size written in, so the cost rule counts that page size."""
    return QUEUE.replace("FIRST", str(first))


KEEP_APART = """
mutation ($item: ID!) {
  decideReviewItem(item: $item, decision: KEEP_APART, reason: "two people") { __typename }
}
"""
PAIRS = (("crm:A2", "loyalty:L2"), ("crm:A3", "loyalty:L2"), ("crm:A2", "crm:A3"))
"""Pairs of records in different profiles (crm's records are of the brand maison, loyalty's
carry no brand)."""
MASKED_AGENT = Viewer(
    name="key:support-masked",
    role=Role.AGENT,
    permissions=ROLE_PERMISSIONS[Role.AGENT] - {Permission.READ_PERSONAL_DATA},
)
ATELIER_AGENT = Viewer(name="key:atelier-desk", role=Role.AGENT, brands=frozenset({"atelier"}))


@pytest.fixture
async def queued(resolved: Hub) -> Hub:
    """The pairs of :data:`PAIRS` filed as a resolution run files grey-zone pairs."""
    links = await links_by_source(resolved)
    pairs = [
        PairEvidence(
            left=links[left].record_id,
            right=links[right].record_id,
            outcome=Outcome.REVIEW,
            rule="score",
            score=4.5,
            fields=(
                FieldComparison("email", "differ", -3.0, f"{left}@example.fr", f"{right}@x.fr"),
                FieldComparison("city", "exact", 2.0, "Paris", "Paris"),
            ),
        )
        for left, right in PAIRS
    ]
    async with resolved.sessions.begin() as session:
        assert await file_review_items(session, pairs) == len(PAIRS)
    return resolved


async def queue(hub: Hub, viewer: Viewer, **variables: Any) -> list[dict[str, Any]]:
    pages = await walk(hub, queue_query, "reviewQueue", variables, viewer, first=10)
    return [item for page in pages for item in page]


async def test_pages_newest_first(queued: Hub) -> None:
    pages = await walk(queued, queue_query, "reviewQueue", {}, AGENT, first=2)
    assert [len(page) for page in pages] == [2, 1]
    ids = [int(item["id"]) for page in pages for item in page]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(PAIRS)


async def test_each_side_is_its_record_and_its_profile(queued: Hub) -> None:
    links = await links_by_source(queued)
    by_record = {str(link.record_id): (source, link.profile_id) for source, link in links.items()}
    items = await queue(queued, ADMIN)
    shown = set()
    for item in items:
        assert (item["status"], item["rule"], item["score"]) == ("OPEN", "score", 4.5)
        sides = []
        for side in (item["left"], item["right"]):
            source, profile_id = by_record[side["record"]["id"]]
            assert f"{side['record']['connector']}:{side['record']['sourceId']}" == source
            assert side["customer"]["id"] == profile_id
            assert side["record"]["payload"], "admins see the raw payload"
            sides.append(source)
        shown.add(tuple(sides))
        assert [f["field"] for f in item["fields"]] == ["email", "city"]
        assert item["fields"][0]["left"] == f"{sides[0]}@example.fr"
        assert item["evidence"]["fields"][0]["left"] == item["fields"][0]["left"]
    assert shown == set(PAIRS)


async def test_status_filter(queued: Hub) -> None:
    first, *rest = await queue(queued, AGENT)
    result = await execute(queued, KEEP_APART, {"item": first["id"]})
    assert result["decideReviewItem"]["__typename"] == "ReviewDecisionSuccess"
    assert [item["id"] for item in await queue(queued, AGENT)] == [item["id"] for item in rest]
    kept = await queue(queued, AGENT, status="KEPT_APART")
    assert [(item["id"], item["decidedBy"], item["reason"]) for item in kept] == [
        (first["id"], AGENT.name, "two people")
    ]
    assert len(await queue(queued, AGENT, status=None)) == len(PAIRS)
    assert await queue(queued, AGENT, status="MERGED") == []


async def test_agents_see_no_payload_and_masked_keys_no_personal_value(queued: Hub) -> None:
    for item in await queue(queued, AGENT):
        sides = (item["left"], item["right"])
        assert all(side["record"]["payload"] is None for side in sides)
        assert item["fields"][0]["left"] is not None
    for item in await queue(queued, MASKED_AGENT):
        email, city = item["fields"]
        assert (email["left"], email["right"]) == (None, None)
        assert (city["left"], city["right"]) == ("Paris", "Paris")
        assert item["evidence"]["fields"][0]["left"] is None
        for side in (item["left"], item["right"]):
            assert side["customer"]["email"] is None
            kinds = {i["kind"]: i["value"] for i in side["record"]["identifiers"]}
            assert kinds.get("EMAIL") is None and kinds.get("PHONE") is None


async def test_a_side_of_another_brand_is_left_out(queued: Hub) -> None:
    """The atelier desk sees loyalty's unbranded records, not crm's (brand maison)."""
    items = await queue(queued, ATELIER_AGENT)
    shown = [side["record"] for item in items for side in (item["left"], item["right"])]
    assert sorted(r["sourceId"] for r in shown if r is not None) == ["L2", "L2"]
    for item in items:
        for side in (item["left"], item["right"]):
            record = side["record"]
            assert record is None or record["connector"] == "loyalty"
            assert (record is None) is (side["customer"] is None)
        assert all(f["left"] is None and f["right"] is None for f in item["fields"])
        assert "maison" not in str(item) and "crm:" not in str(item)


async def test_apps_and_analysts_are_refused(queued: Hub) -> None:
    for viewer in (APP, ANALYST):
        codes = await error_codes(queued, queue_query(5), viewer=viewer)
        assert codes == ["FORBIDDEN"], viewer.role
    assert await error_codes(queued, queue_query(5), {"after": "bm9wZToz"}) == ["INVALID_CURSOR"]
    too_large = "{ reviewQueue(first: 500) { edges { cursor } } }"
    assert await error_codes(queued, too_large) == ["PAGE_SIZE_TOO_LARGE"]
