"""A customer's typed activities, current consents and key figures, from stored records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hub.access import Role, Viewer
from hub.records import Activity, ActivityKind
from hub.runtime import Hub
from tests.schema.conftest import ADMIN, ANALYST, execute
from tests.schema.seeding import customer_record, order, store, subscription

ZOE = "zoe.martin@example.com"
MAISON_AGENT = Viewer(name="key:maison-desk", role=Role.AGENT, brands=frozenset({"maison"}))


def at(month: int, day: int = 1) -> datetime:
    return datetime(2026, month, day, 9, 30, tzinfo=UTC)


def consent(source_id: str, when: datetime | None, channel: str, state: str) -> Activity:
    details = {"channel": channel, "purpose": "marketing", "state": state, "source": "web-form"}
    return Activity(ActivityKind.CONSENT, source_id, when, details=details)


SHOP = customer_record(
    "shop-1",
    ZOE,
    "maison",
    [
        order(
            "O-1",
            at(1, 10),
            5990,
            lines=[
                {
                    "sku": "TEE-01",
                    "title": "T-shirt",
                    "quantity": 2,
                    "unit_price_minor": 2000,
                    "total_minor": 4000,
                },
                {"sku": 5, "quantity": "x", "total_minor": "19.90"},
            ],
        ),
        order("O-2", at(2, 1), 1500, lines=["not a line"]),
        subscription("S-1", at(1, 12), "done", signed_at="2026-01-12T10:00:00+00:00"),
        subscription("S-2", at(3, 2), "frobnicated", signed_at="yesterday", expires_at=12),
        consent("email-1", at(1, 1), "email", "granted"),
        consent("email-2", at(2, 15), "email", "denied"),
        consent("sms-1", None, "sms", "granted"),
        Activity(ActivityKind.EVENT, "E-1", None, details={"name": "newsletter_open"}),
        Activity(
            ActivityKind.PARTNER_PRODUCT,
            "P-1",
            at(1, 20),
            1250,
            "EUR",
            {
                "partner": "assur",
                "product_name": "Home",
                "status": "active",
                "start_date": "2025-06-01",
                "end_date": "soon",
            },
        ),
    ],
    first_name="Zoé",
    last_name="Martin",
)
ATELIER = customer_record(
    "till-9",
    ZOE,
    "atelier",
    [
        Activity(
            ActivityKind.RECEIPT,
            "PAR01:2026-03-05:17",
            at(3, 5),
            800,
            "EUR",
            {"store": "PAR01", "loyalty_card": "L-9", "payment": "card", "lines": []},
        ),
        order("A-1", at(3, 6), 2000, currency="GBP"),
    ],
    first_name="Zoé",
    last_name="Martin",
)


@pytest.fixture
async def zoe(hub: Hub) -> str:
    await store(hub, "shop", [SHOP])
    await store(hub, "atelier", [ATELIER])
    data = await execute(
        hub,
        "query ($v: String!) { customerByIdentifier(kind: EMAIL, value: $v) { id } }",
        {"v": ZOE},
        viewer=ADMIN,
    )
    return str(data["customerByIdentifier"]["id"])


CUSTOMER = "query ($id: ID!) { customer(id: $id) { %s } }"


async def test_orders_read_lines_and_leave_odd_details_null(hub: Hub, zoe: str) -> None:
    query = CUSTOMER % (
        "orders { id number status connector occurredAt total { amountMinor currency formatted }"
        " lines { sku title quantity unitPrice { amountMinor } total { amountMinor } }"
        " source { sourceId } }"
    )
    orders = (await execute(hub, query, {"id": zoe}, viewer=ADMIN))["customer"]["orders"]
    assert [o["number"] for o in orders] == ["#A-1", "#O-2", "#O-1"]  # newest first
    first = orders[2]
    assert first["total"] == {"amountMinor": 5990, "currency": "EUR", "formatted": "€59.90"}
    assert first["source"] == {"sourceId": "shop-1"}
    assert first["lines"] == [
        {"sku": "TEE-01", "title": "T-shirt", "quantity": 2.0,
         "unitPrice": {"amountMinor": 2000}, "total": {"amountMinor": 4000}},
        {"sku": "5", "title": None, "quantity": None, "unitPrice": None, "total": None},
    ]  # fmt: skip
    assert orders[1]["lines"] == []  # a line that is not an object is left out


async def test_subscriptions_partner_products_and_events(hub: Hub, zoe: str) -> None:
    query = CUSTOMER % (
        "subscriptions { sourceId product signatureStatus signedAt expiresAt }"
        " partnerProducts { partner productName status startDate endDate"
        " premium { amountMinor } }"
        " activities(kinds: [EVENT]) { edges { node { kind occurredAt ... on Event { name } } } }"
    )
    customer = (await execute(hub, query, {"id": zoe}, viewer=ADMIN))["customer"]
    assert customer["subscriptions"] == [
        {"sourceId": "S-2", "product": "Assurance habitation", "signatureStatus": "UNKNOWN",
         "signedAt": None, "expiresAt": None},
        {"sourceId": "S-1", "product": "Assurance habitation", "signatureStatus": "DONE",
         "signedAt": "2026-01-12T10:00:00+00:00", "expiresAt": None},
    ]  # fmt: skip
    assert customer["partnerProducts"] == [
        {"partner": "assur", "productName": "Home", "status": "active",
         "startDate": "2025-06-01", "endDate": None, "premium": {"amountMinor": 1250}},
    ]  # fmt: skip
    events = customer["activities"]["edges"]
    assert events == [{"node": {"kind": "EVENT", "occurredAt": None, "name": "newsletter_open"}}]


async def test_consents_give_the_newest_word_per_channel_and_purpose(hub: Hub, zoe: str) -> None:
    query = CUSTOMER % "consents { sourceId channel purpose state givenThrough }"
    consents = (await execute(hub, query, {"id": zoe}, viewer=ADMIN))["customer"]["consents"]
    assert consents == [
        {"sourceId": "email-2", "channel": "email", "purpose": "marketing", "state": "DENIED",
         "givenThrough": "web-form"},
        {"sourceId": "sms-1", "channel": "sms", "purpose": "marketing", "state": "GRANTED",
         "givenThrough": "web-form"},
    ]  # fmt: skip
    history = CUSTOMER % "activities(kinds: [CONSENT]) { edges { node { sourceId } } }"
    edges = (await execute(hub, history, {"id": zoe}, viewer=ADMIN))["customer"]["activities"]
    assert [e["node"]["sourceId"] for e in edges["edges"]] == ["email-2", "email-1", "sms-1"]


SUMMARY = CUSTOMER % (
    "summary { orders receipts activeSubscriptions partnerProducts activePartnerProducts"
    " lastActivityAt lifetimeSpend { brand purchases total { amountMinor currency } } }"
    " receipts { store loyaltyCard total { amountMinor } } lastActivityAt"
)


async def test_summary_adds_up_spend_per_brand_and_currency(hub: Hub, zoe: str) -> None:
    data = await execute(hub, SUMMARY, {"id": zoe}, viewer=ADMIN)
    summary = data["customer"]["summary"]
    assert summary["lifetimeSpend"] == [
        {"brand": "atelier", "purchases": 1, "total": {"amountMinor": 800, "currency": "EUR"}},
        {"brand": "atelier", "purchases": 1, "total": {"amountMinor": 2000, "currency": "GBP"}},
        {"brand": "maison", "purchases": 2, "total": {"amountMinor": 7490, "currency": "EUR"}},
    ]
    assert (summary["orders"], summary["receipts"]) == (3, 1)
    assert (summary["activeSubscriptions"], summary["partnerProducts"]) == (1, 1)
    assert summary["activePartnerProducts"] == 1
    assert summary["lastActivityAt"] == "2026-03-06T09:30:00+00:00"
    assert data["customer"]["lastActivityAt"] == summary["lastActivityAt"]  # one grouped read
    assert data["customer"]["receipts"] == [
        {"store": "PAR01", "loyaltyCard": "L-9", "total": {"amountMinor": 800}}
    ]


async def test_a_brand_scoped_key_sees_nothing_of_another_brand(hub: Hub, zoe: str) -> None:
    data = await execute(hub, SUMMARY, {"id": zoe}, viewer=MAISON_AGENT)
    summary = data["customer"]["summary"]
    assert [s["brand"] for s in summary["lifetimeSpend"]] == ["maison"]
    assert (summary["orders"], summary["receipts"]) == (2, 0)
    assert summary["lastActivityAt"] == "2026-03-02T09:30:00+00:00"
    assert data["customer"]["lastActivityAt"] == summary["lastActivityAt"]  # not atelier's
    assert data["customer"]["receipts"] == []
    timeline = CUSTOMER % "timeline(first: 100) { edges { node { activity { connector } } } }"
    edges = (await execute(hub, timeline, {"id": zoe}, viewer=MAISON_AGENT))["customer"]
    connectors = {e["node"]["activity"]["connector"] for e in edges["timeline"]["edges"]}
    assert connectors == {"shop"}


async def test_match_evidence_is_typed_and_masked_without_personal_data(hub: Hub, zoe: str) -> None:
    query = CUSTOMER % (
        "sourceRecords { id sourceId link { rule evidence"
        " match { rule outcome score decidedBy matchedRecordId"
        " fields { field level weight left right } } } }"
    )
    for viewer, masked in ((ADMIN, False), (ANALYST, True)):
        records = (await execute(hub, query, {"id": zoe}, viewer=viewer))["customer"]
        linked = next(r for r in records["sourceRecords"] if r["link"]["evidence"])
        match = linked["link"]["match"]
        assert match["rule"] == linked["link"]["rule"] and match["decidedBy"] == "auto"
        assert match["score"] == linked["link"]["evidence"]["score"]
        # The record it was matched with is the profile's other record (Zoé has two).
        (other,) = [r["id"] for r in records["sourceRecords"] if r is not linked]
        assert match["matchedRecordId"] == other
        first = next(r for r in records["sourceRecords"] if not r["link"]["evidence"])
        assert first["link"]["match"]["matchedRecordId"] is None
        email = next(f for f in match["fields"] if f["field"] == "email")
        assert email["level"] and isinstance(email["weight"], float)
        assert (email["left"] is None) is masked
