"""A customer's history as cursor pages: its activities, and the timeline that interleaves them
with the identity decisions (merges, splits…) that shaped the profile; newest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import strawberry

from hub.store.profile_batches import ActivityFacts, DecisionFacts
from schema.activities.types import Activity, activity
from schema.errors import InvalidCursor
from schema.identities.types import IdentityDecision
from schema.loaders import ProfileLoaders
from schema.pagination import Page, PageInfo, decode_cursor, page_after

_NO_TIME = datetime.min.replace(tzinfo=UTC)
ACTIVITY, DECISION = "activity", "decision"


@strawberry.type(description="One moment of a customer's history: an activity or a decision.")
class TimelineEntry:
    at: datetime | None = strawberry.field(description="Null for an activity of unknown time.")
    activity: Activity | None
    decision: IdentityDecision | None = strawberry.field(
        description="A merge, split, never-merge or undo naming this customer."
    )


@dataclass(frozen=True)
class Dated:
    """An item of a history with what orders it: time (undated last), then kind and id, so
    that items of the same moment keep one order from page to page."""

    at: datetime | None
    tag: str
    id: int
    node: Any

    def sort_key(self) -> tuple[bool, datetime, str, int]:
        return (self.at is not None, self.at or _NO_TIME, self.tag, self.id)

    def cursor_key(self) -> list[Any]:
        return [None if self.at is None else self.at.isoformat(), self.tag, self.id]


def _parse(key: list[Any]) -> tuple[bool, datetime, str, int]:
    try:
        at, tag, item_id = key
        moment = _NO_TIME if at is None else datetime.fromisoformat(at)
        if not isinstance(tag, str) or not isinstance(item_id, int):
            raise ValueError(key)
    except (TypeError, ValueError):
        raise InvalidCursor(f"after: {key!r} is not a cursor of this list") from None
    return (at is not None, moment, tag, item_id)


def dated_activities(facts: Iterable[ActivityFacts], loaders: ProfileLoaders) -> list[Dated]:
    dated = []
    for row in facts:
        typed = activity(row, loaders)
        if typed is not None:
            dated.append(Dated(row.occurred_at, ACTIVITY, row.id, typed))
    return dated


def dated_decisions(facts: Iterable[DecisionFacts]) -> list[Dated]:
    return [
        Dated(row.decided_at, DECISION, row.id, IdentityDecision.from_row(row)) for row in facts
    ]


def _entry(item: Dated) -> TimelineEntry:
    if isinstance(item.node, IdentityDecision):
        return TimelineEntry(at=item.at, activity=None, decision=item.node)
    return TimelineEntry(at=item.at, activity=item.node, decision=None)


@strawberry.type
class ActivityEdge:
    cursor: str
    node: Activity


@strawberry.type(description="Activities, newest first (those without a time last).")
class ActivityConnection:
    edges: list[ActivityEdge]
    page_info: PageInfo


@strawberry.type
class TimelineEdge:
    cursor: str
    node: TimelineEntry


@strawberry.type(description="Activities and identity decisions, newest first.")
class TimelineConnection:
    edges: list[TimelineEdge]
    page_info: PageInfo


def _page(items: list[Dated], kind: str, first: int, after: str | None) -> Page[Dated]:
    ordered = sorted(items, key=Dated.sort_key, reverse=True)
    key = decode_cursor(kind, after)
    return page_after(ordered, Dated.sort_key, Dated.cursor_key, kind, first, key, _parse)


def activity_page(items: list[Dated], first: int, after: str | None) -> ActivityConnection:
    page = _page(items, "activities", first, after)
    return ActivityConnection(
        edges=[ActivityEdge(cursor=cursor, node=item.node) for cursor, item in page.items],
        page_info=page.page_info,
    )


def timeline_page(items: list[Dated], first: int, after: str | None) -> TimelineConnection:
    page = _page(items, "timeline", first, after)
    return TimelineConnection(
        edges=[TimelineEdge(cursor=cursor, node=_entry(item)) for cursor, item in page.items],
        page_info=page.page_info,
    )
