"""Canonical record types: what a connector yields and the sync engine stores.

A connector knows its vendor's payloads; it turns each one into a :class:`SourceRecord` that keeps
the payload exactly as received and says which person fields, identifiers and activities it holds.
Nothing here knows about the database or about matching rules.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

import orjson


class IdentifierKind(StrEnum):
    """Kinds of identifier a record can carry; identity resolution matches on some of them."""

    EMAIL = "email"
    PHONE = "phone"
    LOYALTY_CARD = "loyalty_card"
    SOURCE_CUSTOMER_ID = "source_customer_id"
    CROSS_REFERENCE = "cross_reference"
    ANONYMOUS_ID = "anonymous_id"


class ActivityKind(StrEnum):
    ORDER = "order"
    RECEIPT = "receipt"
    SUBSCRIPTION = "subscription"
    PARTNER_PRODUCT = "partner_product"
    EVENT = "event"
    CONSENT = "consent"


PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "country",
    "birth_date",
    "brand",
)


# The canonical form is the standard library's: sorted keys, no spaces, UTF-8 as it is, and
# str() for anything else (datetimes). orjson writes the same bytes several times faster, except
# for the floats it prints in another form (0.00001 and 1e-7 where Python writes 1e-05 and
# 1e-07), big integers and keys that are not text: those, rare in any payload, are written by
# the standard library, so a content hash never depends on which encoder wrote the text.
_CANONICAL_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
)
_ORJSON_CANONICAL = (
    orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)
_DIGITS = b"0123456789"


def _has_float_forms_of_orjson_only(encoded: bytes) -> bool:
    """Whether ``encoded`` may hold a float that orjson writes otherwise than Python's repr
    (``0.00001``, ``1e-7``). Substring searches, not a regular expression, which would cost
    more than the encoding: a string holding the same characters only sends its record the
    slow way."""
    if b"0.0000" in encoded:
        return True
    at = encoded.find(b"e-")
    while at != -1:
        if at > 0 and encoded[at - 1] in _DIGITS and encoded[at + 2 : at + 3].isdigit():
            return True
        at = encoded.find(b"e-", at + 2)
    return False


def _canonical_json(value: Any) -> bytes:
    try:
        encoded = orjson.dumps(value, default=str, option=_ORJSON_CANONICAL)
    except TypeError:  # an integer past 64 bits, a key that is not text, a lone surrogate
        return _CANONICAL_ENCODER.encode(value).encode("utf-8")
    if _has_float_forms_of_orjson_only(encoded):
        return _CANONICAL_ENCODER.encode(value).encode("utf-8")
    return encoded


@dataclass(frozen=True)
class Identifier:
    kind: IdentifierKind
    value: str


@dataclass(frozen=True)
class Activity:
    """Something the person did; money is integer minor units plus an ISO 4217 currency."""

    kind: ActivityKind
    source_id: str
    occurred_at: datetime | None = None
    amount_minor: int | None = None
    currency: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceRecord:
    """One record of one source, as received, with what the connector read out of it.

    ``person`` maps names from :data:`PERSON_FIELDS` to the raw values the source sent; values
    are normalised later, beside the raw ones, never in place of them.
    """

    entity: str
    source_id: str
    payload: Mapping[str, Any]
    updated_at: datetime | None = None
    person: Mapping[str, str] = field(default_factory=dict)
    identifiers: tuple[Identifier, ...] = ()
    activities: tuple[Activity, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)
    """Source fields with no canonical place (a CRM's segment, a spreadsheet's notes)."""

    @cached_property
    def canonical_payload(self) -> bytes:
        """The payload as canonical JSON (sorted keys, no spaces) in UTF-8: what the content
        hash and the size limit read."""
        return _canonical_json(self.payload)

    @cached_property
    def canonical_payload_text(self) -> str:
        """:attr:`canonical_payload` as text: what the store keeps."""
        return self.canonical_payload.decode("utf-8")

    def content_hash(self) -> str:
        """SHA-256 of the payload and of what the connector read from it, canonically.

        The mapped part counts too: when a connector's mapping improves, or a value it joins
        from elsewhere (a partner's product catalog) changes, an unchanged payload must still
        update the stored record.
        """
        mapped = [
            self.person,
            [(i.kind.value, i.value) for i in self.identifiers],
            [
                (a.kind.value, a.source_id, a.occurred_at, a.amount_minor, a.currency, a.details)
                for a in self.activities
            ],
            self.attributes,
        ]
        digest = hashlib.sha256(self.canonical_payload)
        digest.update(b"\x00")
        digest.update(_canonical_json(mapped))
        return digest.hexdigest()


@dataclass(frozen=True)
class Rejected:
    """A payload the connector could not read: kept with the reason, never silently dropped."""

    source_id: str | None
    payload: Mapping[str, Any] | str
    reason: str


@dataclass(frozen=True)
class Page:
    """A batch of records and the stream cursor to save with them, in the same transaction.

    ``cursor`` is the position after this page; resuming from it never re-reads a committed
    record. ``None`` means the connector keeps no cursor for this stream.
    """

    records: tuple[SourceRecord, ...]
    cursor: str | None
    rejected: tuple[Rejected, ...] = ()
