"""Amélie Durand's history for the 360 page's tests: receipts from a till export and a partner
holding from a drop file (both synced by their connectors), web-shop orders and subscriptions
written through the store's upsert and resolution, and a consent an agent records over
/graphql. The tests compute what the page must show from these constants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import aiohttp

from hub.records import Activity, ActivityKind
from hub.runtime import Hub
from tests.connectors.pos_receipts_support import row, write_export
from tests.schema.seeding import customer_record, order, store, subscription

AMELIE = "amelie.durand@example.fr"
CARD = "MX-4471-2290"

TILLS_CONFIG = """
[connectors.tills]
type = "pos_receipts"
path = "tills"
brand = "maison"

[connectors.partners]
type = "partner_feed"
path = "partners"
"""


@dataclass(frozen=True)
class TillReceipt:
    ticket: str
    day: str
    """As the tills write it: dd/mm/yyyy, Paris time."""
    time: str
    email: str
    lines: tuple[tuple[str, int, str], ...]
    """(title, quantity, unit price with a decimal comma)."""

    @property
    def total_minor(self) -> int:
        return sum(qty * int(Decimal(unit.replace(",", ".")) * 100) for _, qty, unit in self.lines)


RECEIPTS = (
    TillReceipt("101", "14/10/2026", "10:15", "", (("T-shirt coton bio", 2, "19,90"),
                                                    ("Écharpe laine", 1, "15,00"))),
    TillReceipt("207", "02/11/2026", "17:40", "", (("Chaussettes", 1, "12,50"),)),
)  # fmt: skip
"""Amélie's receipts at the maison tills, shown with her loyalty card."""

HOLDING_HEADER = (
    "holding_id,updated_at,email,first_name,last_name,status,amount,currency,start_date,"
    "product_name,consent_marketing,consent_updated_at"
)
HOLDING = (
    "H-1,2026-09-01T08:00:00Z,amelie.durand@example.fr,Amélie,Durand,active,24.90,EUR,"
    "2026-09-01,Assurance habitation,yes,2026-09-01T08:00:00Z"
)
"""A home insurance Amélie holds with the partner assurdom, and her marketing consent there."""
PARTNER = "assurdom"
PARTNER_PRODUCT = "Assurance habitation"

SHOP_ORDERS = (
    ("W-1", datetime(2026, 8, 3, 12, 0, tzinfo=UTC), 8900),
    ("W-2", datetime(2026, 11, 20, 9, 30, tzinfo=UTC), 4550),
    *((f"C-{month}", datetime(2025, month, 10, 8, 0, tzinfo=UTC), 450) for month in range(1, 13)),
)
"""Amélie's orders on the atelier web shop, (number, when, amount in cents, EUR): two, and a
coffee subscription's monthly order, enough for the timeline to need a second page."""
SHOP_SUBSCRIPTIONS = (
    subscription("Y-1", datetime(2026, 7, 1, 9, 0, tzinfo=UTC), "done"),
    subscription("Y-2", datetime(2026, 10, 5, 9, 0, tzinfo=UTC), "declined"),
)
SHOP_CONSENT = Activity(
    ActivityKind.CONSENT,
    "sms-1",
    datetime(2026, 8, 3, 12, 0, tzinfo=UTC),
    details={"channel": "sms", "purpose": "marketing", "state": "granted", "source": "checkout"},
)
AMELIE_RECORDS = {"crm": 1, "atelier": 1, "tills": len(RECEIPTS), "partners": 1, "shop": 1,
                  "hub": 1}  # fmt: skip
"""Amélie's source records per connector: each export's, one per receipt, and the record the
hub keeps of the consents recorded through its API."""
RECORDED_CONSENT = {"channel": "email", "purpose": "marketing", "state": "DENIED"}
"""What an agent records over /graphql: Amélie said no to marketing e-mails on the phone."""


def write_history_files(folder: Path) -> None:
    rows = [
        row(r.ticket, n, date=r.day, time=r.time, card=CARD, email=r.email, first="Amélie",
            last="Durand", title=title,
            qty=str(qty), unit=unit, total=f"{qty * Decimal(unit.replace(',', '.')):.2f}"
            .replace(".", ","))
        for r in RECEIPTS
        for n, (title, qty, unit) in enumerate(r.lines, start=1)
    ]  # fmt: skip
    write_export(folder / "tills", "ventes_20261102.csv", rows)
    drop = folder / "partners"
    drop.mkdir()
    (drop / f"{PARTNER}_holdings_20260901T080000Z.csv").write_text(
        f"{HOLDING_HEADER}\n{HOLDING}\n", encoding="utf-8"
    )


async def store_shop_history(hub: Hub) -> None:
    """The web shop's customer record for Amélie, with its orders and subscriptions."""
    orders = [order(number, when, amount) for number, when, amount in SHOP_ORDERS]
    record = customer_record(
        "shop-77",
        AMELIE,
        "atelier",
        [*orders, *SHOP_SUBSCRIPTIONS, SHOP_CONSENT],
        first_name="Amélie",
        last_name="Durand",
    )
    await store(hub, "shop", [record])


RECORD_CONSENT = """
mutation ($customer: ID!, $channel: String!, $purpose: String!, $state: ConsentState!) {
  recordConsent(customer: $customer, channel: $channel, purpose: $purpose, state: $state,
                source: "phone-call", reason: "Said no to marketing e-mails on the phone") {
    __typename
  }
}
"""


async def record_consent(url: str, admin_key: str, customer: str) -> None:
    """An agent's consent change, through /graphql as any application would send it."""
    body = {"query": RECORD_CONSENT, "variables": {"customer": customer, **RECORDED_CONSENT}}
    headers = {"Authorization": f"Bearer {admin_key}"}
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{url}/graphql", json=body, headers=headers) as response,
    ):
        answer = await response.json()
    assert answer["data"]["recordConsent"]["__typename"] == "ConsentRecorded", answer
