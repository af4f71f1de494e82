"""Relay-style connections shared by every paged list: ``edges { cursor node } pageInfo``.

A list is a :class:`Connection` of its node type (strawberry names it ``<Node>Connection``).
Its cursors are opaque to clients: the list's name and the key the page continues below,
base64-encoded. A cursor of another list, or text that is not a cursor at all, is refused with
``INVALID_CURSOR`` rather than read as the start of the list, so a client never silently walks
a list from its beginning again.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Generic, TypeVar

import strawberry

from schema.context import HubInfo
from schema.errors import InvalidCursor
from schema.limits import UNPAGED_LIST_SIZE, page_size

NodeT = TypeVar("NodeT")

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


def encode_cursor(list_name: str, key: int) -> str:
    return base64.urlsafe_b64encode(f"{list_name}:{key}".encode()).decode()


def decode_cursor(list_name: str, cursor: str | None) -> int | None:
    """The key a page continues below, from the ``after`` a client sent (None: first page)."""
    if cursor is None:
        return None
    try:
        name, _, key = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
    except (binascii.Error, UnicodeError, ValueError):
        name, key = "", ""
    if name != list_name or not key.isdigit():
        raise InvalidCursor(f"after: {cursor!r} is not a cursor of {list_name}")
    return int(key)


def page_request(
    info: HubInfo, list_name: str, first: int | None, after: str | None
) -> tuple[int, int | None]:
    """The size of the page asked (checked against the limit) and the key it continues below."""
    return page_size(info, first, DEFAULT_PAGE_SIZE), decode_cursor(list_name, after)


def connection(
    list_name: str, items: Sequence[tuple[int, NodeT]], has_next: bool
) -> Connection[NodeT]:
    """The page of ``items`` (each node with the key its cursor holds), in the given order."""
    edges = [Edge(cursor=encode_cursor(list_name, key), node=node) for key, node in items]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
    )
