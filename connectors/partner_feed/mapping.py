"""A partner holding (the API's JSON object, a webhook's ``data`` or a CSV row) as a record.

The API nests the customer (``{"customer": {"email": …}}``); a CSV row is flat. Both read the
same way: customer fields come from ``customer`` when it is there, else from the item itself.
Every value in a CSV row is text and a blank cell means absent, as a JSON ``null`` does.

One holding is one ``holding`` record with a PARTNER_PRODUCT activity (the premium as its
amount) and, when the partner sent ``consent_marketing``, a CONSENT activity. The person is
tied to other sources by e-mail and phone, and to the partner's other holdings by the
cross-reference ``partner:<partner_id>:<partner_customer_ref>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from connectors.partner_feed.catalog import Catalog
from hub.connector.http_stream import READ_ERRORS
from hub.connector.mapping import (
    RecordError,
    money_minor,
    optional_text,
    parse_date,
    parse_timestamp,
    require_id,
    require_mapping,
)
from hub.records import (
    Activity,
    ActivityKind,
    Identifier,
    IdentifierKind,
    Rejected,
    SourceRecord,
)

ENTITY = "holding"
STATUSES = ("pending", "active", "suspended", "cancelled", "lapsed", "expired")
# What partners write for a yes or a no in consent_marketing, JSON or CSV.
_CONSENT_WORDS = (
    (
        "granted",
        frozenset({"true", "yes", "y", "1", "granted", "opt_in", "opted_in", "subscribed"}),
    ),
    (
        "denied",
        frozenset({"false", "no", "n", "0", "denied", "opt_out", "opted_out", "unsubscribed"}),
    ),
    ("pending", frozenset({"pending"})),
)
_PERSON_KEYS = {
    "first_name": ("first_name",),
    "last_name": ("last_name",),
    "email": ("email",),
    "phone": ("phone",),
    "postcode": ("postal_code", "postcode"),
    "country": ("country",),
}


@dataclass(frozen=True)
class HoldingMapper:
    """Maps holdings of one connector instance.

    ``partner_id`` set: the instance reads one partner's feed, and ``holding_id`` alone is the
    source id. Unset: several partners share the feed, every holding names its partner (or its
    drop file does), and the source id is ``"<partner_id>:<holding_id>"``.
    """

    partner_id: str | None = None
    brand: str | None = None
    country: str | None = None

    def source_id(self, item: Mapping[str, Any], file_partner: str | None = None) -> str:
        holding_id = require_id(item, "holding_id")
        if self.partner_id is not None:
            return holding_id
        return f"{self.partner(item, file_partner)}:{holding_id}"

    def partner(self, item: Mapping[str, Any], file_partner: str | None = None) -> str:
        sent = optional_text(item, "partner_id")
        if sent and file_partner and sent != file_partner:
            raise RecordError(f"partner_id: {sent!r} in a file of partner {file_partner!r}")
        sent = sent or file_partner
        if self.partner_id is None:
            if not sent:
                raise RecordError("partner_id: missing, and this feed is shared by partners")
            return sent
        if sent and sent != self.partner_id:
            raise RecordError(f"partner_id: {sent!r} in the feed of partner {self.partner_id!r}")
        return self.partner_id

    def record(
        self, item: Mapping[str, Any], catalog: Catalog, file_partner: str | None = None
    ) -> SourceRecord:
        source_id = self.source_id(item, file_partner)
        partner = self.partner(item, file_partner)
        updated_at = parse_timestamp(item.get("updated_at"), "updated_at")
        nested = item.get("customer")
        customer = item if nested is None else require_mapping(nested, "customer")
        person = self._person(customer)
        identifiers = [
            Identifier(kind, person[key])
            for key, kind in (("email", IdentifierKind.EMAIL), ("phone", IdentifierKind.PHONE))
            if key in person
        ]
        reference = optional_text(customer, "partner_customer_ref")
        if reference:
            identifiers.append(
                Identifier(IdentifierKind.CROSS_REFERENCE, f"partner:{partner}:{reference}")
            )
        activities = [_product_activity(item, source_id, partner, catalog, updated_at)]
        consent = _consent_activity(item, customer, partner, updated_at)
        if consent is not None:
            activities.append(consent)
        return SourceRecord(
            entity=ENTITY,
            source_id=source_id,
            payload=item,
            updated_at=updated_at,
            person=person,
            identifiers=tuple(identifiers),
            activities=tuple(activities),
        )

    def _person(self, customer: Mapping[str, Any]) -> dict[str, str]:
        person: dict[str, str] = {}
        for field_name, keys in _PERSON_KEYS.items():
            value = next(filter(None, (optional_text(customer, key) for key in keys)), None)
            if value:
                person[field_name] = value
        birth_date = optional_text(customer, "birth_date")
        if birth_date:
            parse_date(birth_date, "birth_date")  # refuse 1850 or "31/02/1990"; keep it raw
            person["birth_date"] = birth_date
        for key, default in (("brand", self.brand), ("country", self.country)):
            if default and key not in person:
                person[key] = default
        return person

    def read(
        self,
        items: Iterable[Any],
        catalog: Catalog,
        where: str,
        file_partner: str | None = None,
    ) -> tuple[list[SourceRecord], list[Rejected]]:
        """Map every item; those that cannot be read are rejected with the reason."""
        records: list[SourceRecord] = []
        rejected: list[Rejected] = []
        for item in items:
            try:
                mapping = require_mapping(item, "holding")
                records.append(self.record(mapping, catalog, file_partner))
            except READ_ERRORS as exc:
                reason = f"{where}: {type(exc).__name__}: {exc}"
                rejected.append(self._rejected(item, reason, file_partner))
        return records, rejected

    def _rejected(self, item: Any, reason: str, file_partner: str | None) -> Rejected:
        """Named by the source id the record would have had, as far as it can be read."""
        if not isinstance(item, Mapping):
            return Rejected(None, json.dumps(item, default=str), reason)
        try:
            return Rejected(self.source_id(item, file_partner), item, reason)
        except READ_ERRORS:
            holding_id = item.get("holding_id")
            return Rejected(None if holding_id in (None, "") else str(holding_id), item, reason)


def _product_activity(
    item: Mapping[str, Any],
    source_id: str,
    partner: str,
    catalog: Catalog,
    updated_at: datetime,
) -> Activity:
    status = (optional_text(item, "status") or "").lower()
    if status not in STATUSES:
        sent = item.get("status")
        raise RecordError(f"status: {sent!r} is not one of {', '.join(STATUSES)}")
    amount, currency = item.get("amount"), item.get("currency")
    amount_minor: int | None = None
    code: str | None = None
    if not (_blank(amount) and _blank(currency)):  # a holding without a premium is allowed
        amount_minor, code = money_minor(amount, currency, "amount")
    start = _holding_date(item, "start_date")
    end = _holding_date(item, "end_date")
    product_id = optional_text(item, "product_id")
    product = catalog.lookup(partner, product_id)
    details = {
        "partner": partner,
        "product_id": product_id,
        "product_name": optional_text(item, "product_name") or (product and product.name),
        "product_category": optional_text(item, "product_category")
        or (product and product.category),
        "policy_number": optional_text(item, "policy_number")
        or optional_text(item, "contract_ref"),
        "status": status,
        "start_date": start and start.isoformat(),
        "end_date": end and end.isoformat(),
        "frequency": optional_text(item, "frequency"),
        "channel": optional_text(item, "channel"),
    }
    return Activity(
        kind=ActivityKind.PARTNER_PRODUCT,
        source_id=source_id,
        # When the product was taken out; a holding without a start date counts from its update.
        occurred_at=datetime.combine(start, time(), UTC) if start else updated_at,
        amount_minor=amount_minor,
        currency=code,
        details=details,
    )


def _consent_activity(
    item: Mapping[str, Any], customer: Mapping[str, Any], partner: str, updated_at: datetime
) -> Activity | None:
    sent = item.get("consent_marketing", customer.get("consent_marketing"))
    if _blank(sent):
        return None
    text = str(sent).strip().lower()
    state = next((name for name, words in _CONSENT_WORDS if text in words), "unknown")
    changed = item.get("consent_updated_at")
    return Activity(
        kind=ActivityKind.CONSENT,
        source_id="all_marketing",
        # The contract's consent has no date of its own: the holding's update time is when
        # the partner last vouched for it.
        occurred_at=updated_at
        if _blank(changed)
        else parse_timestamp(changed, "consent_updated_at"),
        # The contract's consent_marketing names no channel: it covers them all.
        details={
            "channel": "all",
            "purpose": "marketing",
            "state": state,
            "vendor_state": sent,
            "partner": partner,
        },
    )


def _holding_date(item: Mapping[str, Any], key: str) -> date | None:
    """A date (``2024-06-01``); a timestamp is read as the date it names where it was written."""
    text = optional_text(item, key)
    if text is None:
        return None
    if "T" in text:
        return _local_date(text, key)
    return parse_date(text, key)


def _local_date(text: str, key: str) -> date:
    parse_timestamp(text, key)  # same checks as any timestamp: offset, 1900 to 2100
    return datetime.fromisoformat(text.replace("Z", "+00:00")).date()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
