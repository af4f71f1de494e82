"""A receipt's rows → one canonical receipt record, or the reason it is refused.

Every cell of every row is read before the record is made: one bad cell (an amount
``"12,9x"``, a date ``"31/02/2026"``) refuses the whole receipt, naming the file, the line and
the column, so that a receipt is never stored with a line missing or a wrong total.

A receipt's source id is ``store:yyyy-mm-dd:number`` (its local business date): tills that
number tickets per day reuse numbers, and a later day's ticket must not replace an earlier one.
A refused receipt is quarantined as ``{"rows": [{"file", "line", "cells"}]}``, each row's cells
as received (column header → text), which :func:`rows_of_payload` reads back for a replay.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from connectors.pos_receipts.formats import (
    amount_minor,
    aware,
    clock_time,
    date_and_time,
    is_yes,
    quantity,
)
from connectors.pos_receipts.grouping import Group, LineRow
from hub.connector.mapping import RecordError, currency_code
from hub.records import (
    PERSON_FIELDS,
    Activity,
    ActivityKind,
    Identifier,
    IdentifierKind,
    Rejected,
    SourceRecord,
)

T = TypeVar("T")
_IDENTIFIER_FIELDS = {"email": IdentifierKind.EMAIL, "phone": IdentifierKind.PHONE}


@dataclass(frozen=True)
class ReceiptContext:
    """What reading a receipt needs from the instance's settings."""

    instance: str
    zone: ZoneInfo
    currency: str
    brand: str | None
    country: str | None
    guest_cards: frozenset[str]


def read_group(group: Group, context: ReceiptContext) -> SourceRecord | Rejected:
    """The receipt record of ``group``, or the group as refused with its reason."""
    if group.problem is not None:
        payload = quarantine_payload(group.rows) if group.rows else group.raw
        return Rejected(group.source_id, payload, group.problem)
    try:
        return receipt_record(group, context)
    except RecordError as exc:
        return Rejected(group.source_id, quarantine_payload(group.in_file_order()), str(exc))


def _payload(rows: Sequence[LineRow]) -> dict[str, Any]:
    return {"rows": [row.as_received() for row in rows]}


def quarantine_payload(rows: Sequence[LineRow]) -> dict[str, Any]:
    """Refused rows with where they were read, so that a replay can group and map them again."""
    return {
        "rows": [
            {"file": row.file.name, "line": row.line, "cells": row.as_received()} for row in rows
        ]
    }


def rows_of_payload(text: str) -> list[tuple[str, int, dict[str, str]]]:
    """(file, line, cells) of each row of a :func:`quarantine_payload`. Payloads quarantined
    before rows kept their file and line (plain ``{"rows": [cells]}``) read as lines 1, 2…"""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not (isinstance(data, dict) and isinstance(data.get("rows"), list) and data["rows"]):
        raise ValueError(
            "only receipts whose rows were read can be replayed; fix the export file instead"
        )
    rows = []
    for number, item in enumerate(data["rows"], start=1):
        if "cells" in item:
            rows.append((str(item["file"]), int(item["line"]), dict(item["cells"])))
        else:
            rows.append(("quarantined receipt", number, dict(item)))
    return rows


def _cell(row: LineRow, fields: dict[str, str], name: str, read: Callable[[str], T]) -> T:
    try:
        return read(fields[name])
    except RecordError as exc:
        raise RecordError(f"{row.where} column {row.header_of(name)!r}: {exc}") from None


def _amount(row: LineRow, fields: dict[str, str], name: str, currency: str) -> int:
    return _cell(row, fields, name, lambda text: amount_minor(text, currency))


def _first_values(rows_fields: Sequence[dict[str, str]]) -> dict[str, str]:
    """Each field's first non-blank value over the rows: receipt-level cells (card, register,
    customer) repeat on every row, or are written on the first one only."""
    first: dict[str, str] = {}
    for fields in rows_fields:
        for name, value in fields.items():
            if value and name not in first:
                first[name] = value
    return first


@lru_cache(maxsize=64)
def _known_currency(text: str) -> str:
    return currency_code(text)


def receipt_record(group: Group, context: ReceiptContext) -> SourceRecord:
    """The receipt of a group of rows of one store, business date and number."""
    rows = group.export_order()
    rows_fields = [row.fields() for row in rows]
    occurred_at: datetime | None = None
    currency: str | None = None
    lines: list[dict[str, Any]] = []
    stated_total: tuple[LineRow, str, int] | None = None
    for row, fields in zip(rows, rows_fields, strict=True):
        when = _when(row, fields, context.zone)
        if occurred_at is None:
            occurred_at = when
        row_currency = _currency(row, fields, context.currency)
        if currency is not None and row_currency != currency:
            header = row.header_of("currency")
            raise RecordError(f"{row.where} column {header!r}: {row_currency} after {currency}")
        currency = row_currency
        lines.append(_line(row, fields, currency))
        if stated_total is None and fields.get("receipt_total"):
            total = _amount(row, fields, "receipt_total", currency)
            stated_total = (row, fields["receipt_total"], total)
    if occurred_at is None or currency is None:
        head = rows[0]
        raise RecordError(f"{head.where} column {head.header_of('date')!r}: no date")
    amount = sum(line["total_minor"] for line in lines)
    if stated_total is not None:
        _check_total(stated_total, amount, currency, all(line["total_minor"] < 0 for line in lines))
    source_id = f"{group.store}:{group.day}:{group.receipt}"
    first = _first_values(rows_fields)
    card = first.get("loyalty_card")
    if card in context.guest_cards:
        card = None
    details = {
        "store": group.store,
        "register": first.get("register"),
        "loyalty_card": card,
        "lines": lines,
        "payment": " + ".join(dict.fromkeys(f["payment"] for f in rows_fields if f.get("payment")))
        or None,
    }
    person, identifiers = _customer(first, card, context)
    return SourceRecord(
        entity="receipt",
        source_id=source_id,
        payload=_payload(rows),
        updated_at=occurred_at,  # a receipt is written once, at the till: its time is its version
        person=person,
        identifiers=identifiers,
        activities=(
            Activity(ActivityKind.RECEIPT, source_id, occurred_at, amount, currency, details),
        ),
    )


def _when(row: LineRow, fields: dict[str, str], zone: ZoneInfo) -> datetime | None:
    if not fields["date"]:
        return None  # some back offices write the date on a receipt's first row only
    day, clock = _cell(row, fields, "date", date_and_time)
    if clock is None and fields.get("time"):
        clock = _cell(row, fields, "time", clock_time)
    return aware(day, clock, zone)


def _currency(row: LineRow, fields: dict[str, str], default: str) -> str:
    if not fields.get("currency"):
        return default
    return _cell(row, fields, "currency", _known_currency)


def _line(row: LineRow, fields: dict[str, str], currency: str) -> dict[str, Any]:
    count = _cell(row, fields, "quantity", quantity) if fields.get("quantity") else 1
    unit_price = None
    if fields.get("unit_price"):
        unit_price = _amount(row, fields, "unit_price", currency)
    if fields.get("line_total"):
        total = _amount(row, fields, "line_total", currency)
    elif unit_price is not None:
        product = Decimal(str(count)) * unit_price
        if product != product.to_integral_value():
            header = row.header_of("unit_price")
            raise RecordError(
                f"{row.where} column {header!r}: quantity times price is not in whole minor units"
            )
        total = int(product)
    else:
        name = "line_total" if "line_total" in row.file.columns else "unit_price"
        raise RecordError(f"{row.where} column {row.header_of(name)!r}: no amount")
    # A return is written as a negative quantity, a negative amount or a refund flag (with
    # positive figures): whichever way, its quantity and total come out negative.
    if is_yes(fields.get("refund", "")) or count < 0 or total < 0:
        count, total = -abs(count), -abs(total)
    return {
        "sku": fields.get("sku") or None,
        "title": fields.get("title") or None,
        "quantity": count,
        "unit_price_minor": None if unit_price is None else abs(unit_price),
        "total_minor": total,
    }


def _check_total(
    stated: tuple[LineRow, str, int], amount: int, currency: str, all_returned: bool
) -> None:
    row, text, total = stated
    if total == amount or (all_returned and total == -amount):
        return
    raise RecordError(
        f"{row.where} column {row.header_of('receipt_total')!r}: the receipt total {text!r} "
        f"({total} minor units of {currency}) does not match the sum of its line totals "
        f"({amount} minor units)"
    )


def _customer(
    first: dict[str, str], card: str | None, context: ReceiptContext
) -> tuple[dict[str, str], tuple[Identifier, ...]]:
    """Who the receipt is for: nobody on an anonymous ticket or a store guest card."""
    identifiers: list[Identifier] = []
    if card:
        identifiers.append(Identifier(IdentifierKind.LOYALTY_CARD, card))
    if customer_id := first.get("customer_id"):
        identifiers.append(
            Identifier(IdentifierKind.SOURCE_CUSTOMER_ID, f"{context.instance}:{customer_id}")
        )
    person: dict[str, str] = {}
    for name in PERSON_FIELDS:
        if value := first.get(name):
            person[name] = value
            if name in _IDENTIFIER_FIELDS:
                identifiers.append(Identifier(_IDENTIFIER_FIELDS[name], value))
    if identifiers or person:
        for name, default in (("brand", context.brand), ("country", context.country)):
            if default and name not in person:
                person[name] = default
    return person, tuple(identifiers)
