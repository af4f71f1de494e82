"""The shared connection helper: cursors, and what a connection's page costs."""

from __future__ import annotations

import base64

import pytest
from graphql import parse, validate

from schema import schema
from schema.errors import ErrorCode, InvalidCursor
from schema.limits import UNPAGED_LIST_SIZE, cost_rule
from schema.pagination import connection, decode_cursor, decode_id_cursor, encode_cursor


def test_a_cursor_gives_back_its_key_in_its_own_list_only() -> None:
    cursor = encode_cursor("syncRuns", 41)
    assert decode_id_cursor("syncRuns", cursor) == 41
    assert decode_id_cursor("syncRuns", None) is None
    composite = encode_cursor("timeline", "2026-01-01T00:00:00+00:00", "order", 7)
    assert decode_cursor("timeline", composite) == ["2026-01-01T00:00:00+00:00", "order", 7]
    with pytest.raises(InvalidCursor, match="is not a cursor of quarantine") as refused:
        decode_cursor("quarantine", cursor)
    assert refused.value.code is ErrorCode.INVALID_CURSOR


@pytest.mark.parametrize(
    "cursor",
    ["", "nonsense", "é", base64.urlsafe_b64encode(b"syncRuns:-3").decode(),
     encode_cursor("syncRuns", -3), encode_cursor("syncRuns", "41"), encode_cursor("syncRuns"),
     base64.urlsafe_b64encode(b"syncRuns:").decode(), base64.urlsafe_b64encode(b"\xff").decode()],
)  # fmt: skip
def test_what_is_not_a_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursor, match="is not a cursor of syncRuns"):
        decode_id_cursor("syncRuns", cursor)


def test_a_page_ends_at_its_last_edge() -> None:
    page = connection("reviewQueue", [(9, "a"), (7, "b")], has_next=True)
    assert [edge.node for edge in page.edges] == ["a", "b"]
    assert page.page_info.end_cursor == page.edges[-1].cursor
    assert decode_id_cursor("reviewQueue", page.page_info.end_cursor) == 7
    empty = connection("reviewQueue", [], has_next=False)
    assert (empty.edges, empty.page_info.end_cursor) == ([], None)


def cost_errors(query: str, max_cost: int) -> list[str]:
    rules = [cost_rule(max_cost, max_page_size=100)]
    return [error.message for error in validate(schema._schema, parse(query), rules)]


def test_a_connection_costs_its_page_size_under_edges() -> None:
    """``first`` on the connection multiplies what each edge selects."""
    query = "{ syncRuns(first: %d) { edges { cursor node { id status } } } }"
    # syncRuns and edges once, then cursor, node, id and status once per item.
    assert cost_errors(query % 14, max_cost=2 + 4 * 14) == []
    assert cost_errors(query % 15, max_cost=2 + 4 * 14)
    unpaged = "{ syncRuns { edges { cursor } } }"
    assert cost_errors(unpaged, max_cost=2 + UNPAGED_LIST_SIZE) == []
    assert cost_errors(unpaged, max_cost=1 + UNPAGED_LIST_SIZE)


def test_a_page_size_in_a_variable_costs_the_largest_page() -> None:
    query = "query ($n: Int) { quarantine(first: $n) { edges { cursor } } }"
    assert cost_errors(query, max_cost=2 + 100) == []
    assert cost_errors(query, max_cost=1 + 100)
