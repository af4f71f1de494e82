"""Test data written through the store's real write path: upsert, then identity resolution."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from hub.identity.pipeline import resolve
from hub.records import Activity, ActivityKind, Identifier, IdentifierKind, SourceRecord
from hub.runtime import Hub
from hub.store.records import upsert_records


async def store(hub: Hub, connector: str, records: Sequence[SourceRecord]) -> None:
    """Store ``records`` as a sync of ``connector`` would, then resolve them into profiles."""
    async with hub.sessions() as session:
        await upsert_records(session, connector, records)
        await session.commit()
    await resolve(hub.sessions, hub.config.resolution)


def order(
    source_id: str,
    when: datetime,
    amount_minor: int,
    *,
    currency: str = "EUR",
    lines: Sequence[dict[str, object]] = (),
    **details: object,
) -> Activity:
    return Activity(
        ActivityKind.ORDER,
        source_id,
        when,
        amount_minor,
        currency,
        {"number": f"#{source_id}", "status": "paid", "lines": list(lines), **details},
    )


def subscription(source_id: str, when: datetime, status: str, **details: object) -> Activity:
    return Activity(
        ActivityKind.SUBSCRIPTION,
        source_id,
        when,
        details={"product": "Assurance habitation", "status": status, **details},
    )


def customer_record(
    source_id: str,
    email: str,
    brand: str,
    activities: Sequence[Activity] = (),
    updated_at: datetime | None = None,
    **person: str,
) -> SourceRecord:
    """A customer of a shop with its e-mail (the key identity resolution merges on)."""
    return SourceRecord(
        entity="customer",
        source_id=source_id,
        payload={"id": source_id, "email": email},
        updated_at=updated_at,
        person={"email": email, "brand": brand, **person},
        identifiers=(Identifier(IdentifierKind.EMAIL, email),),
        activities=tuple(activities),
    )
