"""StreamCursor: where an HTTP stream stands, saved as compact text and loaded back without ever
failing."""

from __future__ import annotations

import json

import pytest

from hub.connector import StreamCursor


def test_stream_cursor_round_trips_through_text() -> None:
    cursor = StreamCursor("2024-05-01T09:55:00+00:00", "off-2", "2024-05-04T10:00:00+00:00")
    text = cursor.dump()
    assert json.loads(text) == {
        "since": "2024-05-01T09:55:00+00:00",
        "next": "off-2",
        "watermark": "2024-05-04T10:00:00+00:00",
    }
    assert " " not in text
    assert StreamCursor.load(text, "crm/people") == cursor
    assert StreamCursor.load(StreamCursor().dump(), "crm/people") == StreamCursor()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, StreamCursor()),
        ("", StreamCursor()),
        ("{oops", StreamCursor()),
        ("[]", StreamCursor()),
        ('{"next": 42, "shape": "v2"}', StreamCursor(next="42")),  # unknown keys ignored
    ],
)
def test_stream_cursor_load_never_fails(text: str | None, expected: StreamCursor) -> None:
    assert StreamCursor.load(text, "crm/people") == expected
