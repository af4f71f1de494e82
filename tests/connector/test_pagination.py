"""Paginators: reading the next page's token from a response and building its request."""

from __future__ import annotations

from typing import Any

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from hub.connector import CursorPaginator, JsonResponse, LinkHeaderPaginator, Request
from hub.connector.pagination import parse_link_header

SHOP = "https://lumiere.myshopify.com/admin/api/2024-01/customers.json"
SHOPIFY_LINK = (
    f'<{SHOP}?limit=250&page_info=eyJsYXN0X2lkIjo0fQ>; rel="previous", '
    f'<{SHOP}?limit=250&page_info=eyJsYXN0X2lkIjo5fQ>; rel="next"'
)


def response(data: Any = None, **headers: str) -> JsonResponse:
    return JsonResponse(200, SHOP, CIMultiDictProxy(CIMultiDict(headers)), data, b"")


def test_a_shopify_link_header_gives_next_and_previous() -> None:
    assert parse_link_header(SHOPIFY_LINK) == {
        "previous": f"{SHOP}?limit=250&page_info=eyJsYXN0X2lkIjo0fQ",
        "next": f"{SHOP}?limit=250&page_info=eyJsYXN0X2lkIjo5fQ",
    }


def test_an_unquoted_rel_is_read_too() -> None:
    assert parse_link_header("<https://api.example/p2>; rel=next") == {
        "next": "https://api.example/p2"
    }


@pytest.mark.parametrize("value", [None, "", "garbage"])
def test_no_link_header_means_no_links(value: str | None) -> None:
    assert parse_link_header(value) == {}


def test_link_paginator_follows_the_next_url_verbatim_without_the_first_filters() -> None:
    paginator = LinkHeaderPaginator()
    first = Request("GET", SHOP, {"limit": "250", "updated_at_min": "2024-01-01T00:00:00+00:00"})
    token = paginator.next_token(response(Link=SHOPIFY_LINK))
    assert token == f"{SHOP}?limit=250&page_info=eyJsYXN0X2lkIjo5fQ"
    assert paginator.follow(first, token) == Request("GET", token)


def test_link_paginator_stops_on_the_last_page() -> None:
    paginator = LinkHeaderPaginator()
    last_page = f'<{SHOP}?limit=250&page_info=eyJsYXN0X2lkIjo0fQ>; rel="previous"'
    assert paginator.next_token(response(Link=last_page)) is None
    assert paginator.next_token(response()) is None


@pytest.mark.parametrize(
    ("data", "token"),
    [
        ({"meta": {"next_cursor": "c2"}}, "c2"),
        ({"meta": {"next_cursor": 42}}, "42"),
        ({"meta": {"next_cursor": None}}, None),
        ({"meta": {"next_cursor": ""}}, None),
        ({"meta": {}}, None),
        ({"meta": "not an object"}, None),
        ({}, None),
        ([1, 2], None),
        (None, None),
    ],
)
def test_cursor_paginator_reads_the_token_at_a_dotted_path(data: Any, token: str | None) -> None:
    assert CursorPaginator("meta.next_cursor").next_token(response(data)) == token


def test_cursor_paginator_sends_the_token_back_as_a_query_parameter() -> None:
    paginator = CursorPaginator("meta.next", query_param="after")
    first = Request("GET", "https://api.example/v3/signature_requests", {"limit": "100"})
    second = paginator.follow(first, "c2")
    assert second == Request(
        "GET", "https://api.example/v3/signature_requests", {"limit": "100", "after": "c2"}
    )
    # Every page is built from the first request: the token is replaced, not piled up.
    assert paginator.follow(first, "c3").params == {"limit": "100", "after": "c3"}
    assert first.params == {"limit": "100"}


def test_cursor_paginator_without_a_parameter_name_uses_cursor() -> None:
    first = Request("GET", "https://api.example/items")
    assert CursorPaginator("next").follow(first, "t").params == {"cursor": "t"}


def test_cursor_paginator_sends_the_token_back_in_the_json_body() -> None:
    paginator = CursorPaginator("cursor", body_field="cursor")
    query = {"filter": {"updated_at": {"start_at": "2024-01-01T00:00:00Z"}}}
    first = Request(
        "POST",
        "https://connect.squareup.com/v2/customers/search",
        {"version": "2024-01-18"},
        {"limit": 100, "query": query},
    )
    second = paginator.follow(first, "abc")
    assert second == Request(
        "POST",
        "https://connect.squareup.com/v2/customers/search",
        {"version": "2024-01-18"},
        {"limit": 100, "query": query, "cursor": "abc"},
    )
    assert first.json_body == {"limit": 100, "query": query}
    assert paginator.follow(first, "def").json_body["cursor"] == "def"
