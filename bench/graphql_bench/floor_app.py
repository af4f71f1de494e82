"""The floor: one raw Starlette endpoint doing the reads of ``customerByIdentifier`` with
SQLAlchemy Core and answering the JSON the GraphQL query gets, encoded with orjson.

Reads, as the hub's resolver does: the identifier's key (the same :func:`lookup_key`), the
profile holding it (oldest link first), the profile row (following merges), its linked records
with their links, then those records' identifiers, and their activities and the profile's
identity decisions (:mod:`.floor_activities`). What it leaves out and the hub does: the API
key check, GraphQL parsing, validation and execution (type checks, field by field resolution,
masking by permission and brand), the query limits and error coding, and ORM objects.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.records import IdentifierKind
from hub.store.database import create_engine
from hub.store.models import IdentifierRow, LinkRow, ProfileRow, SourceRecordRow
from schema.customers.queries import lookup_key

from .floor_activities import read_activities

profile_t, link_t = ProfileRow.__table__, LinkRow.__table__
record_t, identifier_t = SourceRecordRow.__table__, IdentifierRow.__table__
GOLDEN_COLUMNS = {
    "firstName": "first_name", "lastName": "last_name", "email": "email", "phone": "phone",
    "street": "street", "postcode": "postcode", "city": "city", "country": "country",
    "birthDate": "birth_date", "brand": "brand",
}  # fmt: skip
MAX_MERGE_HOPS = 64


async def read_customer(
    connection: AsyncConnection, kind: IdentifierKind, value: str
) -> dict[str, Any] | None:
    key = lookup_key(kind, value)
    if key is None:
        return None
    profile_id = await connection.scalar(
        select(link_t.c.profile_id)
        .join(identifier_t, identifier_t.c.record_id == link_t.c.record_id)
        .where(identifier_t.c.kind == kind.value, identifier_t.c.normalized_value == key)
        .order_by(link_t.c.linked_at, link_t.c.record_id)
        .limit(1)
    )
    profile = None
    for _ in range(MAX_MERGE_HOPS):
        if profile_id is None:
            return None
        profile = (
            await connection.execute(select(profile_t).where(profile_t.c.id == profile_id))
        ).one_or_none()
        if profile is None or profile.merged_into is None:
            break
        profile_id = profile.merged_into
    if profile is None:
        return None
    records = (
        await connection.execute(
            select(
                record_t, link_t.c.rule, link_t.c.evidence, link_t.c.decided_by, link_t.c.linked_at
            )
            .join(link_t, link_t.c.record_id == record_t.c.id)
            .where(link_t.c.profile_id == profile.id)
            .order_by(record_t.c.id)
        )
    ).all()
    identifiers: dict[int, list[dict[str, Any]]] = {record.id: [] for record in records}
    rows = await connection.execute(
        select(identifier_t)
        .where(identifier_t.c.record_id.in_(list(identifiers)))
        .order_by(identifier_t.c.record_id, identifier_t.c.id)
    )
    for row in rows:
        identifiers[row.record_id].append({
            "kind": IdentifierKind(row.kind).name, "value": row.raw_value,
            "normalizedValue": row.normalized_value, "sourceRecordId": str(row.record_id),
        })  # fmt: skip
    customer = _customer(dict(profile._mapping), records, identifiers)
    customer.update(
        await read_activities(connection, profile.id, {r.id: r.connector for r in records})
    )
    return customer


def _customer(
    profile: Mapping[str, Any], records: Sequence[Any], identifiers: dict[int, list[dict[str, Any]]]
) -> dict[str, Any]:
    golden: dict[str, Any] = profile["golden"]
    customer: dict[str, Any] = {"id": profile["id"]}
    for name, column in GOLDEN_COLUMNS.items():
        entry = golden.get(column)
        customer[name] = None if entry is None else str(entry["value"])
    customer["goldenFields"] = [
        {
            "name": name, "value": str(entry["value"]), "sourceRecordId": str(entry["record_id"]),
            "rule": entry["rule"], "alternatives": list(entry.get("alternatives", [])),
        }
        for name, entry in golden.items()
    ]  # fmt: skip
    customer["identifiers"] = [i for record in records for i in identifiers[record.id]]
    customer["sourceRecords"] = [
        {
            "id": str(r.id), "connector": r.connector, "entity": r.entity,
            "sourceId": r.source_id, "contentHash": r.content_hash,
            "firstSeenAt": r.first_seen_at, "lastSeenAt": r.last_seen_at,
            "sourceUpdatedAt": r.source_updated_at, "payload": r.payload,
            "identifiers": identifiers[r.id],
            "link": {
                "rule": r.rule, "evidence": r.evidence, "decidedBy": r.decided_by,
                "linkedAt": r.linked_at,
            },
        }
        for r in records
    ]  # fmt: skip
    customer["createdAt"] = profile["created_at"]
    customer["updatedAt"] = profile["updated_at"]
    return customer


def create_floor_app(url: URL) -> Starlette:
    """``GET /customer?kind=EMAIL&value=…``: ``{"data": {"customerByIdentifier": …}}``."""
    engine = create_engine(url)

    async def customer(request: Request) -> Response:
        params = request.query_params
        try:
            kind = IdentifierKind[params["kind"]]
            value = params["value"]
        except KeyError:
            return Response(b'{"error": "kind and value are required"}', status_code=400)
        async with engine.connect() as connection:
            found = await read_customer(connection, kind, value)
        body = orjson.dumps({"data": {"customerByIdentifier": found}})
        return Response(body, media_type="application/json")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    return Starlette(routes=[Route("/customer", customer)], lifespan=lifespan)
