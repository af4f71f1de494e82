"""Pagination as an object: how a stream asks for the next page, whatever the vendor's style.

A paginator reads the token of the next page from a response and builds the request that
fetches it. The token is saved in the stream cursor, so it must be plain text.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import Any

from hub.connector.http import JsonResponse


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    params: dict[str, str] = field(default_factory=dict)
    json_body: Any = None


class Paginator(ABC):
    @abstractmethod
    def next_token(self, response: JsonResponse) -> str | None:
        """The token of the page after ``response``, or ``None`` on the last page."""

    @abstractmethod
    def follow(self, first: Request, token: str) -> Request:
        """The request for the page ``token`` of the sequence that ``first`` started."""


_LINK = re.compile(r'<([^<>]+)>\s*;\s*rel="?([^",;]+)"?')


def parse_link_header(value: str | None) -> dict[str, str]:
    """RFC 8288 ``Link`` header as ``{rel: url}``."""
    return {rel: url for url, rel in _LINK.findall(value or "")}


class LinkHeaderPaginator(Paginator):
    """The next page's URL is in ``Link: <…>; rel="next"`` and is followed verbatim.

    Shopify's style: the URL carries an opaque ``page_info`` and must not get the first request's
    filters again.
    """

    def next_token(self, response: JsonResponse) -> str | None:
        return parse_link_header(response.headers.get("Link")).get("next")

    def follow(self, first: Request, token: str) -> Request:
        return Request(first.method, token)


@dataclass(frozen=True)
class CursorPaginator(Paginator):
    """An opaque cursor in the body (``response_path``, dotted) sent back with the same request.

    It goes back as a query parameter (``query_param``, e.g. Yousign's ``after``) or as a field
    of the JSON body (``body_field``, e.g. Square's search ``cursor``).
    """

    response_path: str
    query_param: str | None = None
    body_field: str | None = None

    def next_token(self, response: JsonResponse) -> str | None:
        value: Any = response.data
        for part in self.response_path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return str(value) if value not in (None, "") else None

    def follow(self, first: Request, token: str) -> Request:
        if self.body_field is not None:
            return replace(first, json_body={**(first.json_body or {}), self.body_field: token})
        return replace(first, params={**first.params, self.query_param or "cursor": token})
