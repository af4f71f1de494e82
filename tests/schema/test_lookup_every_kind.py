"""customerByIdentifier finds a customer by every kind of identifier, typed the ways people type
it, after the records went through the store and identity resolution.

The table has one entry per IdentifierKind and the test checks it covers the enum: a kind added
later fails here until its lookup is shown to work.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hub.identity.pipeline import resolve
from hub.records import Identifier, IdentifierKind, SourceRecord
from hub.runtime import Hub
from hub.store.records import upsert_records
from tests.schema.conftest import AGENT, execute, links_by_source

LOOKUP = """
query ($kind: IdentifierKind!, $value: String!) {
  customerByIdentifier(kind: $kind, value: $value) { id sourceRecords { sourceId } }
}
"""


@dataclass(frozen=True)
class Person:
    source_id: str
    first_name: str
    last_name: str
    identifiers: dict[IdentifierKind, str]
    """One identifier of each kind, as the source sent it."""

    def record(self) -> SourceRecord:
        email, phone = (
            self.identifiers[IdentifierKind.EMAIL],
            self.identifiers[IdentifierKind.PHONE],
        )
        person = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": email,
            "phone": phone,
            "country": "FR",  # national phone numbers are read in it, as resolution reads them
        }
        return SourceRecord(
            entity="customer",
            source_id=self.source_id,
            payload={"id": self.source_id, **person},
            person=person,
            identifiers=tuple(Identifier(kind, value) for kind, value in self.identifiers.items()),
        )


JEAN = Person("C1", "Jean", "Dupont", {
    IdentifierKind.EMAIL: "J.Dupont+shop@gmail.com",
    IdentifierKind.PHONE: "06 12 34 56 78",
    IdentifierKind.LOYALTY_CARD: "fid-000123",
    IdentifierKind.SOURCE_CUSTOMER_ID: "crm:C1",
    IdentifierKind.CROSS_REFERENCE: "erp:CUST-42",
    IdentifierKind.ANONYMOUS_ID: "device:7f3c9a",
})  # fmt: skip
LUCIE = Person("C2", "Lucie", "Martin", {
    IdentifierKind.EMAIL: "lucie.martin@example.fr",
    IdentifierKind.PHONE: "+33 6 98 76 54 32",
    IdentifierKind.LOYALTY_CARD: "FID-000124",
    IdentifierKind.SOURCE_CUSTOMER_ID: "crm:C2",
    IdentifierKind.CROSS_REFERENCE: "erp:CUST-43",
    IdentifierKind.ANONYMOUS_ID: "device:7f3c9b",
})  # fmt: skip
"""Another customer with a near value of each kind: a lookup must not find her instead."""

TYPED_AS: dict[IdentifierKind, tuple[str, ...]] = {
    # Any case, a +tag, Gmail's dots and its other domain fold as resolution folds them.
    IdentifierKind.EMAIL: (
        "J.Dupont+shop@gmail.com", "JDUPONT@GMAIL.COM", " jdupont+other@gmail.com ",
        "j.dupont@googlemail.com",
    ),
    # National (spaces, dots or none), +E.164 and 00-international.
    IdentifierKind.PHONE: (
        "06 12 34 56 78", "0612345678", "06.12.34.56.78", "+33612345678", "+33 6 12 34 56 78",
        "0033 6 12 34 56 78",
    ),
    # Cards are typed back with spaces or dashes, in any case.
    IdentifierKind.LOYALTY_CARD: ("fid-000123", "FID000123", " FID 000 123 "),
    # References are compared exactly, trimmed: '<connector instance>:<id in that source>'.
    IdentifierKind.SOURCE_CUSTOMER_ID: ("crm:C1", " crm:C1 "),
    IdentifierKind.CROSS_REFERENCE: ("erp:CUST-42",),
    IdentifierKind.ANONYMOUS_ID: ("device:7f3c9a", "device:7f3c9a\n"),
}  # fmt: skip
UNKNOWN: dict[IdentifierKind, str] = {
    IdentifierKind.EMAIL: "jean.dupont@example.fr",
    IdentifierKind.PHONE: "06 12 34 56 79",
    IdentifierKind.LOYALTY_CARD: "FID000125",
    IdentifierKind.SOURCE_CUSTOMER_ID: "shop:C1",
    IdentifierKind.CROSS_REFERENCE: "erp:cust-42",
    IdentifierKind.ANONYMOUS_ID: "device:7F3C9A",
}
"""A value of each kind that is nobody's (references are case-sensitive)."""


def test_every_identifier_kind_has_lookups() -> None:
    assert set(TYPED_AS) == set(IdentifierKind) == set(UNKNOWN) == set(JEAN.identifiers)


@pytest.fixture
async def stored(hub: Hub) -> dict[str, str]:
    """Jean and Lucie written as a sync writes records, then resolved: their profile ids."""
    async with hub.sessions.begin() as session:
        counts = await upsert_records(session, "crm", [JEAN.record(), LUCIE.record()])
    assert counts.inserted == 2
    await resolve(hub.sessions, hub.config.resolution)
    links = await links_by_source(hub)
    profiles = {person.source_id: links[f"crm:{person.source_id}"].profile_id
                for person in (JEAN, LUCIE)}  # fmt: skip
    assert profiles["C1"] != profiles["C2"]
    return profiles


async def lookup(hub: Hub, kind: IdentifierKind, value: str) -> str | None:
    variables = {"kind": kind.name, "value": value}
    found = (await execute(hub, LOOKUP, variables, AGENT))["customerByIdentifier"]
    return None if found is None else str(found["id"])


@pytest.mark.parametrize("kind", list(IdentifierKind), ids=lambda kind: kind.name)
async def test_lookup_by_every_kind_finds_the_customer(
    hub: Hub, stored: dict[str, str], kind: IdentifierKind
) -> None:
    for typed in TYPED_AS[kind]:
        assert await lookup(hub, kind, typed) == stored["C1"], typed
    assert await lookup(hub, kind, LUCIE.identifiers[kind]) == stored["C2"]
    assert await lookup(hub, kind, UNKNOWN[kind]) is None
