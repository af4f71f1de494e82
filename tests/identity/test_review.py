"""The review queue: grey-zone pairs filed once, answered by agents, closed when settled."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hub.identity.config import ResolutionConfig
from hub.identity.decisions import DecisionError
from hub.identity.model import FieldComparison, Outcome, PairEvidence
from hub.identity.pipeline import resolve
from hub.identity.review import close_settled_items, decide_review, file_review_items
from hub.runtime import Hub
from hub.store.models import RecordConstraintRow, ReviewItemRow
from tests.identity.conftest import links_by_source

CONFIG = ResolutionConfig()


def grey(left: int, right: int, score: float = 4.5) -> PairEvidence:
    name = FieldComparison("first_name", "jaro_winkler_92", 3.1, "amelie", "amely")
    return PairEvidence(right, left, Outcome.REVIEW, "score", score, (name,))


async def items(hub: Hub) -> list[ReviewItemRow]:
    async with hub.sessions() as session:
        return list(await session.scalars(select(ReviewItemRow).order_by(ReviewItemRow.id)))


@pytest.fixture
async def queued(two_sources: Hub) -> tuple[Hub, int, int]:
    await resolve(two_sources.sessions, ResolutionConfig())
    links = await links_by_source(two_sources)
    a, b = links["crm:A2"].record_id, links["crm:A3"].record_id
    async with two_sources.sessions.begin() as session:
        assert await file_review_items(session, [grey(a, b)]) == 1
    return two_sources, a, b


async def test_a_pair_is_filed_once_with_its_evidence(queued: tuple[Hub, int, int]) -> None:
    hub, a, b = queued
    async with hub.sessions.begin() as session:
        assert await file_review_items(session, [grey(b, a, score=5.0)]) == 0
    (item,) = await items(hub)
    assert (item.left_record_id, item.right_record_id) == (min(a, b), max(a, b))
    assert item.score == 5.0  # an open item's evidence is refreshed
    assert item.evidence["fields"][0]["level"] == "jaro_winkler_92"
    assert item.evidence["outcome"] == "review"


async def test_merge_answer_joins_the_profiles(queued: tuple[Hub, int, int]) -> None:
    hub, _, _ = queued
    (item,) = await items(hub)
    async with hub.sessions.begin() as session:
        decision = await decide_review(
            session, item.id, "merge", by="agent:ana", reason="same phone", config=CONFIG
        )
    assert decision is not None and decision.kind == "merge"
    links = await links_by_source(hub)
    assert links["crm:A2"].profile_id == links["crm:A3"].profile_id
    (item,) = await items(hub)
    assert (item.status, item.decided_by, item.reason) == ("merged", "agent:ana", "same phone")
    with pytest.raises(DecisionError) as again:
        async with hub.sessions.begin() as session:
            await decide_review(
                session, item.id, "keep_apart", by="agent:ana", reason="x", config=CONFIG
            )
    assert again.value.code == "ALREADY_DECIDED"


async def test_never_merge_answer_adds_a_constraint_and_keep_apart_does_not(
    queued: tuple[Hub, int, int],
) -> None:
    hub, a, b = queued
    (item,) = await items(hub)
    async with hub.sessions.begin() as session:
        await decide_review(
            session, item.id, "never_merge", by="agent:ana", reason="twins", config=CONFIG
        )
        constraints = list(await session.scalars(select(RecordConstraintRow)))
    assert [(c.kind, c.left_record_id, c.right_record_id) for c in constraints] == [
        ("cannot", min(a, b), max(a, b))
    ]
    links = await links_by_source(hub)
    other = links["loyalty:L2"].record_id
    async with hub.sessions.begin() as session:
        await file_review_items(session, [grey(a, other)])
    new = (await items(hub))[-1]
    async with hub.sessions.begin() as session:
        assert (
            await decide_review(
                session, new.id, "keep_apart", by="agent:ana", reason="no", config=CONFIG
            )
            is None
        )
        assert len(list(await session.scalars(select(RecordConstraintRow)))) == 1
    assert (await items(hub))[-1].status == "kept_apart"


async def test_settled_pairs_leave_the_queue(queued: tuple[Hub, int, int]) -> None:
    hub, a, b = queued
    async with hub.sessions.begin() as session:
        assert await close_settled_items(session, {a: "p1", b: "p2"}) == 0
        assert await close_settled_items(session, {a: "p1", b: "p1"}) == 1
    assert (await items(hub))[0].status == "resolved"


@pytest.mark.parametrize(
    ("review_id", "action", "code"),
    [(999, "merge", "REVIEW_ITEM_NOT_FOUND"), (None, "delete", "UNKNOWN_ACTION")],
)
async def test_bad_answers_are_refused(
    queued: tuple[Hub, int, int], review_id: int | None, action: str, code: str
) -> None:
    hub, _, _ = queued
    item_id = review_id or (await items(hub))[0].id
    with pytest.raises(DecisionError) as refused:
        async with hub.sessions.begin() as session:
            await decide_review(session, item_id, action, by="agent:ana", reason="x", config=CONFIG)
    assert refused.value.code == code
