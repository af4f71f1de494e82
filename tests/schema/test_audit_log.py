"""auditLog (admins, newest first, paginated) and a customer's own audit entries."""

from __future__ import annotations

from hub.runtime import Hub
from schema import schema
from schema.context import HubContext
from tests.schema.conftest import ADMIN, AGENT, ANALYST, execute, links_by_source
from tests.schema.test_consent_mutation import record
from tests.schema.test_identity_mutations import NEVER, UNDO, merge

LOG = """
query ($after: String, $subject: String) {
  auditLog(first: 2, after: $after, subject: $subject) {
    edges { cursor node { actor action subject reason details } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
CUSTOMER = """
query ($id: ID!) { customer(id: $id) { id auditEntries { actor action reason } } }
"""


async def test_audit_log_pages_newest_first_and_filters_by_subject(resolved: Hub) -> None:
    links = await links_by_source(resolved)
    amelie, lucas = links["crm:A1"].profile_id, links["loyalty:L2"].profile_id
    await record(resolved, amelie)
    await record(resolved, lucas, reason="second")
    await merge(resolved, amelie, lucas, "same phone and birth date")
    first = (await execute(resolved, LOG, viewer=ADMIN))["auditLog"]
    assert [e["node"]["action"] for e in first["edges"]] == ["identity.merge", "consent.record"]
    assert first["edges"][0]["node"]["actor"] == AGENT.name
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await execute(resolved, LOG, {"after": first["pageInfo"]["endCursor"]}, viewer=ADMIN)
    [last] = rest["auditLog"]["edges"]
    assert (last["node"]["subject"], last["node"]["reason"]) == (
        f"profile:{amelie}",
        "asked at till",
    )
    assert rest["auditLog"]["pageInfo"] == {"hasNextPage": False, "endCursor": last["cursor"]}
    about_lucas = await execute(resolved, LOG, {"subject": f"profile:{lucas}"}, viewer=ADMIN)
    assert [e["node"]["reason"] for e in about_lucas["auditLog"]["edges"]] == ["second"]
    # Lucas was merged into Amélie: her entries now include his.
    customer = (await execute(resolved, CUSTOMER, {"id": amelie}))["customer"]
    assert [e["reason"] for e in customer["auditEntries"]] == [
        "same phone and birth date",
        "second",
        "asked at till",
    ]
    hidden = (await execute(resolved, CUSTOMER, {"id": amelie}, viewer=ANALYST))["customer"]
    assert hidden["auditEntries"] == []


async def test_a_customers_entries_follow_decisions_about_profiles_merged_into_it(
    resolved: Hub,
) -> None:
    links = await links_by_source(resolved)
    amelie, lucas, jean = (links[s].profile_id for s in ("crm:A1", "loyalty:L2", "crm:A3"))
    variables = {"a": lucas, "b": jean, "reason": "brothers"}
    kept = (await execute(resolved, NEVER, variables))["neverMerge"]
    await execute(resolved, UNDO, {"d": kept["decision"]["id"], "reason": "not brothers"})
    await merge(resolved, amelie, lucas, "same phone and birth date")
    # The undo is filed under the never-merge decision, which names Lucas and Jean only.
    for profile_id in (amelie, jean):
        customer = (await execute(resolved, CUSTOMER, {"id": profile_id}))["customer"]
        assert "not brothers" in [e["reason"] for e in customer["auditEntries"]]
    merged_away = (await execute(resolved, CUSTOMER, {"id": lucas}))["customer"]
    assert merged_away["id"] == amelie
    assert [e["reason"] for e in merged_away["auditEntries"]] == [
        "same phone and birth date",
        "not brothers",
        "brothers",
    ]


async def test_audit_log_is_for_admins_and_checks_its_cursor(resolved: Hub) -> None:
    for viewer, variables, code in (
        (AGENT, {}, "PERMISSION_DENIED"),
        (ADMIN, {"after": "not-a-cursor"}, "INVALID_CURSOR"),
        (ADMIN, {"subject": "nocolon"}, "INVALID_INPUT"),
    ):
        result = await schema.execute(
            LOG,
            variable_values=variables,
            context_value=HubContext(sessions=resolved.sessions, viewer=viewer, hub=resolved),
        )
        assert result.errors is not None
        assert result.errors[0].extensions == {"code": code}
