"""How JSON columns are written: ordinary values through ``json.dumps``, and text the caller has
already serialised as it is.

A record's payload is serialised once for its content hash (:attr:`SourceRecord.canonical_payload`);
handing that text to the column saves serialising every payload a second time, the largest
single cost of storing a page. The engine's ``json_serializer`` is the one place that sees both.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from hub.store.errors import InvalidValue


class SerialisedJson(str):
    """JSON text, valid and complete, to be stored in a JSON column without serialising again."""

    __slots__ = ()


def serialise_json(value: Any) -> str:
    """The engine's ``json_serializer``: ``json.dumps``, SQLAlchemy's own default, except for
    :class:`SerialisedJson`."""
    if isinstance(value, SerialisedJson):
        return str.__str__(value)
    return json.dumps(value)


def json_text(value: Any) -> str:
    """``value`` as compact JSON text, for statements that take JSON columns as text.

    orjson writes it several times faster than ``json.dumps``; what orjson refuses (an integer
    past 64 bits, a key that is not text) goes to ``json.dumps``, and what neither can write is
    an :class:`InvalidValue`.
    """
    try:
        return orjson.dumps(value).decode("utf-8")
    except TypeError:
        try:
            return json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise InvalidValue(f"a value JSON cannot hold: {exc}") from None
