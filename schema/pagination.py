"""Cursor pages (Relay connections): opaque cursors and the page info every list shares.

A cursor is the sort key of the last item a client saw, not its position: the next page starts
after that key, so items inserted meanwhile never shift a page (no duplicates, no skips).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry

from schema.errors import ApiError

T = TypeVar("T")


@strawberry.type(description="Where a page ends and whether another follows.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


def encode_cursor(kind: str, key: Sequence[Any]) -> str:
    text = json.dumps([kind, *key], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode()


def decode_cursor(cursor: str | None, kind: str, where: str) -> list[Any] | None:
    """The key a cursor of ``kind`` holds (None for no cursor), or a client error naming the
    argument ``where``."""
    if cursor is None:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        decoded = None
    if not isinstance(decoded, list) or not decoded or decoded[0] != kind:
        raise ApiError(f"{where}: {cursor!r} is not a cursor of this list")
    return decoded[1:]


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[tuple[str, T]]
    """Each item with its cursor."""
    page_info: PageInfo


def page_after(
    newest_first: Sequence[T],
    sort_key: Callable[[T], tuple[Any, ...]],
    cursor_key: Callable[[T], list[Any]],
    kind: str,
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
    items = [(encode_cursor(kind, cursor_key(item)), item) for item in chosen]
    return Page(
        items,
        PageInfo(has_next_page=len(remaining) > first, end_cursor=items[-1][0] if items else None),
    )
