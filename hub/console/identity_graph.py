"""A profile's identity picture: its source records as nodes, the matches that joined them as
edges, laid out by the server for an SVG (no script, nothing to build).

Each record that identity resolution attached to the profile was matched with one record
already there (``match.matchedRecordId``); those pairs are the edges, with their score and
the field-by-field evidence. The first record of a profile, and records an agent moved, have
no such pair: they stand as nodes alone, their link rule in their hover text.

The layout is a circle in record order, so the same profile draws the same picture every time.
Past :data:`MAX_DRAWN` records a circle's labels no longer fit a laptop screen; the page then
shows the same edges as a table only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_DRAWN = 30
NODE_SPACING = 34.0
"""Pixels of circumference per record: room for a two-line label beside each node."""
MIN_RADIUS = 150.0
LABEL_CHARS = 22
"""Longer source ids (a uuid) are cut in the drawing; the hover text and the table give them
whole."""
LABEL_ROOM = 150.0
"""Pixels kept on each side of the circle for the labels of its leftmost and rightmost nodes."""
PALETTE = ("#1f5fbf", "#b3541e", "#2e7d32", "#7b3fa0", "#00838f", "#8d6e00", "#ad1457")


@dataclass(frozen=True)
class FieldEvidence:
    field: str
    level: str | None
    weight: float | None
    left: str | None
    """``None`` for personal values the key may not read (and for a value a record lacks)."""
    right: str | None


@dataclass(frozen=True)
class GraphNode:
    id: str
    connector: str
    source_id: str
    entity: str
    rule: str
    decided_by: str
    x: float
    y: float
    colour: str
    anchor: str
    """Where the label sits: ``start`` right of the node, ``end`` left, ``middle`` under."""
    short_id: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class GraphEdge:
    record: GraphNode
    matched: GraphNode
    rule: str
    outcome: str | None
    score: float | None
    fields: tuple[FieldEvidence, ...]

    @property
    def label_at(self) -> tuple[float, float]:
        """Where the score sits: two thirds of the way to the attached record, so that the
        scores of the records matched with one hub record do not pile up in the middle."""
        share = 2 / 3
        return (
            round(self.matched.x + share * (self.record.x - self.matched.x), 1),
            round(self.matched.y + share * (self.record.y - self.matched.y), 1),
        )


@dataclass(frozen=True)
class IdentityGraph:
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    width: float
    height: float

    @property
    def drawn(self) -> bool:
        """Whether the page draws it; past :data:`MAX_DRAWN` records it shows the table only."""
        return 0 < len(self.nodes) <= MAX_DRAWN


def _radius(count: int) -> float:
    return max(MIN_RADIUS, count * NODE_SPACING / (2 * math.pi)) if count > 1 else 0.0


def _anchor(dx: float) -> str:
    if abs(dx) < 1e-6:
        return "middle"
    return "start" if dx > 0 else "end"


def _shortened(source_id: str) -> str:
    return source_id if len(source_id) <= LABEL_CHARS else source_id[: LABEL_CHARS - 1] + "…"


def _place(records: Sequence[Mapping[str, Any]]) -> list[GraphNode]:
    """Records on a circle, clockwise from the top, in the order given (the record ids')."""
    count = len(records)
    radius = _radius(count)
    centre_x, centre_y = radius + LABEL_ROOM, radius + 40.0
    colours = {name: PALETTE[i % len(PALETTE)]
               for i, name in enumerate(sorted({r["connector"] for r in records}))}  # fmt: skip
    nodes = []
    for index, record in enumerate(records):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        dx, dy = math.cos(angle), math.sin(angle)
        dx, dy = (0.0 if abs(dx) < 1e-9 else dx), (0.0 if abs(dy) < 1e-9 else dy)
        x, y = centre_x + radius * dx, centre_y + radius * dy
        anchor = "middle" if count == 1 else _anchor(dx)
        # Labels go outward: beside the node, or above the top one and below the bottom one.
        label_y = y + (-24.0 if dy < -0.99 else 22.0 if dy > 0.99 or count == 1 else -4.0)
        label_x = x + (12.0 if anchor == "start" else -12.0 if anchor == "end" else 0.0)
        link = record["link"]
        nodes.append(
            GraphNode(
                id=str(record["id"]),
                connector=record["connector"],
                source_id=record["sourceId"],
                entity=record["entity"],
                rule=link["rule"],
                decided_by=link["decidedBy"],
                x=round(x, 1),
                y=round(y, 1),
                colour=colours[record["connector"]],
                anchor=anchor,
                short_id=_shortened(record["sourceId"]),
                label_x=round(label_x, 1),
                label_y=round(label_y, 1),
            )
        )
    return nodes


def _fields(match: Mapping[str, Any]) -> tuple[FieldEvidence, ...]:
    return tuple(
        FieldEvidence(f["field"], f["level"], f["weight"], f["left"], f["right"])
        for f in match.get("fields") or ()
    )


def identity_graph(records: Sequence[Mapping[str, Any]]) -> IdentityGraph:
    """The graph of a profile's ``sourceRecords`` (with ``link.match``) as the schema gave
    them to the viewer: a record matched with one the key may not see has no edge."""
    ordered = sorted(records, key=lambda r: (len(str(r["id"])), str(r["id"])))
    nodes = _place(ordered)
    by_id = {node.id: node for node in nodes}
    edges = []
    for record, node in zip(ordered, nodes, strict=True):
        match = record["link"].get("match") or {}
        matched = by_id.get(str(match.get("matchedRecordId")))
        if matched is None or matched is node:
            continue
        edges.append(
            GraphEdge(
                record=node,
                matched=matched,
                rule=record["link"]["rule"],
                outcome=match.get("outcome"),
                score=match.get("score"),
                fields=_fields(match),
            )
        )
    radius = _radius(len(nodes))
    return IdentityGraph(
        nodes=tuple(nodes),
        edges=tuple(edges),
        width=round(2 * (radius + LABEL_ROOM), 1),
        height=round(2 * radius + 80.0, 1),
    )
