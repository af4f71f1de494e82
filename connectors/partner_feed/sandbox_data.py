"""Seeded data of the partner feed sandbox: three partners, their catalogs, their holdings.

- ``acme-assur``, a home insurer (catalog in French, Italian and Spanish),
- ``banco-sol``, a bank selling savings products (Spanish and French),
- ``telco-nord``, a mobile operator (German plans in EUR, British ones in GBP).

Holdings go to a fifth of the shared population (``population.sample(0.2, "partner")``), one to
three each among the products sold in the person's country, each partner spelling people its
own way. Holding ids restart at ``H-000001`` for every partner, as they would in three separate
systems: only ``partner_id`` tells them apart in a shared feed. A few people were registered
twice by the same partner (a second customer ref, spelled differently): duplicates within
the source.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hub.sandbox import Person, Population, SourceSpelling

SPELLING = SourceSpelling(
    upper_last_name=0.25, national_phone=0.2, missing_phone=0.15, missing_email=0.08, typo=0.03
)
SHARE = 0.2
SALT = "partner"
# Seeded timestamps stay in this window, well before any change made while a test runs.
EPOCH = datetime(2021, 1, 1, tzinfo=UTC)
SEED_END = datetime(2025, 6, 30, tzinfo=UTC)
CATALOG_PUBLISHED = datetime(2024, 1, 15, 8, 0, tzinfo=UTC)

STATUS_WEIGHTS = {
    "active": 60,
    "pending": 8,
    "suspended": 5,
    "cancelled": 12,
    "lapsed": 7,
    "expired": 8,
}
TERMINAL = frozenset({"cancelled", "lapsed", "expired"})
CHANNELS = ("web", "agency", "phone", "app")


@dataclass(frozen=True)
class PartnerProduct:
    product_id: str
    name: str
    category: str
    language: str
    price: str
    currency: str
    frequency: str
    countries: tuple[str, ...]


@dataclass(frozen=True)
class Partner:
    partner_id: str
    label: str
    customer_prefix: str
    policy_prefix: str
    products: tuple[PartnerProduct, ...]


PARTNERS = (
    Partner(
        "acme-assur",
        "ACME Assurances",
        "AC",
        "PN",
        (
            PartnerProduct(
                "HOME-BASIC",
                "Assurance Habitation Essentielle",
                "Assurance habitation",
                "fr",
                "12.90",
                "EUR",
                "monthly",
                ("FR",),
            ),
            PartnerProduct(
                "HOME-PLUS",
                "Assurance Habitation Confort+",
                "Assurance habitation",
                "fr",
                "24.50",
                "EUR",
                "monthly",
                ("FR",),
            ),
            PartnerProduct(
                "CASA-BASE",
                "Assicurazione Casa Base",
                "Assicurazione casa",
                "it",
                "149.00",
                "EUR",
                "yearly",
                ("IT",),
            ),
            PartnerProduct(
                "HOGAR-BASICO",
                "Seguro Hogar Básico",
                "Seguro de hogar",
                "es",
                "11.75",
                "EUR",
                "monthly",
                ("ES",),
            ),
        ),
    ),
    Partner(
        "banco-sol",
        "Banco Sol",
        "BS",
        "ES-CTR",
        (
            PartnerProduct(
                "AHORRO-SOL",
                "Cuenta Ahorro Sol",
                "Ahorro",
                "es",
                "50.00",
                "EUR",
                "monthly",
                ("ES",),
            ),
            PartnerProduct(
                "DEPOSITO-12M",
                "Depósito Sol 12 meses",
                "Depósitos",
                "es",
                "1000.00",
                "EUR",
                "once",
                ("ES", "IT"),
            ),
            PartnerProduct(
                "LIVRET-SOL",
                "Livret Épargne Sol",
                "Épargne",
                "fr",
                "25.00",
                "EUR",
                "monthly",
                ("FR",),
            ),
        ),
    ),
    Partner(
        "telco-nord",
        "Telco Nord",
        "TN",
        "MV",
        (
            PartnerProduct(
                "MOBIL-S",
                "Mobilfunk Tarif S (5 GB)",
                "Mobilfunk",
                "de",
                "9.99",
                "EUR",
                "monthly",
                ("DE",),
            ),
            PartnerProduct(
                "MOBIL-L",
                "Mobilfunk Tarif L (50 GB)",
                "Mobilfunk",
                "de",
                "24.99",
                "EUR",
                "monthly",
                ("DE",),
            ),
            PartnerProduct(
                "MOBILE-S-UK",
                "Mobile Plan S (5 GB)",
                "Mobile plans",
                "en",
                "8.00",
                "GBP",
                "monthly",
                ("GB",),
            ),
            PartnerProduct(
                "MOBILE-XL-UK",
                "Mobile Plan XL (unlimited data)",
                "Mobile plans",
                "en",
                "20.00",
                "GBP",
                "monthly",
                ("GB",),
            ),
        ),
    ),
)


def product_payload(partner: Partner, product: PartnerProduct) -> dict[str, Any]:
    """A catalog entry as ``GET /v1/products`` serves it (schema.org Product/Offer names)."""
    return {
        "product_id": product.product_id,
        "partner_id": partner.partner_id,
        "sku": f"{partner.customer_prefix}-{product.product_id}",
        "name": product.name,
        "category": product.category,
        "brand": partner.label,
        "language": product.language,
        "price": product.price,
        "currency": product.currency,
        "billing_frequency": product.frequency,
        "valid_from": CATALOG_PUBLISHED.date().isoformat(),
        "valid_to": None,
    }


def timestamp_text(moment: datetime) -> str:
    """``2024-06-01T09:00:00.250Z``: UTC, milliseconds, as the sandbox API writes times."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class HoldingFactory:
    """Draws holdings deterministically; numbering and customer refs continue per partner."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:partner-holdings")
        self.holding_numbers = {partner.partner_id: 0 for partner in PARTNERS}
        self.customer_refs: dict[tuple[str, str], str] = {}

    def for_population(self, population: Population) -> list[tuple[datetime, dict[str, Any]]]:
        holdings: list[tuple[datetime, dict[str, Any]]] = []
        for person in population.sample(SHARE, SALT):
            offers = [
                (partner, product)
                for partner in PARTNERS
                for product in partner.products
                if person.country in product.countries
            ]
            count = self.rng.choices((1, 2, 3), (70, 25, 5))[0]
            for partner, product in self.rng.sample(offers, min(count, len(offers))):
                holdings.append(self.holding(person, partner, product))
        return holdings

    def holding(
        self, person: Person, partner: Partner, product: PartnerProduct
    ) -> tuple[datetime, dict[str, Any]]:
        rng = self.rng
        pid = partner.partner_id
        self.holding_numbers[pid] += 1
        number = self.holding_numbers[pid]
        duplicate = rng.random() < 0.04  # registered again: new ref, spelled anew
        ref = self._customer_ref(person, partner, duplicate)
        spelled = SPELLING.spell(person, f"{SALT}:{pid}:{ref}")
        start = EPOCH.date() + timedelta(days=rng.randrange(0, 1500))
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        end = start + timedelta(days=rng.randrange(60, 400)) if status in TERMINAL else None
        last_event = end or start
        updated_at = min(
            SEED_END,
            datetime.combine(last_event, datetime.min.time(), UTC)
            + timedelta(seconds=rng.randrange(0, 40 * 86400), milliseconds=rng.randrange(1000)),
        )
        customer: dict[str, Any] = {
            "partner_customer_ref": ref,
            "email": spelled.email or None,
            "phone": spelled.phone or None,
            "first_name": spelled.first_name,
            "last_name": spelled.last_name,
        }
        if rng.random() < 0.7:
            customer["birth_date"] = person.birth_date.isoformat()
        if rng.random() < 0.8:
            customer["postal_code"] = person.postcode
        holding: dict[str, Any] = {
            "holding_id": f"H-{number:06d}",
            "partner_id": pid,
            "product_id": product.product_id,
            "policy_number": f"{partner.policy_prefix}-{start.year}-{number:06d}",
            "status": status,
            "start_date": start.isoformat(),
            "end_date": end.isoformat() if end else None,
            "amount": product.price,
            "currency": product.currency,
            "frequency": product.frequency,
            "channel": rng.choice(CHANNELS),
        }
        consent = rng.random()
        if consent < 0.85:
            holding["consent_marketing"] = consent < 0.45
        holding["customer"] = customer
        holding["updated_at"] = timestamp_text(updated_at)
        return updated_at, holding

    def _customer_ref(self, person: Person, partner: Partner, duplicate: bool) -> str:
        key = (partner.partner_id, person.person_id)
        if duplicate or key not in self.customer_refs:
            ref = f"{partner.customer_prefix}{self.rng.randrange(10**7):07d}"
            if duplicate:
                return ref
            self.customer_refs[key] = ref
        return self.customer_refs[key]


CSV_HOLDING_COLUMNS = (
    "holding_id",
    "product_id",
    "policy_number",
    "status",
    "start_date",
    "end_date",
    "amount",
    "currency",
    "frequency",
    "channel",
    "consent_marketing",
    "partner_customer_ref",
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_date",
    "postal_code",
    "updated_at",
)
CSV_PRODUCT_COLUMNS = (
    "product_id",
    "sku",
    "name",
    "category",
    "price",
    "currency",
    "billing_frequency",
    "valid_from",
    "valid_to",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_text(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    """RFC 4180: comma, double quotes where needed, CRLF line ends; nested customer flattened."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        flat = {**row, **(row.get("customer") or {})}
        writer.writerow([_cell(flat.get(column)) for column in columns])
    return out.getvalue()


def drop_file_name(partner: str, feed: str, stamp: datetime, seq: int | None = None) -> str:
    suffix = f"_{seq}" if seq is not None else ""
    return f"{partner}_{feed}_{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}{suffix}.csv"
