"""Stored source records read as :class:`PersonRecord`\\ s, the resolver's input.

Person fields come from what the connector read (``source_record.person``); e-mails, phones,
loyalty cards and reference ids come from the record's identifiers as sent (raw values: the
resolver normalises them itself, with the record's country as the phone region). Records are read
in chunks of ids so a base of millions never sits in one result set.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.identity.model import PersonRecord
from hub.records import IdentifierKind
from hub.store.consents import HUB_CONNECTOR
from hub.store.models import IdentifierRow, SourceRecordRow

CHUNK = 5000

_REFERENCE_KINDS = (IdentifierKind.SOURCE_CUSTOMER_ID.value, IdentifierKind.CROSS_REFERENCE.value)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def person_record(
    record_id: int,
    connector: str,
    person: Mapping[str, Any],
    identifiers: Sequence[tuple[str, str]],
) -> PersonRecord:
    """One record's resolver input from its person fields and ``(kind, raw value)`` pairs."""

    def of(kind: IdentifierKind | tuple[str, ...]) -> list[str]:
        kinds = kind if isinstance(kind, tuple) else (kind.value,)
        return [raw for k, raw in identifiers if k in kinds]

    return PersonRecord(
        record_id=record_id,
        source=connector,
        first_name=_text(person.get("first_name")),
        last_name=_text(person.get("last_name")),
        birth_date=_text(person.get("birth_date")),
        emails=_unique([_text(person.get("email")), *of(IdentifierKind.EMAIL)]),
        phones=_unique([_text(person.get("phone")), *of(IdentifierKind.PHONE)]),
        street=_text(person.get("street")),
        postcode=_text(person.get("postcode")),
        city=_text(person.get("city")),
        country=_text(person.get("country")),
        brand=_text(person.get("brand")),
        loyalty_cards=_unique(of(IdentifierKind.LOYALTY_CARD)),
        references=_unique(of(_REFERENCE_KINDS)),
        national_id=_text(person.get("national_id")),
    )


async def read_person_records(
    session: AsyncSession, record_ids: Sequence[int] | None = None
) -> AsyncIterator[list[PersonRecord]]:
    """Chunks of resolver input: every stored record (``None``), or the given ones, by id."""
    last = 0
    wanted = sorted(set(record_ids)) if record_ids is not None else None
    while True:
        query = select(SourceRecordRow.id, SourceRecordRow.connector, SourceRecordRow.person)
        # The hub's own records (consents recorded through the API) are attached to a profile
        # by the hub, never matched: they hold no person to match on.
        query = query.where(SourceRecordRow.connector != HUB_CONNECTOR)
        if wanted is None:
            query = query.where(SourceRecordRow.id > last).order_by(SourceRecordRow.id).limit(CHUNK)
            rows = (await session.execute(query)).all()
        else:
            chunk, wanted = wanted[:CHUNK], wanted[CHUNK:]
            if not chunk:
                return
            rows = (await session.execute(query.where(SourceRecordRow.id.in_(chunk)))).all()
        if not rows:
            if wanted is None:
                return
            continue  # none of this chunk's ids exist (deleted meanwhile); read the next
        ids = [row.id for row in rows]
        found: dict[int, list[tuple[str, str]]] = {}
        identifiers = await session.execute(
            select(IdentifierRow.record_id, IdentifierRow.kind, IdentifierRow.raw_value)
            .where(IdentifierRow.record_id.in_(ids))
            .order_by(IdentifierRow.id)
        )
        for record_id, kind, raw in identifiers:
            found.setdefault(record_id, []).append((kind, raw))
        yield [person_record(r.id, r.connector, r.person, found.get(r.id, [])) for r in rows]
        last = ids[-1]
