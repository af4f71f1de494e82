"""A page of the customer's timeline as the template reads it: one line per activity or
identity decision, each saying what happened with a message of the catalogue and its values.

The schema pages the timeline (``timeline(first, after)``); the page shows one page and a
"show more" link to the next, which the browser follows without script (a whole page) or, with
script, fetches as rows to add (``/console/customers/<id>/timeline``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hub.console.formats import short_time

AUTOMATIC = "auto"
"""``decidedBy`` of identity resolution's own merges and splits."""


@dataclass(frozen=True)
class TimelineLine:
    at: str
    """``""`` for an activity whose source gives no time."""
    kind: str
    """An activity kind (``order``…) or ``decision``: the row's style and icon."""
    message: str
    """The catalogue id that says what happened; ``values`` fill it in."""
    values: dict[str, str] = field(default_factory=dict)
    amount: str | None = None
    status: str | None = None
    source: str | None = None
    """The connector instance of an activity."""
    decided_by: str | None = None
    """Who made an identity decision: ``auto`` for identity resolution, else the key's name."""
    reason: str | None = None
    other_profile: str | None = None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _formatted(node: Mapping[str, Any], key: str) -> str | None:
    """An amount as the schema wrote it for the page's language, or None without one."""
    money = node.get(key)
    return money["formatted"] if money else None


def _activity_line(at: str, node: Mapping[str, Any]) -> TimelineLine:
    kind = node["kind"].lower()
    common: dict[str, Any] = {"at": at, "kind": kind, "source": node["connector"]}
    match kind:
        case "order":
            return TimelineLine(
                **common,
                message="timeline.order",
                values={"number": _text(node.get("number") or node["sourceId"])},
                amount=_formatted(node, "total"),
                status=node.get("status"),
            )
        case "receipt":
            return TimelineLine(
                **common,
                message="timeline.receipt",
                values={"store": _text(node.get("store"))},
                amount=_formatted(node, "total"),
            )
        case "subscription":
            return TimelineLine(
                **common,
                message="timeline.subscription",
                values={"product": _text(node.get("product"))},
                status=_text(node.get("signatureStatus")).lower() or None,
            )
        case "partner_product":
            return TimelineLine(
                **common,
                message="timeline.partner_product",
                values={
                    "product": _text(node.get("productName")),
                    "partner": _text(node.get("partner")),
                },
                amount=_formatted(node, "premium"),
                status=node.get("status"),
            )
        case "consent":
            return TimelineLine(
                **common,
                message="timeline.consent",
                values={
                    "channel": _text(node.get("channel")),
                    "purpose": _text(node.get("purpose")),
                },
                status=_text(node.get("state")).lower() or None,
            )
        case _:
            return TimelineLine(
                **common,
                message="timeline.event",
                values={"name": _text(node.get("name") or node["sourceId"])},
            )


def _decision_line(at: str, decision: Mapping[str, Any], customer_id: str) -> TimelineLine:
    # The decision names two profiles; the line names the one that is not this customer.
    sides = (decision["profileId"], decision.get("otherProfileId"))
    other = next((side for side in sides if side and side != customer_id), None)
    return TimelineLine(
        at=at,
        kind="decision",
        message=f"timeline.decision.{decision['kind']}",
        values={"other": _text(other)},
        decided_by=decision["decidedBy"],
        reason=decision.get("reason") or None,
        other_profile=other,
    )


@dataclass(frozen=True)
class TimelinePage:
    lines: list[TimelineLine]
    next_cursor: str | None
    """Where the next page starts; ``None`` on the last page."""

    @classmethod
    def from_data(cls, customer: Mapping[str, Any]) -> TimelinePage:
        timeline = customer["timeline"]
        lines = []
        for edge in timeline["edges"]:
            node = edge["node"]
            at = short_time(node["at"])
            if node["decision"] is not None:
                lines.append(_decision_line(at, node["decision"], customer["id"]))
            elif node["activity"] is not None:
                lines.append(_activity_line(at, node["activity"]))
        info = timeline["pageInfo"]
        return cls(lines=lines, next_cursor=info["endCursor"] if info["hasNextPage"] else None)
