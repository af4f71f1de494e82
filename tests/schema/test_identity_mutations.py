"""Identity mutations: each success and each typed error, refused without the permission, and
every decision audited with who and why."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from hub.runtime import Hub
from hub.store.models import IdentityDecisionRow, LinkRow, ProfileRow, ReviewItemRow
from tests.schema.conftest import AGENT, ANALYST, APP, audit_rows, execute, links_by_source

RESULT = """
  __typename
  ... on MutationError { message code }
  ... on PermissionDenied { permission }
  ... on InvalidInput { field }
"""
MERGE = f"""
mutation ($a: ID!, $b: ID!, $reason: String!) {{
  mergeProfiles(survivor: $a, other: $b, reason: $reason) {{
    {RESULT}
    ... on MergeSuccess {{ survivorId decision {{ id kind decidedBy reason otherProfileId }} }}
  }}
}}
"""
SPLIT = f"""
mutation ($p: ID!, $records: [ID!]!, $reason: String!) {{
  splitProfile(profile: $p, records: $records, reason: $reason) {{
    {RESULT}
    ... on SplitSuccess {{ profileId splitOffId decision {{ id kind }} }}
  }}
}}
"""
NEVER = f"""
mutation ($a: ID!, $b: ID!, $reason: String!) {{
  neverMerge(a: $a, b: $b, reason: $reason) {{
    {RESULT}
    ... on NeverMergeSuccess {{ decision {{ id kind profileId otherProfileId }} }}
  }}
}}
"""
UNDO = f"""
mutation ($d: ID!, $reason: String!) {{
  undoDecision(decision: $d, reason: $reason) {{
    {RESULT}
    ... on UndoSuccess {{ decision {{ id kind undoesId }} }}
  }}
}}
"""
REVIEW = f"""
mutation ($item: ID!, $decision: ReviewAction!, $reason: String!) {{
  decideReviewItem(item: $item, decision: $decision, reason: $reason) {{
    {RESULT}
    ... on ReviewDecisionSuccess {{ itemId status decision {{ kind decidedBy }} }}
  }}
}}
"""


async def people(hub: Hub) -> tuple[LinkRow, LinkRow]:
    """Amélie's link (both of her records are one profile) and Lucas's."""
    links = await links_by_source(hub)
    assert links["crm:A1"].profile_id == links["loyalty:L1"].profile_id
    return links["crm:A1"], links["loyalty:L2"]


async def merge(hub: Hub, a: str, b: str, reason: str = "same person", **kw: Any) -> Any:
    data = await execute(hub, MERGE, {"a": a, "b": b, "reason": reason}, **kw)
    return data["mergeProfiles"]


async def test_merge_moves_the_records_and_is_audited_with_who_and_why(resolved: Hub) -> None:
    amelie, lucas = await people(resolved)
    result = await merge(resolved, amelie.profile_id, lucas.profile_id, "called: one person")
    assert result["__typename"] == "MergeSuccess"
    assert result["survivorId"] == amelie.profile_id
    assert result["decision"]["decidedBy"] == AGENT.name
    assert result["decision"]["reason"] == "called: one person"
    links = await links_by_source(resolved)
    assert links["loyalty:L2"].profile_id == amelie.profile_id
    [entry] = await audit_rows(resolved)
    assert (entry.actor, entry.action, entry.reason) == (
        AGENT.name,
        "identity.merge",
        "called: one person",
    )
    assert (entry.subject_kind, entry.subject_id) == ("profile", amelie.profile_id)
    assert entry.details["other"] == lucas.profile_id
    assert entry.details["decision"] == int(result["decision"]["id"])


async def test_merge_errors_are_typed_data_and_change_nothing(resolved: Hub) -> None:
    amelie, lucas = await people(resolved)
    unknown = await merge(resolved, amelie.profile_id, "no-such-profile")
    assert (unknown["__typename"], unknown["code"]) == ("ProfileNotFound", "PROFILE_NOT_FOUND")
    same = await merge(resolved, amelie.profile_id, amelie.profile_id)
    assert (same["__typename"], same["code"]) == ("DecisionRefused", "SAME_PROFILE")
    blank = await merge(resolved, amelie.profile_id, lucas.profile_id, reason="   ")
    assert (blank["__typename"], blank["code"], blank["field"]) == (
        "InvalidInput",
        "REASON_REQUIRED",
        "reason",
    )
    for viewer in (APP, ANALYST):
        refused = await merge(resolved, amelie.profile_id, lucas.profile_id, viewer=viewer)
        assert refused["__typename"] == "PermissionDenied"
        assert (refused["code"], refused["permission"]) == ("PERMISSION_DENIED", "decide_identity")
    assert (await links_by_source(resolved))["loyalty:L2"].profile_id == lucas.profile_id
    assert await audit_rows(resolved) == []


async def test_never_merge_then_merge_is_refused_until_undone(resolved: Hub) -> None:
    amelie, lucas = await people(resolved)
    variables = {"a": amelie.profile_id, "b": lucas.profile_id, "reason": "twins"}
    kept = (await execute(resolved, NEVER, variables))["neverMerge"]
    assert kept["__typename"] == "NeverMergeSuccess"
    assert kept["decision"]["kind"] == "never_merge"
    refused = await merge(resolved, amelie.profile_id, lucas.profile_id)
    assert (refused["__typename"], refused["code"]) == ("DecisionRefused", "NEVER_MERGE")
    same = (await execute(resolved, NEVER, {**variables, "b": amelie.profile_id}))["neverMerge"]
    assert same["code"] == "SAME_PROFILE"
    undo = await execute(resolved, UNDO, {"d": kept["decision"]["id"], "reason": "not twins"})
    assert undo["undoDecision"]["__typename"] == "UndoSuccess"
    assert undo["undoDecision"]["decision"]["undoesId"] == kept["decision"]["id"]
    assert (await merge(resolved, amelie.profile_id, lucas.profile_id))["__typename"] == (
        "MergeSuccess"
    )
    actions = [e.action for e in await audit_rows(resolved)]
    assert actions == ["identity.never_merge", "identity.undo", "identity.merge"]


async def test_undo_errors(resolved: Hub) -> None:
    missing = (await execute(resolved, UNDO, {"d": "999", "reason": "oops"}))["undoDecision"]
    assert (missing["__typename"], missing["code"]) == ("NotFound", "DECISION_NOT_FOUND")
    junk = (await execute(resolved, UNDO, {"d": "abc", "reason": "oops"}))["undoDecision"]
    assert junk["__typename"] == "NotFound"
    amelie, lucas = await people(resolved)
    done = await merge(resolved, amelie.profile_id, lucas.profile_id)
    variables = {"d": done["decision"]["id"], "reason": "wrong"}
    first = (await execute(resolved, UNDO, variables))["undoDecision"]
    assert first["__typename"] == "UndoSuccess"
    assert (await links_by_source(resolved))["loyalty:L2"].profile_id == lucas.profile_id
    again = (await execute(resolved, UNDO, variables))["undoDecision"]
    assert (again["__typename"], again["code"]) == ("DecisionRefused", "NOTHING_TO_UNDO")


async def test_split_moves_records_out_and_refuses_empty_or_foreign_splits(resolved: Hub) -> None:
    amelie, lucas = await people(resolved)
    loyalty_record = (await links_by_source(resolved))["loyalty:L1"].record_id
    variables = {"p": amelie.profile_id, "records": [str(loyalty_record)], "reason": "two Amélies"}
    result = (await execute(resolved, SPLIT, variables))["splitProfile"]
    assert result["__typename"] == "SplitSuccess"
    assert result["profileId"] == amelie.profile_id
    links = await links_by_source(resolved)
    assert links["loyalty:L1"].profile_id == result["splitOffId"] != amelie.profile_id
    everything = {**variables, "records": [str(amelie.record_id)]}
    empty = (await execute(resolved, SPLIT, everything))["splitProfile"]
    assert (empty["__typename"], empty["code"]) == ("DecisionRefused", "EMPTY_SPLIT")
    foreign = {**variables, "records": [str(lucas.record_id)]}
    stranger = (await execute(resolved, SPLIT, foreign))["splitProfile"]
    assert stranger["code"] == "RECORD_NOT_IN_PROFILE"
    bad = (await execute(resolved, SPLIT, {**variables, "records": ["x"]}))["splitProfile"]
    assert (bad["__typename"], bad["field"]) == ("InvalidInput", "records")
    gone = (await execute(resolved, SPLIT, {**variables, "p": "nobody"}))["splitProfile"]
    assert gone["__typename"] == "ProfileNotFound"
    refused = (await execute(resolved, SPLIT, variables, viewer=ANALYST))["splitProfile"]
    assert refused["__typename"] == "PermissionDenied"


async def file_item(hub: Hub, left: LinkRow, right: LinkRow) -> int:
    """A grey-zone pair in the review queue, as a resolution run files it."""
    async with hub.sessions.begin() as session:
        item = ReviewItemRow(
            left_record_id=min(left.record_id, right.record_id),
            right_record_id=max(left.record_id, right.record_id),
            score=0.7,
            rule="probabilistic",
            evidence={},
            status="open",
            created_at=left.linked_at,
        )
        session.add(item)
        await session.flush()
        return item.id


@pytest.mark.parametrize(
    ("answer", "status", "kind"),
    [("MERGE", "merged", "merge"), ("KEEP_APART", "kept_apart", None),
     ("NEVER_MERGE", "never_merge", "never_merge")],
)  # fmt: skip
async def test_review_answers(resolved: Hub, answer: str, status: str, kind: str | None) -> None:
    amelie, lucas = await people(resolved)
    item = await file_item(resolved, amelie, lucas)
    variables = {"item": str(item), "decision": answer, "reason": "checked the orders"}
    result = (await execute(resolved, REVIEW, variables))["decideReviewItem"]
    assert result["__typename"] == "ReviewDecisionSuccess"
    assert result["status"] == status
    assert (result["decision"] or {}).get("kind") == kind
    async with resolved.sessions() as session:
        row = await session.get_one(ReviewItemRow, item)
        assert (row.status, row.decided_by) == (status, AGENT.name)
        decisions = list(await session.scalars(select(IdentityDecisionRow.kind)))
    assert decisions == ([] if kind is None else [kind])
    [entry] = await audit_rows(resolved)
    assert (entry.action, entry.subject_id, entry.details["answer"]) == (
        "identity.review",
        str(item),
        answer.lower(),
    )
    again = (await execute(resolved, REVIEW, variables))["decideReviewItem"]
    assert (again["__typename"], again["code"]) == ("DecisionRefused", "ALREADY_DECIDED")


async def test_review_errors(resolved: Hub) -> None:
    amelie, lucas = await people(resolved)
    variables = {"item": "4242", "decision": "MERGE", "reason": "sure"}
    missing = (await execute(resolved, REVIEW, variables))["decideReviewItem"]
    assert (missing["__typename"], missing["code"]) == ("NotFound", "REVIEW_ITEM_NOT_FOUND")
    item = await file_item(resolved, amelie, lucas)
    blank = {"item": str(item), "decision": "MERGE", "reason": ""}
    assert (await execute(resolved, REVIEW, blank))["decideReviewItem"]["code"] == (
        "REASON_REQUIRED"
    )
    refused = (await execute(resolved, REVIEW, {**blank, "reason": "x"}, viewer=APP))[
        "decideReviewItem"
    ]
    assert refused["__typename"] == "PermissionDenied"
    async with resolved.sessions() as session:
        assert (await session.get_one(ReviewItemRow, item)).status == "open"
        assert await session.scalar(select(ProfileRow.merged_into).where(
            ProfileRow.id == lucas.profile_id)) is None  # fmt: skip
