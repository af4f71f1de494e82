"""The floor's reads of a profile's activities: its orders, subscriptions and the first page of
its timeline, as ``customer_360.graphql`` asks for them.

Two statements, as the hub's loaders make: the activities of the profile's records (newest
first) and the identity decisions naming the profile. The details are read with the hub's own
tolerant readers (:mod:`schema.activities.details`) and the timeline's cursors made by the
hub's encoder, so both answers are the same JSON; what is left out is everything GraphQL adds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from hub.records import ActivityKind
from hub.store.models import ActivityRow, IdentityDecisionRow, LinkRow
from schema.activities.details import mappings, member, moment, number, text
from schema.activities.types import SignatureStatus
from schema.pagination import encode_cursor

activity_t, decision_t, link_t = (
    ActivityRow.__table__, IdentityDecisionRow.__table__, LinkRow.__table__,
)  # fmt: skip
TIMELINE_PAGE = 10
"""The ``first`` of the query's ``timeline``."""
SIGNATURE_STATUSES = frozenset(status.value for status in SignatureStatus)
_NO_TIME = datetime.min.replace(tzinfo=UTC)


def _money(amount_minor: Any, currency: str | None) -> dict[str, Any] | None:
    if amount_minor is None or not currency:
        return None
    return {"amountMinor": amount_minor, "currency": currency}


def _minor(line: Mapping[str, Any], key: str) -> int | None:
    value = line.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _common(row: Any, connectors: Mapping[int, str]) -> dict[str, Any]:
    return {
        "id": str(row.id), "kind": ActivityKind(row.kind).name, "occurredAt": row.occurred_at,
        "connector": connectors[row.record_id], "sourceId": row.source_id,
    }  # fmt: skip


def _order(row: Any, connectors: Mapping[int, str]) -> dict[str, Any]:
    details = row.details if isinstance(row.details, Mapping) else {}
    lines = [
        {
            "sku": text(line, "sku"), "quantity": number(line, "quantity"),
            "unitPrice": _money(_minor(line, "unit_price_minor"), row.currency),
        }
        for line in mappings(details, "lines")
    ]  # fmt: skip
    return {
        **_common(row, connectors), "number": text(details, "number"),
        "status": text(details, "status"), "total": _money(row.amount_minor, row.currency),
        "lines": lines,
    }  # fmt: skip


def _subscription(row: Any, connectors: Mapping[int, str]) -> dict[str, Any]:
    details = row.details if isinstance(row.details, Mapping) else {}
    status = member(details, "status", SIGNATURE_STATUSES) or "unknown"
    return {
        **_common(row, connectors), "product": text(details, "product"),
        "signatureStatus": status.upper(), "signedAt": moment(details, "signed_at"),
    }  # fmt: skip


def _timeline(activities: Sequence[Any], decisions: Sequence[Any]) -> dict[str, Any]:
    """The first page of activities and decisions together, newest first (undated last)."""
    items = [(a.occurred_at, "activity", a.id, a) for a in activities]
    items += [(d.decided_at, "decision", d.id, d) for d in decisions]
    items.sort(key=lambda item: (item[0] is not None, item[0] or _NO_TIME, item[1], item[2]))
    items.reverse()
    edges = []
    for at, tag, item_id, row in items[:TIMELINE_PAGE]:
        cursor = encode_cursor("timeline", None if at is None else at.isoformat(), tag, item_id)
        activity = decision = None
        if tag == "activity":
            activity = {
                "id": str(row.id), "kind": ActivityKind(row.kind).name,
                "occurredAt": row.occurred_at, "sourceId": row.source_id,
            }  # fmt: skip
        else:
            decision = {
                "id": str(row.id), "kind": row.kind, "decidedBy": row.decided_by,
                "decidedAt": row.decided_at,
            }  # fmt: skip
        edges.append(
            {"cursor": cursor, "node": {"at": at, "activity": activity, "decision": decision}}
        )
    page_info = {
        "hasNextPage": len(items) > TIMELINE_PAGE,
        "endCursor": edges[-1]["cursor"] if edges else None,
    }
    return {"edges": edges, "pageInfo": page_info}


async def read_activities(
    connection: AsyncConnection, profile_id: str, connectors: Mapping[int, str]
) -> dict[str, Any]:
    """``orders``, ``subscriptions`` and ``timeline`` of the profile whose records (ids to
    their connector) are ``connectors``."""
    activities = (
        await connection.execute(
            select(activity_t)
            .join(link_t, link_t.c.record_id == activity_t.c.record_id)
            .where(link_t.c.profile_id == profile_id)
            .order_by(activity_t.c.occurred_at.desc().nulls_last(), activity_t.c.id.desc())
        )
    ).all()
    decisions = (
        await connection.execute(
            select(
                decision_t.c.id, decision_t.c.kind, decision_t.c.decided_by, decision_t.c.decided_at
            )
            .where(
                or_(
                    decision_t.c.profile_id == profile_id,
                    decision_t.c.other_profile_id == profile_id,
                )
            )
            .order_by(decision_t.c.decided_at.desc(), decision_t.c.id.desc())
        )
    ).all()
    return {
        "orders": [_order(a, connectors) for a in activities if a.kind == ActivityKind.ORDER],
        "subscriptions": [
            _subscription(a, connectors) for a in activities if a.kind == ActivityKind.SUBSCRIPTION
        ],
        "timeline": _timeline(activities, decisions),
    }
