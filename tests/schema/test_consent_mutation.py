"""recordConsent: kept as a consent activity of the profile's hub record, attributed to its
author, audited, kept by later resolution runs, and refused without the permission."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from hub.identity.pipeline import resolve
from hub.records import Identifier, IdentifierKind, SourceRecord
from hub.runtime import Hub
from hub.store.consents import HUB_CONNECTOR
from hub.store.models import ActivityRow, ProfileRow
from hub.store.profile_batches import records_of
from hub.store.records import upsert_records
from tests.schema.conftest import ANALYST, APP, audit_rows, execute, links_by_source

RECORD = """
mutation ($c: ID!, $channel: String!, $state: ConsentState!, $reason: String!) {
  recordConsent(customer: $c, channel: $channel, purpose: "marketing", state: $state,
                source: "store-tablet", reason: $reason) {
    __typename
    ... on MutationError { code message }
    ... on InvalidInput { field }
    ... on ConsentRecorded { customerId activityId channel purpose state source recordedBy }
  }
}
"""


async def record(hub: Hub, customer: str, **overrides: Any) -> Any:
    variables = {"c": customer, "channel": "email", "state": "GRANTED", "reason": "asked at till"}
    viewer = overrides.pop("viewer", APP)
    data = await execute(hub, RECORD, {**variables, **overrides}, viewer=viewer)
    return data["recordConsent"]


async def consents_of(hub: Hub, profile_id: str) -> list[dict[str, Any]]:
    async with hub.sessions() as session:
        records = (await records_of(session, [profile_id])).get(profile_id, [])
        ids = [record.id for record in records]
        rows = await session.scalars(
            select(ActivityRow)
            .where(ActivityRow.record_id.in_(ids), ActivityRow.kind == "consent")
            .order_by(ActivityRow.id)
        )
        return [row.details for row in rows]


async def test_consent_is_an_activity_of_the_profile_by_its_author(resolved: Hub) -> None:
    amelie = (await links_by_source(resolved))["crm:A1"].profile_id
    granted = await record(resolved, amelie)
    assert granted["__typename"] == "ConsentRecorded"
    assert (granted["customerId"], granted["state"], granted["recordedBy"]) == (
        amelie,
        "GRANTED",
        APP.name,
    )
    denied = await record(resolved, amelie, state="DENIED", reason="unsubscribed by phone")
    assert denied["__typename"] == "ConsentRecorded"
    consents = await consents_of(resolved, amelie)
    assert [(c["channel"], c["purpose"], c["state"], c["recorded_by"]) for c in consents] == [
        ("email", "marketing", "granted", APP.name),
        ("email", "marketing", "denied", APP.name),
    ]  # the history stays: a withdrawal does not erase the consent before it
    [first, second] = await audit_rows(resolved)
    assert (second.actor, second.action, second.reason) == (
        APP.name,
        "consent.record",
        "unsubscribed by phone",
    )
    assert second.details["state"] == "denied" and first.details["state"] == "granted"


async def test_resolution_keeps_the_hub_record_on_its_profile(resolved: Hub) -> None:
    amelie = (await links_by_source(resolved))["crm:A1"].profile_id
    await record(resolved, amelie)
    async with resolved.sessions() as session:
        profiles = await session.scalar(select(func.count()).select_from(ProfileRow))
    await resolve(resolved.sessions, resolved.config.resolution, full=True)
    links = await links_by_source(resolved)
    assert links[f"{HUB_CONNECTOR}:{amelie}"].profile_id == amelie
    async with resolved.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ProfileRow)) == profiles
    assert len(await consents_of(resolved, amelie)) == 1


async def test_consent_errors(resolved: Hub) -> None:
    amelie = (await links_by_source(resolved))["crm:A1"].profile_id
    missing = await record(resolved, "nobody")
    assert (missing["__typename"], missing["code"]) == ("ProfileNotFound", "PROFILE_NOT_FOUND")
    bad = await record(resolved, amelie, channel="e mail; drop")
    assert (bad["__typename"], bad["field"]) == ("InvalidInput", "channel")
    blank = await record(resolved, amelie, reason=" ")
    assert (blank["__typename"], blank["code"]) == ("InvalidInput", "REASON_REQUIRED")
    refused = await record(resolved, amelie, viewer=ANALYST)
    assert (refused["__typename"], refused["code"]) == ("PermissionDenied", "PERMISSION_DENIED")
    assert await consents_of(resolved, amelie) == []
    assert await audit_rows(resolved) == []


def _shop_record(source_id: str, *identifiers: Identifier) -> SourceRecord:
    return SourceRecord(
        "customer",
        source_id,
        {"id": source_id},
        datetime(2024, 9, 1, tzinfo=UTC),
        {"first_name": "Hélène", "last_name": "Bœuf", "country": "FR"},
        identifiers,
    )


async def test_consents_follow_a_profile_merged_away_automatically(resolved: Hub) -> None:
    phone = Identifier(IdentifierKind.PHONE, "+33 6 98 76 54 32")
    async with resolved.sessions.begin() as session:
        await upsert_records(session, "shop", [_shop_record("H1", phone)])
    await resolve(resolved.sessions, resolved.config.resolution)
    links = await links_by_source(resolved)
    by_phone, by_email = links["shop:H1"].profile_id, links["crm:A2"].profile_id
    assert by_phone != by_email  # nothing joins them yet
    assert (await record(resolved, by_phone))["__typename"] == "ConsentRecorded"

    email = Identifier(IdentifierKind.EMAIL, "helene.boeuf@example.fr")
    async with resolved.sessions.begin() as session:
        await upsert_records(session, "shop", [_shop_record("H2", phone, email)])
    counts = await resolve(resolved.sessions, resolved.config.resolution)
    assert counts.profiles_merged == 1
    links = await links_by_source(resolved)
    survivor = links["shop:H1"].profile_id
    assert survivor == links["crm:A2"].profile_id
    retired = ({by_phone, by_email} - {survivor}).pop()
    assert links[f"{HUB_CONNECTOR}:{by_phone}"].profile_id == survivor
    assert [c["state"] for c in await consents_of(resolved, survivor)] == ["granted"]
    merges = [row for row in await audit_rows(resolved) if row.action == "identity.merge"]
    assert [(m.actor, m.subject_id, m.details["others"]) for m in merges] == [
        ("resolution", survivor, [retired])
    ]
