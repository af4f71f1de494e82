"""The identity graph's layout: deterministic, readable from 1 to 30 records, a table past
that, and edges only between records the viewer was given."""

from __future__ import annotations

import itertools
import math
import random
from typing import Any

import pytest

from hub.console.identity_graph import MAX_DRAWN, NODE_SPACING, identity_graph


def record(record_id: int, matched: int | None, score: float | None = 12.5) -> dict[str, Any]:
    """A source record as the 360 document asks for it."""
    fields = [{"field": "email", "level": "same", "weight": 9.1, "left": "a@x", "right": "a@x"}]
    return {
        "id": str(record_id),
        "connector": f"source{record_id % 3}",
        "entity": "customer",
        "sourceId": f"S-{record_id}",
        "link": {
            "rule": "email" if matched else "new_profile",
            "decidedBy": "auto",
            "match": {
                "score": score if matched else None,
                "outcome": "merge" if matched else None,
                "matchedRecordId": None if matched is None else str(matched),
                "fields": fields if matched else [],
            },
        },
    }


def chain(count: int) -> list[dict[str, Any]]:
    """Records 1..count, each matched with the one before it."""
    return [record(n, n - 1 if n > 1 else None) for n in range(1, count + 1)]


def test_the_same_profile_draws_the_same_picture_whatever_the_order() -> None:
    records = chain(9)
    shuffled = records[:]
    random.Random(4).shuffle(shuffled)
    assert identity_graph(shuffled) == identity_graph(records)


@pytest.mark.parametrize("count", [1, 2, 3, 7, 15, MAX_DRAWN])
def test_nodes_keep_apart_and_inside_the_picture(count: int) -> None:
    graph = identity_graph(chain(count))
    assert graph.drawn
    for node in graph.nodes:
        assert 0 < node.x < graph.width and 0 < node.y < graph.height
        assert node.label_y - 12 >= 0 and node.label_y + 16 <= graph.height
    for a, b in itertools.combinations(graph.nodes, 2):
        # Close to the spacing asked for: the chord of one step on the circle.
        assert math.dist((a.x, a.y), (b.x, b.y)) >= NODE_SPACING * 0.95


def test_each_attached_record_has_one_edge_to_the_record_it_matched() -> None:
    graph = identity_graph(chain(4))
    pairs = [(edge.record.id, edge.matched.id) for edge in graph.edges]
    assert pairs == [("2", "1"), ("3", "2"), ("4", "3")]
    assert graph.edges[0].fields[0].level == "same"
    assert graph.edges[0].score == 12.5


def test_a_match_with_a_record_out_of_sight_draws_no_edge() -> None:
    # Record 2 (another brand's, say) is not in the list the viewer got.
    graph = identity_graph([record(1, None), record(3, 2), record(4, 1)])
    assert [(edge.record.id, edge.matched.id) for edge in graph.edges] == [("4", "1")]
    assert len(graph.nodes) == 3


def test_past_thirty_records_the_page_shows_a_table() -> None:
    graph = identity_graph(chain(MAX_DRAWN + 1))
    assert not graph.drawn
    assert len(graph.edges) == MAX_DRAWN  # the table still lists every match


def test_long_source_ids_are_cut_in_the_drawing_only() -> None:
    long = record(1, None)
    long["sourceId"] = "7b1149f1-39fb-4b9b-a1df-b2a99d64a6d9"
    (node,) = identity_graph([long]).nodes
    assert node.source_id == long["sourceId"]
    assert node.short_id.endswith("…") and len(node.short_id) < len(node.source_id)
