"""Relay-style connections shared by every paged list: ``edges { cursor node } pageInfo``.

A list is a :class:`Connection` of its node type (strawberry names it ``<Node>Connection``).
A cursor is the sort key of the last item a client saw, not its position: the next page starts
after that key, so items inserted meanwhile never shift a page (no duplicates, no skips).
Cursors are opaque to clients: the list's name and the key, as base64 of a JSON array. A cursor
of another list, or text that is not a cursor at all, is refused with ``INVALID_CURSOR`` rather
than read as the start of the list, so a client never silently walks a list from its beginning
again.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry

from schema.context import HubInfo
from schema.errors import InvalidCursor
from schema.limits import UNPAGED_LIST_SIZE, page_size

NodeT = TypeVar("NodeT")
T = TypeVar("T")

DEFAULT_PAGE_SIZE = UNPAGED_LIST_SIZE
"""Items of a page asked without ``first``: what the query cost rule counts such a page as."""


@strawberry.type(description="Where a page ends, and whether another follows it.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(
        description="Pass it as `after` to read the next page; null on an empty page."
    )


@strawberry.type(description="One item of a page and the cursor that points at it.")
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type(description="A page of a list.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo


def encode_cursor(list_name: str, *key: Any) -> str:
    """The cursor of the item whose sort key is ``key`` (JSON scalars) in ``list_name``."""
    text = json.dumps([list_name, *key], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode()


def decode_cursor(list_name: str, cursor: str | None, where: str = "after") -> list[Any] | None:
    """The sort key a cursor of ``list_name`` holds (None: no cursor, the first page), or
    ``INVALID_CURSOR`` naming the argument ``where``."""
    if cursor is None:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeError):
        decoded = None
    if not isinstance(decoded, list) or len(decoded) < 2 or decoded[0] != list_name:
        raise InvalidCursor(f"{where}: {cursor!r} is not a cursor of {list_name}")
    return decoded[1:]


def decode_id_cursor(list_name: str, cursor: str | None, where: str = "after") -> int | None:
    """The row id a cursor of a list ordered by id holds (None: the first page)."""
    key = decode_cursor(list_name, cursor, where)
    if key is None:
        return None
    if len(key) != 1 or type(key[0]) is not int or key[0] < 0:
        raise InvalidCursor(f"{where}: {cursor!r} is not a cursor of {list_name}")
    return int(key[0])


def page_request(
    info: HubInfo, list_name: str, first: int | None, after: str | None
) -> tuple[int, int | None]:
    """The size of the page asked (checked against the limit) and the id it continues below."""
    return page_size(info, first, DEFAULT_PAGE_SIZE), decode_id_cursor(list_name, after)


def connection(
    list_name: str, items: Sequence[tuple[Any, NodeT]], has_next: bool
) -> Connection[NodeT]:
    """The page of ``items`` (each node with the key its cursor holds), in the given order."""
    edges = [Edge(cursor=encode_cursor(list_name, key), node=node) for key, node in items]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
    )


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[tuple[str, T]]
    """Each item with its cursor."""
    page_info: PageInfo


def page_after(
    newest_first: Sequence[T],
    sort_key: Callable[[T], tuple[Any, ...]],
    cursor_key: Callable[[T], list[Any]],
    list_name: str,
    first: int,
    after: list[Any] | None,
    parse: Callable[[list[Any]], tuple[Any, ...]],
) -> Page[T]:
    """Up to ``first`` items of a list held in memory, sorted by ``sort_key`` descending, that
    sort after the cursor ``after`` (a decoded :func:`cursor_key`, read back by ``parse``)."""
    remaining = list(newest_first)
    if after is not None:
        bound = parse(after)
        remaining = [item for item in remaining if sort_key(item) < bound]
    chosen = remaining[:first]
    items = [(encode_cursor(list_name, *cursor_key(item)), item) for item in chosen]
    return Page(
        items,
        PageInfo(has_next_page=len(remaining) > first, end_cursor=items[-1][0] if items else None),
    )
