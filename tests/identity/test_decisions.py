"""Agents' merges, splits and never-merges: audited, constrained for later runs, and undone to
exactly the profiles that existed before."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hub.identity.config import ResolutionConfig
from hub.identity.decisions import (
    CANNOT,
    MUST,
    DecisionError,
    merge_profiles,
    never_merge,
    split_profile,
    undo_decision,
)
from hub.identity.pipeline import resolve
from hub.runtime import Hub
from hub.store.models import IdentityDecisionRow, LinkRow, ProfileRow, RecordConstraintRow
from hub.store.profiles import get_profile
from tests.identity.conftest import links_by_source

CONFIG = ResolutionConfig()
AGENT = "agent:claire"


async def partition(hub: Hub) -> dict[str, set[str]]:
    """Profile id → the "<connector>:<source id>" keys of its records."""
    result: dict[str, set[str]] = {}
    for key, link in (await links_by_source(hub)).items():
        result.setdefault(link.profile_id, set()).add(key)
    return result


async def constraints(hub: Hub) -> set[tuple[str, int, int]]:
    async with hub.sessions() as session:
        rows = await session.execute(select(RecordConstraintRow))
        return {(c.kind, c.left_record_id, c.right_record_id) for (c,) in rows}


@pytest.fixture
async def resolved(two_sources: Hub) -> Hub:
    await resolve(two_sources.sessions, ResolutionConfig())
    return two_sources


async def test_merge_moves_records_keeps_the_old_id_resolving_and_is_audited(resolved: Hub) -> None:
    links = await links_by_source(resolved)
    amelie, lucas = links["crm:A1"], links["loyalty:L2"]
    async with resolved.sessions.begin() as session:
        decision = await merge_profiles(
            session,
            amelie.profile_id,
            lucas.profile_id,
            by=AGENT,
            reason="same person",
            config=CONFIG,
        )
    after = await partition(resolved)
    assert after[amelie.profile_id] == {"crm:A1", "loyalty:L1", "loyalty:L2"}
    assert lucas.profile_id not in after
    async with resolved.sessions() as session:
        survivor = await get_profile(session, lucas.profile_id)
        assert survivor is not None and survivor.id == amelie.profile_id
        assert (
            "Lucas" in str(survivor.golden["first_name"])
            or "Lucas" in survivor.golden["first_name"]["alternatives"]
        )
        stored = await session.get_one(IdentityDecisionRow, decision.id)
        assert (stored.kind, stored.decided_by, stored.reason) == ("merge", AGENT, "same person")
        assert sorted(stored.snapshot["profiles"][lucas.profile_id]) == [lucas.record_id]
        moved = await session.get_one(LinkRow, lucas.record_id)
        assert (moved.rule, moved.decided_by) == ("manual", AGENT)
    assert {kind for kind, _, _ in await constraints(resolved)} == {MUST}


async def test_undoing_a_merge_restores_both_profiles_with_their_ids(resolved: Hub) -> None:
    before = await partition(resolved)
    links = await links_by_source(resolved)
    async with resolved.sessions.begin() as session:
        merge = await merge_profiles(
            session,
            links["crm:A1"].profile_id,
            links["crm:A2"].profile_id,
            by=AGENT,
            reason="dup",
            config=CONFIG,
        )
    async with resolved.sessions.begin() as session:
        split = await undo_decision(
            session, merge.id, by=AGENT, reason="wrong merge", config=CONFIG
        )
    assert await partition(resolved) == before
    async with resolved.sessions() as session:
        revived = await session.get_one(ProfileRow, links["crm:A2"].profile_id)
        assert revived.merged_into is None
        assert (await session.get_one(IdentityDecisionRow, merge.id)).undone_at is not None
    kinds = {kind for kind, _, _ in await constraints(resolved)}
    assert kinds == {CANNOT}  # the must pair went with the merge; the split keeps them apart
    # ... and undoing the split merges them again.
    async with resolved.sessions.begin() as session:
        await undo_decision(session, split.id, by=AGENT, reason="it was right", config=CONFIG)
    again = await partition(resolved)
    assert again[links["crm:A1"].profile_id] == {"crm:A1", "loyalty:L1", "crm:A2"}
    assert await constraints(resolved) == set()


async def test_split_detaches_records_into_a_new_profile_kept_apart(resolved: Hub) -> None:
    links = await links_by_source(resolved)
    profile = links["crm:A1"].profile_id
    async with resolved.sessions.begin() as session:
        decision = await split_profile(
            session,
            profile,
            [links["loyalty:L1"].record_id],
            by=AGENT,
            reason="other Amélie",
            config=CONFIG,
        )
    after = await partition(resolved)
    assert after[profile] == {"crm:A1"}
    assert decision.other_profile_id is not None
    assert after[decision.other_profile_id] == {"loyalty:L1"}
    pair = tuple(sorted((links["crm:A1"].record_id, links["loyalty:L1"].record_id)))
    assert await constraints(resolved) == {(CANNOT, *pair)}


async def test_never_merge_forbids_a_later_manual_merge(resolved: Hub) -> None:
    links = await links_by_source(resolved)
    a, b = links["crm:A2"].profile_id, links["crm:A3"].profile_id
    async with resolved.sessions.begin() as session:
        decision = await never_merge(session, a, b, by=AGENT, reason="father and son")
    with pytest.raises(DecisionError) as refused:
        async with resolved.sessions.begin() as session:
            await merge_profiles(session, b, a, by=AGENT, reason="?", config=CONFIG)
    assert refused.value.code == "NEVER_MERGE"
    assert f"decision {decision.id}" in str(refused.value)
    async with resolved.sessions.begin() as session:
        await undo_decision(session, decision.id, by=AGENT, reason="checked again", config=CONFIG)
        await merge_profiles(session, b, a, by=AGENT, reason="same after all", config=CONFIG)


@pytest.mark.parametrize(
    ("action", "code"),
    [
        ("merge-self", "SAME_PROFILE"),
        ("merge-unknown", "PROFILE_NOT_FOUND"),
        ("no-reason", "REASON_REQUIRED"),
        ("split-all", "EMPTY_SPLIT"),
        ("split-stranger", "RECORD_NOT_IN_PROFILE"),
        ("undo-unknown", "DECISION_NOT_FOUND"),
    ],
)
async def test_impossible_decisions_are_refused_with_a_code(
    resolved: Hub, action: str, code: str
) -> None:
    links = await links_by_source(resolved)
    amelie, other = links["crm:A1"], links["crm:A2"]
    with pytest.raises(DecisionError) as refused:
        async with resolved.sessions.begin() as session:
            if action == "merge-self":
                await merge_profiles(
                    session,
                    amelie.profile_id,
                    amelie.profile_id,
                    by=AGENT,
                    reason="x",
                    config=CONFIG,
                )
            elif action == "merge-unknown":
                await merge_profiles(
                    session, amelie.profile_id, "nope", by=AGENT, reason="x", config=CONFIG
                )
            elif action == "no-reason":
                await merge_profiles(
                    session,
                    amelie.profile_id,
                    other.profile_id,
                    by=AGENT,
                    reason=" ",
                    config=CONFIG,
                )
            elif action == "split-all":
                records = [amelie.record_id, links["loyalty:L1"].record_id]
                await split_profile(
                    session, amelie.profile_id, records, by=AGENT, reason="x", config=CONFIG
                )
            elif action == "split-stranger":
                await split_profile(
                    session,
                    amelie.profile_id,
                    [other.record_id],
                    by=AGENT,
                    reason="x",
                    config=CONFIG,
                )
            else:
                await undo_decision(session, 999, by=AGENT, reason="x", config=CONFIG)
    assert refused.value.code == code
    assert await partition(resolved)  # nothing half-done: the transaction rolled back
